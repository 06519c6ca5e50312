package io.twinlog.bench.e2e;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;

/**
 * The local stack the harness runs against, as {@code scripts/bench} and {@code scripts/drills} set
 * it up: its addresses, the processes behind it (from the pid files of {@code scripts/stack}),
 * their CPU time and memory, and the means to kill and restart them.
 */
public final class LocalStack {

    public static final List<String> COMPONENTS =
            List.of("kafka", "registry", "jobmanager", "taskmanager");
    private static final long CLOCK_TICKS_PER_SECOND = 100; // USER_HZ on Linux

    private final Path root;
    private final Path work;
    private final String bootstrapServers;
    private final String registryUrl;
    private final String flinkUrl;

    LocalStack(Path root, Path work, String bootstrapServers, String registryUrl, String flinkUrl) {
        this.root = root;
        this.work = work;
        this.bootstrapServers = bootstrapServers;
        this.registryUrl = registryUrl;
        this.flinkUrl = flinkUrl;
    }

    /** The stack described by the environment that the scripts export. */
    public static LocalStack fromEnvironment() {
        Path root = Path.of(env("TWINLOG_ROOT", ".")).toAbsolutePath().normalize();
        return new LocalStack(
                root,
                Path.of(env("TWINLOG_WORK", root.resolve("work").toString())),
                env("TWINLOG_BOOTSTRAP", "localhost:9092"),
                env("TWINLOG_REGISTRY_URL", "http://localhost:8085"),
                env("TWINLOG_FLINK_URL", "http://localhost:8081"));
    }

    public Path root() {
        return root;
    }

    public Path work() {
        return work;
    }

    public String bootstrapServers() {
        return bootstrapServers;
    }

    public String registryUrl() {
        return registryUrl;
    }

    public String flinkUrl() {
        return flinkUrl;
    }

    /** The shaded job jar the scripts name, or the one the build left in pipeline-jobs/target. */
    public Path jobJar() {
        String named = System.getenv("TWINLOG_JOB_JAR");
        if (named != null && !named.isBlank()) {
            return Path.of(named);
        }
        try (var files = Files.list(root.resolve("pipeline-jobs/target"))) {
            return files.filter(f -> f.getFileName().toString().endsWith("-job.jar"))
                    .findFirst()
                    .orElseThrow(
                            () ->
                                    new IllegalStateException(
                                            "no job jar: run mvn -DskipTests package"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public Path rulesFile() {
        return root.resolve("scripts/conf/alert-rules.json");
    }

    public Path checkpoints() {
        return work.resolve("flink/checkpoints");
    }

    /** Why the TaskManager ended, as its output tells: the last fatal error it printed, if any. */
    public String taskManagerDeath() {
        String cause = "no fatal error in its output";
        for (String log : List.of("taskmanager.out", "taskmanager.log")) {
            Path file = work.resolve("logs").resolve(log);
            try (var lines = Files.lines(file)) {
                cause =
                        lines.filter(l -> l.contains("OutOfMemoryError") || l.contains("FATAL"))
                                .reduce((first, second) -> second)
                                .map(String::trim)
                                .orElse(cause);
            } catch (IOException | UncheckedIOException e) {
                // no such log: keep what the other one said
            }
        }
        return cause;
    }

    /** The pid of a running component, if it runs. */
    public OptionalLong pid(String component) {
        Path file = work.resolve("pids").resolve(component + ".pid");
        try {
            if (!Files.exists(file)) {
                return OptionalLong.empty();
            }
            long pid = Long.parseLong(Files.readString(file).trim());
            return ProcessHandle.of(pid).filter(ProcessHandle::isAlive).isPresent()
                    ? OptionalLong.of(pid)
                    : OptionalLong.empty();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** CPU seconds (user and system) used so far, per running component. */
    public Map<String, Double> cpuSeconds() {
        Map<String, Double> seconds = new LinkedHashMap<>();
        for (String component : COMPONENTS) {
            pid(component).ifPresent(pid -> seconds.put(component, cpuSecondsOf(pid)));
        }
        return seconds;
    }

    /** Resident memory of a component in bytes, 0 if it does not run. */
    public long rssBytes(String component) {
        OptionalLong pid = pid(component);
        return pid.isEmpty() ? 0 : rssOf(pid.getAsLong());
    }

    /** Resident memory of a process in bytes, 0 if it does not run. */
    public static long rssOf(long pid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
                }
            }
        } catch (IOException e) {
            return 0; // it exited between the two reads
        }
        return 0;
    }

    /** CPU seconds of a process, e.g. this JVM's own. */
    public static double cpuSecondsOf(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            // Fields after the command name, which is in parentheses and may hold spaces.
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            long ticks = Long.parseLong(fields[11]) + Long.parseLong(fields[12]); // utime, stime
            return ticks / (double) CLOCK_TICKS_PER_SECOND;
        } catch (IOException e) {
            return 0;
        }
    }

    /** {@code kill -9} of a component, as a crash would. */
    public void kill(String component) {
        long pid =
                pid(component)
                        .orElseThrow(() -> new IllegalStateException(component + " does not run"));
        ProcessHandle handle = ProcessHandle.of(pid).orElseThrow();
        try {
            new ProcessBuilder("kill", "-9", Long.toString(pid))
                    .inheritIO()
                    .start()
                    .waitFor(10, TimeUnit.SECONDS);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        handle.onExit().orTimeout(30, TimeUnit.SECONDS).join();
    }

    /** {@code scripts/stack up}: starts what does not run and waits until it answers. */
    public void up() {
        script(Duration.ofMinutes(3), "stack", "up");
    }

    /** Starts one component of the stack again, and nothing else. */
    public void start(String component) {
        script(Duration.ofMinutes(3), "stack", "start", component);
    }

    /** How often the stack's supervisor started a component again after it exited. */
    public long restartsBySupervisor(String component) {
        Path log = work.resolve("logs").resolve("supervisor.log");
        try {
            return Files.exists(log)
                    ? Files.readAllLines(log).stream()
                            .filter(line -> line.contains(component + ": exited"))
                            .count()
                    : 0;
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** Runs one of the project's scripts with this stack's environment; fails if it fails. */
    public String script(Duration timeout, String... command) {
        List<String> line = new java.util.ArrayList<>();
        line.add(root.resolve("scripts").resolve(command[0]).toString());
        line.addAll(List.of(command).subList(1, command.length));
        try {
            Path output = Files.createTempFile("twinlog-script", ".out");
            Process process =
                    new ProcessBuilder(line)
                            .directory(root.toFile())
                            .redirectErrorStream(true)
                            .redirectOutput(output.toFile())
                            .start();
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException(
                        String.join(" ", command) + " did not end within " + timeout);
            }
            String text = Files.readString(output);
            Files.delete(output);
            if (process.exitValue() != 0) {
                throw new IllegalStateException(String.join(" ", command) + " failed:\n" + text);
            }
            return text;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    private static String env(String name, String fallback) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? fallback : value;
    }
}
