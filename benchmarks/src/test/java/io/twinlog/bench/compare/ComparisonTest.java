package io.twinlog.bench.compare;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ComparisonTest {

    @Test
    void aVariantSplitsFlinkConfigurationFromJobOptions() {
        Comparison.Variant variant =
                Comparison.Variant.parse(
                        "tuned:flink.state.backend.rocksdb.use-bloom-filter=true,dedup.window=30m");

        assertThat(variant.name()).isEqualTo("tuned");
        assertThat(variant.flinkConfiguration())
                .isEqualTo(Map.of("state.backend.rocksdb.use-bloom-filter", "true"));
        assertThat(variant.jobOptions()).isEqualTo(Map.of("dedup.window", "30m"));
        assertThatThrownBy(() -> Comparison.Variant.parse("no-settings"))
                .hasMessageContaining("name:key=value");
    }

    @Test
    void passesThatWroteOtherRecordsAreNamed() {
        var same = Map.of("twins", new OutputDigest.TopicDigest(3, "ab"));
        var other = Map.of("twins", new OutputDigest.TopicDigest(3, "cd"));
        List<EngineRun.Result> runs =
                List.of(
                        run("kafka-streams", 1, same, 10),
                        run("twinlog", 1, same, 20),
                        run("twinlog", 2, other, 30));

        assertThat(Comparison.differences(runs))
                .hasSize(1)
                .first()
                .asString()
                .startsWith("twinlog round 2");
        assertThat(Comparison.median(runs, "twinlog", EngineRun.Result::seconds)).isEqualTo(25);
        assertThat(Comparison.median(runs, "kafka-streams", EngineRun.Result::seconds))
                .isEqualTo(10);
    }

    private static EngineRun.Result run(
            String engine,
            int round,
            Map<String, OutputDigest.TopicDigest> outputs,
            double seconds) {
        return new EngineRun.Result(
                engine, round, 100, 1, seconds, 0, Map.of(), Map.of(), 0, Map.of(), 0, outputs,
                null);
    }
}
