package io.twinlog.bench;

import io.twinlog.bench.compare.Comparison;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * DeviceTwinJob against the same fold on Kafka Streams, on one preloaded log, alternately: the
 * ratio of their rates is the number this benchmark exists for.
 */
@Command(
        name = "compare",
        mixinStandardHelpOptions = true,
        description =
                "twinlog against a Kafka Streams application of the same fold, alternately on one"
                        + " log (scripts/bench compare starts the stack)")
final class CompareCommand implements Callable<Integer> {

    @Mixin DocsOptions docs;

    @Option(
            names = "--events",
            defaultValue = "3000000",
            description = "events in the preloaded log (default: ${DEFAULT-VALUE})")
    long events;

    @Option(
            names = "--devices",
            defaultValue = "100000",
            description = "devices in the log (default: ${DEFAULT-VALUE})")
    int devices;

    @Option(
            names = "--rounds",
            defaultValue = "3",
            description = "passes of each engine (default: ${DEFAULT-VALUE})")
    int rounds;

    @Option(
            names = "--variant",
            paramLabel = "name:key=value,...",
            description =
                    "another DeviceTwinJob pass in each round, with Flink configuration (keys"
                            + " starting with flink.), job options or the job jar (jar=<path>)"
                            + " changed, e.g. no-bloom:flink.state.backend.rocksdb.use-bloom-filter=false")
    List<String> variants = new ArrayList<>();

    @Option(
            names = "--no-profile",
            description = "do not run async-profiler in the worker processes")
    boolean noProfile;

    @Override
    public Integer call() throws Exception {
        return Comparison.run(
                docs.benchmarkResults(),
                docs.benchmarksDocument(),
                events,
                devices,
                rounds,
                variants,
                !noProfile);
    }
}
