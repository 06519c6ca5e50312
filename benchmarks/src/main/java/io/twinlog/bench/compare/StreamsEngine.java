package io.twinlog.bench.compare;

import io.twinlog.bench.e2e.LocalStack;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The Kafka Streams baseline ({@code benchmarks/kafka-streams}) as a JVM of its own, started for
 * each pass with DeviceTwinJob's options. Its heap is the TaskManager's task heap; its RocksDB
 * stores take native memory outside it, as Kafka Streams does by default.
 */
final class StreamsEngine implements Engine {

    static final String NAME = "kafka-streams";
    private static final String MAIN = "io.twinlog.bench.streams.StreamsBaseline";

    private final LocalStack stack;

    StreamsEngine(LocalStack stack) {
        this.stack = stack;
    }

    @Override
    public String name() {
        return NAME;
    }

    private Path home() {
        return stack.root().resolve("benchmarks/kafka-streams/target");
    }

    @Override
    public Pass submit(Map<String, String> options) throws IOException {
        Path jar = home().resolve("twinlog-kafka-streams-baseline.jar");
        if (!Files.exists(jar)) {
            throw new IllegalStateException(
                    jar
                            + " is missing: run mvn -DskipTests package -pl benchmarks/kafka-streams -am");
        }
        List<String> command = new ArrayList<>();
        command.add(ProcessHandle.current().info().command().orElse("java"));
        Path state = stack.work().resolve("kafka-streams");
        Files.createDirectories(state);
        command.addAll(
                List.of(
                        "-Xms512m",
                        "-Xmx512m",
                        "-XX:+UseG1GC",
                        "-Dtwinlog.streams.state-dir=" + state));
        command.addAll(List.of("-cp", jar + ":" + home().resolve("lib") + "/*", MAIN));
        options.forEach((key, value) -> command.addAll(List.of("--" + key, value)));
        Path log =
                stack.work()
                        .resolve("logs")
                        .resolve("kafka-streams-" + System.currentTimeMillis() + ".log");
        Files.createDirectories(log.getParent());
        Process process =
                new ProcessBuilder(command)
                        .redirectError(log.toFile())
                        .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                        .start();
        long[] runningAt = {0};
        Thread reader =
                new Thread(
                        () -> {
                            try (BufferedReader lines =
                                    new BufferedReader(
                                            new InputStreamReader(
                                                    process.getInputStream(),
                                                    StandardCharsets.UTF_8))) {
                                String line;
                                while ((line = lines.readLine()) != null) {
                                    if (line.startsWith("RUNNING ")) {
                                        synchronized (runningAt) {
                                            runningAt[0] = System.currentTimeMillis();
                                        }
                                    }
                                }
                            } catch (IOException e) {
                                // the process ended
                            }
                        },
                        "kafka-streams-output");
        reader.setDaemon(true);
        reader.start();
        return new Pass() {
            @Override
            public boolean running() {
                synchronized (runningAt) {
                    return runningAt[0] > 0;
                }
            }

            @Override
            public void checkAlive() {
                if (!process.isAlive()) {
                    throw new IllegalStateException(
                            "the Kafka Streams application exited with "
                                    + process.exitValue()
                                    + "; its log: "
                                    + log);
                }
            }

            @Override
            public long workerPid() {
                return process.pid();
            }

            @Override
            public Map<String, Double> cpuSeconds() {
                return Map.of(NAME, LocalStack.cpuSecondsOf(process.pid()));
            }

            @Override
            public Map<String, Double> stateMetrics() {
                return Map.of(); // RocksDB metrics need Kafka Streams' DEBUG recording level
            }

            @Override
            public long restarts() {
                return 0; // a failed stream thread shuts the application down
            }

            @Override
            public void close() {
                process.destroy();
                try {
                    if (!process.waitFor(60, TimeUnit.SECONDS)) {
                        process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException(e);
                }
            }
        };
    }
}
