package io.twinlog.e2e;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs the project's scripts as a user would, against a stack of its own: its own work folder and
 * free ports, so a developer's running stack is left alone.
 */
final class Scripts {

    /** What a script printed and how it exited. */
    record Result(int exit, String output) {
        Result ok() {
            if (exit != 0) {
                throw new AssertionError("exit " + exit + ":\n" + output);
            }
            return this;
        }
    }

    final Path root;
    final Path work;
    final Map<String, String> environment = new HashMap<>();

    Scripts(Path root, Path work) throws IOException {
        this.root = root;
        this.work = work;
        environment.put("TWINLOG_WORK", work.toString());
        environment.put("TWINLOG_KAFKA_PORT", Integer.toString(freePort()));
        environment.put("TWINLOG_KAFKA_CONTROLLER_PORT", Integer.toString(freePort()));
        environment.put("TWINLOG_REGISTRY_PORT", Integer.toString(freePort()));
        environment.put("TWINLOG_FLINK_PORT", Integer.toString(freePort()));
        environment.put("TWINLOG_FLINK_RPC_PORT", Integer.toString(freePort()));
        environment.put("TWINLOG_READ_SIDE_PORT", Integer.toString(freePort()));
    }

    Result run(Duration timeout, String script, String... args)
            throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(root.resolve("scripts").resolve(script).toString());
        command.addAll(List.of(args));
        Path output = Files.createTempFile(work.getParent(), script, ".out");
        ProcessBuilder builder =
                new ProcessBuilder(command)
                        .directory(root.toFile())
                        .redirectErrorStream(true)
                        .redirectOutput(output.toFile())
                        .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        builder.environment().putAll(environment);
        Process process = builder.start();
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
            throw new AssertionError(
                    script
                            + " "
                            + String.join(" ", args)
                            + " did not end within "
                            + timeout
                            + ":\n"
                            + Files.readString(output, StandardCharsets.UTF_8));
        }
        return new Result(process.exitValue(), Files.readString(output, StandardCharsets.UTF_8));
    }

    int port(String name) {
        return Integer.parseInt(environment.get(name));
    }

    /** Ports handed out in this JVM: a port tried free is not handed out twice. */
    private static final java.util.Set<Integer> GIVEN = new java.util.HashSet<>();

    /**
     * A free port below the kernel's ephemeral range. The stack's processes bind ports from that
     * range themselves (Flink's blob server once took the port chosen for the read side while the
     * stack started), so a port from {@code new ServerSocket(0)} can be taken by the time its
     * process binds it; ports below the range are only ever taken by asking for them.
     */
    private static synchronized int freePort() throws IOException {
        int below = ephemeralRangeStart();
        java.util.Random random = new java.util.Random();
        for (int attempt = 0; attempt < 200; attempt++) {
            int port = 10_000 + random.nextInt(Math.max(1, below - 10_000));
            if (GIVEN.contains(port)) {
                continue;
            }
            try (ServerSocket socket = new ServerSocket(port)) {
                GIVEN.add(port);
                return port;
            } catch (IOException taken) {
                // someone has it: try another
            }
        }
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort(); // a machine with no room below its ephemeral range
        }
    }

    private static int ephemeralRangeStart() {
        try {
            // readAllLines, not readString: /proc reports a size of 0 and readString reads short
            String range =
                    String.join(
                            " ",
                            Files.readAllLines(Path.of("/proc/sys/net/ipv4/ip_local_port_range")));
            return Integer.parseInt(range.trim().split("\\s+")[0]);
        } catch (IOException | RuntimeException e) {
            return 32_768; // Linux's default
        }
    }
}
