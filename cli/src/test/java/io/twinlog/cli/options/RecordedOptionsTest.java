package io.twinlog.cli.options;

import static org.assertj.core.api.Assertions.assertThat;

import io.twinlog.alerts.AlertRulesFile;
import io.twinlog.cli.commands.RebuildCommand;
import io.twinlog.cli.commands.ResumeHint;
import io.twinlog.options.DeviceTwinJobOptions;
import io.twinlog.options.JobManifest;
import io.twinlog.options.RuntimeOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * How the CLI continues a state: the recorded semantic options unless given, and the command it
 * prints to do so.
 */
public class RecordedOptionsTest {

    private static final String RULES =
            "{\"rules\": [{\"id\": \"hot\", \"metric\": \"temperature\", \"high\": 80}]}";

    @TempDir Path dir;

    @Test
    void optionsNotGivenAreTheRecordedOnesTheRulesIncluded() throws Exception {
        JobManifest recorded =
                manifest(
                        "--allowed.lateness",
                        "10m",
                        "--silence.timeout",
                        "1h",
                        "--rules.json",
                        RULES);

        DeviceTwinJobOptions resumed =
                JobOptionsMixin.parse(
                        new JobOptionsMixin()
                                .arguments(
                                        connection(""),
                                        List.of("--checkpoint.interval", "2s"),
                                        recorded));

        assertThat(resumed.foldSettings().allowedLateness()).isEqualTo(Duration.ofMinutes(10));
        assertThat(resumed.foldSettings().silenceTimeout()).isEqualTo(Duration.ofHours(1));
        assertThat(resumed.rules()).isEqualTo(AlertRulesFile.parse(RULES));
        assertThat(resumed.get(RuntimeOptions.CHECKPOINT_INTERVAL))
                .isEqualTo(Duration.ofSeconds(2));
        assertThat(recorded.optionChanges(current(resumed))).isEmpty();
    }

    @Test
    void optionsGivenWinAndShowAsChanges() throws Exception {
        JobManifest recorded = manifest("--allowed.lateness", "10m", "--rules.json", RULES);
        JobOptionsMixin job = new JobOptionsMixin();
        job.rules = Files.writeString(dir.resolve("rules.json"), RULES.replace("80", "70"));

        DeviceTwinJobOptions resumed =
                JobOptionsMixin.parse(
                        job.arguments(
                                connection(""), List.of("--allowed.lateness", "5m"), recorded));

        assertThat(recorded.optionChanges(current(resumed)))
                .containsExactly(
                        "allowed.lateness: 10m -> 5m",
                        "rules: "
                                + AlertRulesFile.toJson(AlertRulesFile.parse(RULES))
                                + " -> "
                                + AlertRulesFile.toJson(
                                        AlertRulesFile.parse(RULES.replace("80", "70"))));
    }

    @Test
    void theResumeCommandCarriesEveryOptionTheJobRanWithThatIsNotTheDefault() {
        Map<String, String> ran = new java.util.LinkedHashMap<>();
        ran.put("bootstrap.servers", "localhost:9092");
        ran.put("topic.events", "blue-device-events");
        ran.put("transactional.id.prefix", "blue-twinlog-device-twin");
        ran.put("allowed.lateness", "1h");
        ran.put("silence.timeout", "30s");
        ran.put("checkpoint.interval", "2s");
        ran.put("rules.file", "/etc/twinlog/rules.json");

        assertThat(ResumeHint.of("file:/sp/savepoint-1", connection("blue-"), ran))
                .isEqualTo(
                        "scripts/twinlog resume --from file:/sp/savepoint-1 --topic-prefix blue- --rules /etc/twinlog/rules.json"
                                + " -- --silence.timeout 30s --checkpoint.interval 2s");
    }

    @Test
    void rebuildTakesADirectoryOrAFileUri() {
        assertThat(RebuildCommand.localDirectory("file:///tmp/rebuilt"))
                .isEqualTo(Path.of("/tmp/rebuilt"));
        assertThat(RebuildCommand.localDirectory("/tmp/rebuilt"))
                .isEqualTo(Path.of("/tmp/rebuilt"));
        assertThat(RebuildCommand.localDirectory("relative").isAbsolute()).isTrue();
    }

    private static JobManifest manifest(String... options) throws Exception {
        return new JobManifest("device-events", 4, DeviceTwinJobOptions.parse(options).semantics());
    }

    private static JobManifest current(DeviceTwinJobOptions options) {
        return new JobManifest(options.topics().events(), 4, options.semantics());
    }

    static Connection connection(String topicPrefix) {
        Connection connection = new Connection();
        connection.bootstrapServers = "localhost:9092";
        connection.registryUrl = "http://localhost:8085";
        connection.flinkUrl = "http://localhost:8081";
        connection.topicPrefix = topicPrefix;
        connection.timeout = Duration.ofSeconds(5);
        return connection;
    }
}
