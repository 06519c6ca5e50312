package io.twinlog.bench.compare;

import io.twinlog.bench.e2e.FlinkJob;
import io.twinlog.bench.e2e.LocalStack;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * DeviceTwinJob on the stack's Flink session cluster (parallelism 2); a variant adds Flink
 * configuration or job options of its own, or runs the job jar of another build.
 */
final class FlinkEngine implements Engine {

    /** The RocksDB metrics flink-conf/config.yaml turns on (state.backend.rocksdb.metrics.*). */
    private static final List<String> ROCKSDB_METRICS =
            List.of(
                    "rocksdb_block_cache_hit",
                    "rocksdb_block_cache_miss",
                    "rocksdb_bloom_filter_useful",
                    "rocksdb_bytes_read",
                    "rocksdb_bytes_written",
                    "rocksdb_compact_read_bytes",
                    "rocksdb_compact_write_bytes",
                    "rocksdb_num-files-at-level0",
                    "rocksdb_estimate-live-data-size",
                    "rocksdb_estimate-num-keys");

    private final LocalStack stack;
    private final String name;
    private final Map<String, String> flinkConfiguration;
    private final Map<String, String> jobOptions;
    private final Path jobJar;

    /**
     * @param jobJar the job jar to run; null for the build's own
     */
    FlinkEngine(
            LocalStack stack,
            String name,
            Map<String, String> flinkConfiguration,
            Map<String, String> jobOptions,
            Path jobJar) {
        this.stack = stack;
        this.name = name;
        this.flinkConfiguration = flinkConfiguration;
        this.jobOptions = jobOptions;
        this.jobJar = jobJar;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public Pass submit(Map<String, String> options) {
        Map<String, String> all = new LinkedHashMap<>(options);
        all.putAll(jobOptions);
        FlinkJob job =
                FlinkJob.submit(
                        stack,
                        jobJar == null ? stack.jobJar() : jobJar,
                        all,
                        null,
                        flinkConfiguration);
        return new Pass() {
            @Override
            public boolean running() {
                return job.allTasksRunning();
            }

            @Override
            public void checkAlive() {
                if (stack.pid("taskmanager").isEmpty()) {
                    throw new IllegalStateException(
                            "the TaskManager died (" + stack.taskManagerDeath() + ")");
                }
                String state = job.state();
                if (!state.equals("RUNNING")
                        && !state.equals("RESTARTING")
                        && !state.equals("CREATED")
                        && !state.equals("INITIALIZING")) {
                    throw new IllegalStateException(
                            "the job is " + state + ": " + job.rootException());
                }
            }

            @Override
            public long workerPid() {
                return stack.pid("taskmanager").orElseThrow();
            }

            @Override
            public Map<String, Double> cpuSeconds() {
                Map<String, Double> cpu = new LinkedHashMap<>();
                stack.cpuSeconds()
                        .forEach(
                                (process, seconds) -> {
                                    if (process.equals("jobmanager")
                                            || process.equals("taskmanager")) {
                                        cpu.put(process, seconds);
                                    }
                                });
                return cpu;
            }

            @Override
            public Map<String, Double> stateMetrics() {
                Map<String, Double> metrics = new LinkedHashMap<>(job.foldMetrics(ROCKSDB_METRICS));
                metrics.put(
                        "checkpoint_state_size",
                        job.checkpoints()
                                .path("latest")
                                .path("completed")
                                .path("state_size")
                                .asDouble());
                return metrics;
            }

            @Override
            public long restarts() {
                return job.restarts();
            }

            @Override
            public void close() {
                job.cancel();
            }
        };
    }
}
