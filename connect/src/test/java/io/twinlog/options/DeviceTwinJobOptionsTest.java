package io.twinlog.options;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DeviceTwinJobOptionsTest {

    @TempDir Path dir;

    @Test
    void defaultsWithoutArguments() throws IOException {
        DeviceTwinJobOptions options = DeviceTwinJobOptions.parse();

        assertThat(options.get(SourceOptions.BOOTSTRAP_SERVERS)).isEqualTo("localhost:9092");
        assertThat(options.topics().events()).isEqualTo("device-events");
        assertThat(options.foldSettings().allowedLateness()).isEqualTo(Duration.ofHours(1));
        assertThat(options.rules().all()).isEmpty();
        assertThat(options.get(FoldOptions.SILENCE_OBSERVATIONS)).isTrue();
        assertThat(options.exactlyOnce()).isTrue();
        assertThat(options.get(RuntimeOptions.STATE_BACKEND)).isEqualTo("cluster");
    }

    @Test
    void choicesIgnoreCase() throws IOException {
        DeviceTwinJobOptions options =
                DeviceTwinJobOptions.parse(
                        "--delivery.guarantee", "At-Least-Once", "--state.backend", "hashmap");

        assertThat(options.exactlyOnce()).isFalse();
        assertThat(options.get(RuntimeOptions.STATE_BACKEND)).isEqualTo("hashmap");
    }

    @Test
    void argumentsOverrideTheConfigFile() throws IOException {
        Path rules =
                Files.writeString(
                        dir.resolve("rules.json"),
                        "{\"rules\": [{\"id\": \"hot\", \"metric\": \"temperature\", \"high\": 80}]}");
        Path config =
                Files.writeString(
                        dir.resolve("job.properties"),
                        """
                bootstrap.servers=kafka:9092
                silence.timeout=2m
                topic.alerts=alerts-from-file
                rules.file=%s
                """
                                .formatted(rules));

        DeviceTwinJobOptions options =
                DeviceTwinJobOptions.parse(
                        "--config",
                        config.toString(),
                        "--topic.alerts",
                        "alerts-from-args",
                        "--allowed.lateness=30s",
                        "--dedup.window",
                        "PT1M");

        assertThat(options.get(SourceOptions.BOOTSTRAP_SERVERS)).isEqualTo("kafka:9092");
        assertThat(options.foldSettings().silenceTimeout()).isEqualTo(Duration.ofMinutes(2));
        assertThat(options.topics().alerts()).isEqualTo("alerts-from-args");
        assertThat(options.foldSettings().allowedLateness()).isEqualTo(Duration.ofSeconds(30));
        assertThat(options.foldSettings().dedupWindow()).isEqualTo(Duration.ofMinutes(1));
        assertThat(options.rules().all()).extracting(r -> r.id()).containsExactly("hot");
    }

    @Test
    void mistakesNameTheOption() {
        assertError("unknown option --bootstrap.server", "--bootstrap.server", "x");
        assertError("--silence.timeout: not a duration", "--silence.timeout", "ten minutes");
        assertError("--parallelism: not an integer", "--parallelism", "two");
        assertError("--bootstrap.servers needs a value", "--bootstrap.servers");
        assertError(
                "--dedup.window (1h) must be at least --allowed.lateness (2h)",
                "--allowed.lateness",
                "2h",
                "--dedup.window",
                "1h");
        assertError("topic names must be distinct", "--topic.alerts", "device-events");
        assertError(
                "--transaction.timeout (10m) must be well above --checkpoint.interval (20m)",
                "--checkpoint.interval",
                "20m");
        assertError(
                "--delivery.guarantee: 'once' is not one of exactly-once, at-least-once",
                "--delivery.guarantee",
                "once");
        assertError("cannot read the config file", "--config", "/nonexistent/job.properties");
    }

    @Test
    void theFutureSkewIsAtMostTheLatenessCappedWhenLeftToItsDefault() throws IOException {
        assertError(
                "--max.future.skew (2h) must not exceed --allowed.lateness (1h)",
                "--max.future.skew",
                "2h");
        assertThat(
                        DeviceTwinJobOptions.parse(
                                        "--allowed.lateness", "2m", "--dedup.window", "2m")
                                .asText())
                .containsEntry("max.future.skew", "2m");
        assertThat(DeviceTwinJobOptions.parse("--max.future.skew", "30s").asText())
                .containsEntry("max.future.skew", "30s");
        assertThat(DeviceTwinJobOptions.parse().semantics().values())
                .containsEntry("max.future.skew", "5m")
                .containsEntry("allowed.lateness", "1h")
                .containsEntry("rules", "{\"rules\":[]}");
    }

    @Test
    void usageListsEveryOptionWithItsDefault() {
        String usage = DeviceTwinJobOptions.usage();
        for (var param : DeviceTwinJobOptions.ALL) {
            assertThat(usage).contains("--" + param.key());
        }
        assertThat(usage).contains("(default: 1h)").contains("(default: not set)");
    }

    private static void assertError(String message, String... args) {
        assertThatThrownBy(() -> DeviceTwinJobOptions.parse(args))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(message);
    }
}
