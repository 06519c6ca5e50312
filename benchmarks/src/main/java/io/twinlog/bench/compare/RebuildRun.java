package io.twinlog.bench.compare;

import io.twinlog.bench.e2e.FlinkJob;
import io.twinlog.bench.e2e.LocalStack;
import io.twinlog.cli.TwinlogCli;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * {@code twinlog rebuild} of the compared log into a savepoint, as a user runs it (the replay runs
 * in the calling process, here the harness): how fast state is recomputed from the log.
 *
 * @param seconds from the command's start until the savepoint is written
 * @param cpuSeconds of the process that ran it and of the broker
 */
record RebuildRun(long events, double seconds, double cpuSeconds, long savepointBytes) {

    double eventsPerSecond() {
        return events / seconds;
    }

    static RebuildRun of(LocalStack stack, String topicPrefix, long events, Path directory)
            throws Exception {
        Path savepoint = directory.resolve("rebuilt-" + System.currentTimeMillis());
        long self = ProcessHandle.current().pid();
        long broker = stack.pid("kafka").orElseThrow();
        double cpuBefore = LocalStack.cpuSecondsOf(self) + LocalStack.cpuSecondsOf(broker);
        long started = System.nanoTime();
        int exit =
                TwinlogCli.run(
                        "rebuild",
                        "--to-savepoint",
                        savepoint.toString(),
                        "--topic-prefix",
                        topicPrefix,
                        "--bootstrap-servers",
                        stack.bootstrapServers(),
                        "--registry-url",
                        stack.registryUrl(),
                        "--flink-url",
                        stack.flinkUrl(),
                        "--rules",
                        stack.rulesFile().toString(),
                        "--timeout",
                        "60s");
        double seconds = (System.nanoTime() - started) / 1e9;
        if (exit != 0) {
            throw new IllegalStateException("twinlog rebuild exited with " + exit);
        }
        double cpu = LocalStack.cpuSecondsOf(self) + LocalStack.cpuSecondsOf(broker) - cpuBefore;
        long bytes = FlinkJob.sizeOnDisk(savepoint);
        try (var files = Files.walk(savepoint)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        }
        return new RebuildRun(events, seconds, cpu, bytes);
    }
}
