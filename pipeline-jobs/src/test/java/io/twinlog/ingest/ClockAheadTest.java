package io.twinlog.ingest;

import static io.twinlog.twin.DeviceEvents.seconds;
import static io.twinlog.twin.DeviceEvents.telemetry;
import static org.assertj.core.api.Assertions.assertThat;

import io.twinlog.alerts.AlertRulesFile;
import io.twinlog.options.DeviceTwinJobOptions;
import io.twinlog.registry.server.InMemorySchemaRegistry;
import io.twinlog.schema.alert.Alert;
import io.twinlog.schema.common.LogPosition;
import io.twinlog.schema.event.DeviceEvent;
import io.twinlog.schema.state.DeviceState;
import io.twinlog.serde.ConfluentAvroDeserializer;
import io.twinlog.serde.ConfluentAvroSerializer;
import io.twinlog.twin.DeviceFold;
import io.twinlog.twin.FoldResult;
import io.twinlog.twin.InMemorySeenEventIds;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A device whose clock runs ahead must not lock out its own honest events. With the shipped
 * options, admission and fold together: one reading 23 hours ahead, then three honest readings of
 * 95 C.
 */
class ClockAheadTest {

    private final InMemorySchemaRegistry registry = new InMemorySchemaRegistry();
    private final ConfluentAvroSerializer<DeviceEvent> serializer =
            new ConfluentAvroSerializer<>(registry, "device-events-value", DeviceEvent.class);
    private final ConfluentAvroDeserializer<DeviceEvent> deserializer =
            new ConfluentAvroDeserializer<>(registry, DeviceEvent.class);
    private final EventAdmission admission;
    private final DeviceFold fold =
            new DeviceFold(
                    DeviceTwinJobOptions.parse().foldSettings(),
                    AlertRulesFile.parse(
                            "{\"rules\": [{\"id\": \"temperature-high\", \"metric\": \"temperature\", \"high\": 80}]}"));
    private final InMemorySeenEventIds seen = new InMemorySeenEventIds();
    private final List<Alert> alerts = new ArrayList<>();
    private DeviceState state;
    private long offset;

    ClockAheadTest() throws IOException {
        admission = new EventAdmission(DeviceTwinJobOptions.parse().contract());
    }

    @Test
    void aReadingFromAClockDaysAheadIsADeadLetterAndTheHonestReadingsRaiseTheirAlert()
            throws IOException {
        assertThat(feed(telemetry("e1", "d1", seconds(0), "temperature", 20), seconds(0)))
                .isEqualTo("APPLIED");
        String future =
                feed(
                        telemetry(
                                "e2",
                                "d1",
                                seconds(60).plus(Duration.ofHours(23)),
                                "temperature",
                                21),
                        seconds(60));
        List<String> honest =
                List.of(
                        feed(telemetry("e3", "d1", seconds(120), "temperature", 95), seconds(120)),
                        feed(telemetry("e4", "d1", seconds(180), "temperature", 95), seconds(180)),
                        feed(telemetry("e5", "d1", seconds(240), "temperature", 95), seconds(240)));

        assertThat(future).isEqualTo("EVENT_TIME_AHEAD");
        assertThat(honest).containsOnly("APPLIED");
        assertThat(alerts)
                .singleElement()
                .satisfies(
                        alert -> {
                            assertThat(alert.getRuleId()).isEqualTo("temperature-high");
                            assertThat(alert.getCause().getEventId()).isEqualTo("e3");
                        });
    }

    @Test
    void aClockAheadWithinTheSkewDelaysTheDevicesReadingsByAtMostTheSkew() throws IOException {
        Duration skew = EventContract.DEFAULT_MAX_FUTURE_SKEW;
        feed(telemetry("e1", "d1", seconds(0), "temperature", 20), seconds(0));
        // Four minutes ahead: admitted. Honest readings behind it are applied (not late) but are
        // not the latest.
        assertThat(
                        feed(
                                telemetry(
                                        "e2",
                                        "d1",
                                        seconds(60).plus(Duration.ofMinutes(4)),
                                        "temperature",
                                        21),
                                seconds(60)))
                .isEqualTo("APPLIED");
        assertThat(feed(telemetry("e3", "d1", seconds(120), "temperature", 95), seconds(120)))
                .isEqualTo("APPLIED");
        assertThat(alerts).isEmpty();
        // Once the honest clock passes the reading from the future, the device's readings count
        // again.
        assertThat(
                        feed(
                                telemetry("e4", "d1", seconds(60).plus(skew), "temperature", 95),
                                seconds(60).plus(skew)))
                .isEqualTo("APPLIED");
        assertThat(alerts)
                .singleElement()
                .satisfies(alert -> assertThat(alert.getCause().getEventId()).isEqualTo("e4"));
    }

    /**
     * Admits the event as a record stamped at {@code recordTime}, folds it if admitted; the outcome
     * or dead-letter reason.
     */
    private String feed(DeviceEvent event, Instant recordTime) throws IOException {
        Admission admitted =
                admission.admit(
                        event.getDeviceId().getBytes(StandardCharsets.UTF_8),
                        serializer.serialize(event),
                        recordTime.toEpochMilli(),
                        deserializer::deserialize);
        if (admitted instanceof Admission.Refused refused) {
            return refused.reason().name();
        }
        FoldResult result =
                fold.apply(
                        state,
                        seen,
                        ((Admission.Admitted) admitted).event(),
                        new LogPosition("device-events", 0, offset++));
        state = result.state();
        alerts.addAll(result.alerts());
        return result.outcome().name();
    }
}
