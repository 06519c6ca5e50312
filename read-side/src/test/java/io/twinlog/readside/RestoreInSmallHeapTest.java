package io.twinlog.readside;

import static org.assertj.core.api.Assertions.assertThat;

import io.twinlog.options.DeviceTwinJobOptions;
import io.twinlog.readside.index.EventIndex;
import io.twinlog.readside.index.Position;
import io.twinlog.registry.CachingSchemaRegistry;
import io.twinlog.registry.RegistryRestClient;
import io.twinlog.registry.server.DevSchemaRegistry;
import io.twinlog.schema.TopicNames;
import io.twinlog.schema.alert.Alert;
import io.twinlog.schema.alert.AlertStatus;
import io.twinlog.schema.alert.Severity;
import io.twinlog.schema.common.EventRef;
import io.twinlog.schema.common.LogPosition;
import io.twinlog.serde.ConfluentAvroSerializer;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The read side restores its views from an index holding millions of alert transitions in a heap
 * far smaller than they would take decoded: a JVM of its own with 96 MB restores 2,000,000 (about 1
 * GB as objects). Before the views were restored one transition at a time, this ran out of memory.
 */
class RestoreInSmallHeapTest {

    static final int TRANSITIONS = 2_000_000;
    static final int DEVICES = 20_000;

    @TempDir Path dir;

    @Test
    void millionsOfAlertTransitionsRestoreInNinetySixMegabytes() throws Exception {
        String classpath = System.getProperty("surefire.test.class.path");
        if (classpath == null) {
            classpath = System.getProperty("java.class.path");
        }
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Path out = dir.resolve("child.out");
        Process child =
                new ProcessBuilder(
                                java.toString(),
                                "-Xmx96m",
                                "-XX:+ExitOnOutOfMemoryError",
                                "-cp",
                                classpath,
                                RestoreInSmallHeapTest.class.getName(),
                                dir.resolve("index").toString())
                        .redirectErrorStream(true)
                        .redirectOutput(out.toFile())
                        .start();
        assertThat(child.waitFor(5, TimeUnit.MINUTES)).as("the child finished").isTrue();
        String output = Files.readString(out);
        assertThat(child.exitValue()).as(output).isZero();
        // One episode in a hundred stays open; the views keep those and the newest 1,000.
        assertThat(output).contains("open=" + (TRANSITIONS / 2 / 100) + " recent=1000");
    }

    /** In the child JVM: writes the index, closes it, and opens a read side on it. */
    public static void main(String[] args) throws Exception {
        Path index = Path.of(args[0]);
        try (DevSchemaRegistry registry = DevSchemaRegistry.start("127.0.0.1", 0, null)) {
            ConfluentAvroSerializer<Alert> serializer =
                    new ConfluentAvroSerializer<>(
                            new CachingSchemaRegistry(
                                    new RegistryRestClient(registry.url(), Duration.ofSeconds(10))),
                            TopicNames.valueSubject(TopicNames.defaults().alerts()),
                            Alert.class);
            writeAlerts(index, serializer);
            DeviceTwinJobOptions options = DeviceTwinJobOptions.parse();
            try (ReadSide side =
                    ReadSide.open(
                            new ReadSideConfig(
                                    () -> options,
                                    "127.0.0.1:1",
                                    registry.url(),
                                    Duration.ofSeconds(10),
                                    index,
                                    1_000))) {
                System.out.println(
                        "open="
                                + side.alertBoard().openCount()
                                + " recent="
                                + side.alertBoard().recent(null, 5_000).size());
            }
        }
    }

    private static void writeAlerts(Path dir, ConfluentAvroSerializer<Alert> serializer)
            throws Exception {
        Instant t0 = Instant.parse("2026-01-01T00:00:00Z");
        try (EventIndex index = EventIndex.open(dir)) {
            EventIndex.Batch batch = index.batch();
            long offset = 0;
            for (int episode = 0; episode < TRANSITIONS / 2; episode++) {
                String device = "device-" + (episode % DEVICES);
                for (AlertStatus status : List.of(AlertStatus.RAISED, AlertStatus.CLEARED)) {
                    if (status == AlertStatus.CLEARED && episode % 100 == 0) {
                        offset++;
                        continue; // stays open
                    }
                    Instant time = t0.plusSeconds(episode);
                    Alert alert =
                            Alert.newBuilder()
                                    .setAlertId("alert-" + episode)
                                    .setDeviceId(device)
                                    .setRuleId("temperature-high")
                                    .setStatus(status)
                                    .setSeverity(Severity.WARNING)
                                    .setMetric("temperature")
                                    .setValue(90.0)
                                    .setThreshold(80.0)
                                    .setRaisedAt(time)
                                    .setEventTime(time)
                                    .setMessage("temperature 90.0 above 80.0")
                                    .setCause(
                                            new EventRef(
                                                    "event-" + episode,
                                                    new LogPosition("device-events", 0, offset)))
                                    .build();
                    batch.alert(
                            device,
                            new Position(0, offset++),
                            time.toEpochMilli(),
                            serializer.serialize(alert));
                    if (batch.records() >= 10_000) {
                        batch.commitWithoutLog();
                        batch.close();
                        batch = index.batch();
                    }
                }
            }
            batch.commitWithoutLog();
            batch.close();
            index.flush();
        }
        assertThat(new File(dir.toFile(), "CURRENT")).exists();
    }
}
