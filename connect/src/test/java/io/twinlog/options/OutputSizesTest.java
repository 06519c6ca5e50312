package io.twinlog.options;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.twinlog.alerts.AlertRules;
import io.twinlog.alerts.AlertRulesFile;
import io.twinlog.ingest.EventLimits;
import io.twinlog.schema.TopicNames;
import io.twinlog.schema.common.EventRef;
import io.twinlog.schema.common.LogPosition;
import io.twinlog.schema.derived.RejectionReason;
import io.twinlog.schema.twin.DeviceStatus;
import io.twinlog.schema.twin.DeviceTwin;
import io.twinlog.schema.twin.Reading;
import io.twinlog.schema.twin.TwinCounters;
import io.twinlog.twin.AlertRecords;
import io.twinlog.twin.DerivedEvents;
import io.twinlog.twin.FoldSettings;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.header.Header;
import org.junit.jupiter.api.Test;

/**
 * The bounds must hold for the largest records devices can cause: built here from the limits with
 * characters that take three bytes in UTF-8 and the longest numbers, and measured as the producer
 * measures them.
 */
class OutputSizesTest {

    private static final EventLimits LIMITS = new EventLimits(40, 20, 60, 8, 6);
    private static final FoldSettings FOLD =
            new FoldSettings(
                    Duration.ofHours(1), Duration.ofHours(1), 100, Duration.ofMinutes(10), 12);
    private static final AlertRules RULES =
            AlertRulesFile.parse(
                    """
            {"rules": [
              {"id": "a-rule-with-a-rather-long-identifier", "metric": "a-metric-with-a-long-name", "high": 80},
              {"id": "r2", "metric": "m", "low": -1.2345678901234567E-300, "deadband": 1.2345678901234567E300}
            ]}""");
    private static final TopicNames TOPICS = TopicNames.defaults();

    @Test
    void theLargestTwinFitsItsBound() throws IOException {
        String id = wide(LIMITS.maxIdLength());
        Map<String, String> tags = new HashMap<>();
        for (int i = 0; i < LIMITS.maxTags(); i++) {
            tags.put(wide(LIMITS.maxNameLength() - 2) + i + i, wide(LIMITS.maxTextLength()));
        }
        Map<String, Reading> readings = new HashMap<>();
        for (int i = 0; i < FOLD.maxMetricsPerDevice(); i++) {
            readings.put(
                    wide(LIMITS.maxNameLength() - 2) + i + i,
                    new Reading(
                            -Double.MAX_VALUE,
                            Instant.ofEpochMilli(Long.MIN_VALUE),
                            wide(LIMITS.maxIdLength())));
        }
        List<String> activeAlerts = new ArrayList<>(List.of(AlertRules.SILENCE_RULE_ID));
        RULES.all().forEach(rule -> activeAlerts.add(rule.id()));
        Instant far = Instant.ofEpochMilli(Long.MIN_VALUE);
        DeviceTwin twin =
                DeviceTwin.newBuilder()
                        .setDeviceId(id)
                        .setStatus(DeviceStatus.DECOMMISSIONED)
                        .setOnline(false)
                        .setModel(wide(LIMITS.maxTextLength()))
                        .setFirmwareVersion(wide(LIMITS.maxTextLength()))
                        .setFirmwareUpdatedAt(far)
                        .setTags(tags)
                        .setReadings(readings)
                        .setRegisteredAt(far)
                        .setDecommissionedAt(far)
                        .setDecommissionReason(wide(LIMITS.maxTextLength()))
                        .setFirstSeen(far)
                        .setLastSeen(far)
                        .setCounters(
                                new TwinCounters(
                                        Long.MIN_VALUE,
                                        Long.MIN_VALUE,
                                        Long.MIN_VALUE,
                                        Long.MIN_VALUE))
                        .setLastEvent(cause(id))
                        .setActiveAlerts(activeAlerts)
                        .build();

        assertThat(recordSize(id, twin))
                .isLessThanOrEqualTo(OutputSizes.largestRecord(LIMITS, FOLD, RULES, TOPICS));
        assertThat(encoded(twin))
                .isLessThanOrEqualTo(OutputSizes.twin(LIMITS, FOLD, RULES, TOPICS));
    }

    @Test
    void theLargestDerivedEventsAndAlertsFitTheirBounds() throws IOException {
        String id = wide(LIMITS.maxIdLength());
        String text = wide(LIMITS.maxTextLength());
        long time = Long.MIN_VALUE;

        assertThat(encoded(DerivedEvents.registered(id, time, cause(id), text, text)))
                .isLessThanOrEqualTo(OutputSizes.derivedEvent(LIMITS, TOPICS));
        assertThat(encoded(DerivedEvents.firmwareChanged(id, time, cause(id), text, text)))
                .isLessThanOrEqualTo(OutputSizes.derivedEvent(LIMITS, TOPICS));
        assertThat(
                        encoded(
                                DerivedEvents.rejected(
                                        id,
                                        time,
                                        cause(id),
                                        RejectionReason.TOO_MANY_METRICS,
                                        "the twin keeps"
                                                + " at most 2147483647 metrics (limits.max-metrics-per-device); it has 2147483647 and this event adds"
                                                + " 2147483647")))
                .isLessThanOrEqualTo(OutputSizes.derivedEvent(LIMITS, TOPICS));
        for (var rule : RULES.all()) {
            assertThat(encoded(AlertRecords.raised(id, rule, -Double.MAX_VALUE, time, cause(id))))
                    .isLessThanOrEqualTo(OutputSizes.alert(LIMITS, RULES, TOPICS));
            assertThat(
                            encoded(
                                    AlertRecords.cleared(
                                            id,
                                            rule,
                                            wide(36),
                                            time,
                                            -Double.MIN_VALUE,
                                            time,
                                            cause(id))))
                    .isLessThanOrEqualTo(OutputSizes.alert(LIMITS, RULES, TOPICS));
        }
    }

    @Test
    void theDefaultsFitKafkasDefaultRecordSizeAndLargerLimitsAreRefused() {
        FoldSettings defaults = FoldSettings.defaults();
        assertThat(OutputSizes.largestRecord(EventLimits.defaults(), defaults, RULES, TOPICS))
                .isLessThan(OutputSizes.DEFAULT_MAX_RECORD_BYTES / 2);

        FoldSettings tooMany =
                new FoldSettings(
                        Duration.ofHours(1), Duration.ofHours(1), 100, Duration.ZERO, 5_000);
        assertThatThrownBy(
                        () ->
                                OutputSizes.check(
                                        EventLimits.defaults(),
                                        tooMany,
                                        RULES,
                                        TOPICS,
                                        OutputSizes.DEFAULT_MAX_RECORD_BYTES))
                .hasMessageContaining("--limits.max-metrics-per-device")
                .hasMessageContaining("--sink.max-record-bytes");
        assertThatThrownBy(
                        () ->
                                OutputSizes.check(
                                        EventLimits.defaults(), defaults, RULES, TOPICS, 1000))
                .hasMessageContaining("at least 65536");
    }

    /** A string of characters that take three bytes each in UTF-8. */
    private static String wide(int length) {
        return "\u4e16".repeat(length);
    }

    private static EventRef cause(String id) {
        return new EventRef(
                id,
                new LogPosition(
                        "x".repeat(TOPICS.all().stream().mapToInt(String::length).max().orElse(0)),
                        Integer.MIN_VALUE,
                        Long.MIN_VALUE));
    }

    private static long recordSize(String key, SpecificRecord value) throws IOException {
        byte[] framed = new byte[5 + (int) encoded(value)];
        return io.twinlog.connect.ForwardedRecords.size(
                key.getBytes(StandardCharsets.UTF_8), framed, List.<Header>of());
    }

    private static <T extends SpecificRecord> long encoded(T record) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(out, null);
        @SuppressWarnings("unchecked")
        SpecificDatumWriter<T> writer = new SpecificDatumWriter<>((Class<T>) record.getClass());
        writer.write(record, encoder);
        encoder.flush();
        return out.size();
    }
}
