package io.twinlog.ingest;

import static io.twinlog.twin.DeviceEvents.seconds;
import static io.twinlog.twin.DeviceEvents.telemetry;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.twinlog.registry.RegistryException;
import io.twinlog.registry.RegistryUnavailableException;
import io.twinlog.registry.server.InMemorySchemaRegistry;
import io.twinlog.schema.event.DeviceEvent;
import io.twinlog.schema.event.DeviceRegistered;
import io.twinlog.serde.ConfluentAvroDeserializer;
import io.twinlog.serde.ConfluentAvroSerializer;
import io.twinlog.twin.DeviceEvents;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EventAdmissionTest {

    private final InMemorySchemaRegistry registry = new InMemorySchemaRegistry();
    private final ConfluentAvroSerializer<DeviceEvent> serializer =
            new ConfluentAvroSerializer<>(registry, "device-events-value", DeviceEvent.class);
    private final ConfluentAvroDeserializer<DeviceEvent> deserializer =
            new ConfluentAvroDeserializer<>(registry, DeviceEvent.class);
    private final EventAdmission admission =
            new EventAdmission(new EventContract(Duration.ofDays(1)));

    @Test
    void admitsAValidEventWithItsRecord() throws IOException {
        DeviceEvent event = telemetry("e1", "d1", seconds(0), "temperature", 20);
        byte[] value = serializer.serialize(event);

        Admission admitted = admit("d1", value, seconds(0).toEpochMilli());

        assertThat(admitted).isEqualTo(new Admission.Admitted(event));
    }

    @Test
    void classifiesEveryKindOfBadRecord() throws IOException {
        byte[] good = serializer.serialize(telemetry("e1", "d1", seconds(0), "temperature", 20));
        long timestamp = seconds(0).toEpochMilli();
        byte[] unknownId = Arrays.copyOf(good, good.length);
        unknownId[4] = 77;
        byte[] truncated = Arrays.copyOf(good, good.length - 3);

        assertReason(admit("d1", null, timestamp), DeadLetterReason.MISSING_VALUE);
        assertReason(admit(null, good, timestamp), DeadLetterReason.MISSING_KEY);
        assertReason(
                admit("d1", "{\"json\":true}".getBytes(StandardCharsets.UTF_8), timestamp),
                DeadLetterReason.NOT_WIRE_FORMAT);
        assertReason(admit("d1", new byte[] {0, 0}, timestamp), DeadLetterReason.NOT_WIRE_FORMAT);
        assertReason(admit("d1", unknownId, timestamp), DeadLetterReason.UNKNOWN_SCHEMA_ID);
        assertReason(admit("d1", truncated, timestamp), DeadLetterReason.MALFORMED_AVRO);
        assertReason(admit("d2", good, timestamp), DeadLetterReason.KEY_MISMATCH);
    }

    /**
     * Producers that upgraded before the job (docs/SERDE.md): a new optional field is read past, a
     * new event type is a dead letter, never another type.
     */
    @Test
    void newerWriterSchemasAreReadOrRefusedNeverMisread() throws IOException {
        org.apache.avro.Schema writer =
                new org.apache.avro.Schema.Parser()
                        .parse(
                                DeviceEvent.getClassSchema()
                                        .toString()
                                        .replaceFirst(
                                                "\\{\"name\":\"eventId\"",
                                                "{\"name\":\"gatewayId\",\"type\":\"string\",\"default\":\"\"},"
                                                        + "{\"name\":\"eventId\"")
                                        .replace(
                                                "{\"type\":\"record\",\"name\":\"SilenceObserved\"",
                                                "{\"type\":\"record\",\"name\":\"DeviceRebooted\","
                                                        + "\"fields\":[{\"name\":\"uptimeSeconds\",\"type\":\"long\"}]},"
                                                        + "{\"type\":\"record\",\"name\":\"SilenceObserved\""));
        int id = registry.register("device-events-value", writer);
        long timestamp = seconds(0).toEpochMilli();

        org.apache.avro.generic.GenericRecord telemetry = writerEvent(writer, "e1");
        org.apache.avro.generic.GenericRecord readings =
                new org.apache.avro.generic.GenericData.Record(
                        writer.getField("payload").schema().getTypes().get(1));
        readings.put("readings", Map.of("temperature", 20.0));
        telemetry.put("payload", readings);
        assertThat(admit("d1", framed(id, writer, telemetry), timestamp))
                .isEqualTo(
                        new Admission.Admitted(
                                telemetry("e1", "d1", seconds(0), "temperature", 20)));

        org.apache.avro.generic.GenericRecord rebooted = writerEvent(writer, "e2");
        org.apache.avro.generic.GenericRecord uptime =
                new org.apache.avro.generic.GenericData.Record(
                        writer.getField("payload").schema().getTypes().get(4));
        uptime.put("uptimeSeconds", 3600L);
        rebooted.put("payload", uptime);
        Admission refused = admit("d1", framed(id, writer, rebooted), timestamp);
        assertReason(refused, DeadLetterReason.UNKNOWN_EVENT_TYPE);
        assertThat(((Admission.Refused) refused).message())
                .isEqualTo(
                        "the event's payload is a io.twinlog.schema.event.DeviceRebooted, a type"
                                + " this job does not know: upgrade the job (the readers) before the"
                                + " producers that write it");
    }

    private static org.apache.avro.generic.GenericRecord writerEvent(
            org.apache.avro.Schema writer, String eventId) {
        org.apache.avro.generic.GenericRecord event =
                new org.apache.avro.generic.GenericData.Record(writer);
        event.put("gatewayId", "gw-7"); // a value: the reader must skip its bytes
        event.put("eventId", eventId);
        event.put("deviceId", "d1");
        event.put("eventTime", seconds(0).toEpochMilli());
        return event;
    }

    private static byte[] framed(
            int id, org.apache.avro.Schema writer, org.apache.avro.generic.GenericRecord event)
            throws IOException {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        io.twinlog.serde.WireFormat.writeHeader(out, id);
        org.apache.avro.io.BinaryEncoder encoder =
                org.apache.avro.io.EncoderFactory.get().binaryEncoder(out, null);
        new org.apache.avro.generic.GenericDatumWriter<org.apache.avro.generic.GenericRecord>(
                        writer)
                .write(event, encoder);
        encoder.flush();
        return out.toByteArray();
    }

    @Test
    void contractViolationsNameTheBrokenRule() throws IOException {
        long timestamp = seconds(0).toEpochMilli();
        assertViolation(
                telemetry("", "d1", seconds(0), "t", 1), "d1", timestamp, "eventId is empty");
        assertViolation(
                telemetry("e1", "", seconds(0), "t", 1), "", timestamp, "deviceId is empty");
        assertViolation(
                telemetry("e1", "d1", Instant.parse("1970-01-01T00:00:10Z"), "t", 1),
                "d1",
                timestamp,
                "device clock not set");
        assertViolation(
                telemetry("e1", "d1", seconds(0), "t", Double.NaN),
                "d1",
                timestamp,
                "reading t is NaN");
        assertViolation(
                telemetry("e1", "d1", seconds(0), "t", Double.POSITIVE_INFINITY),
                "d1",
                timestamp,
                "Infinity");
        assertViolation(
                telemetry("e1", "d1", seconds(0), " ", 1), "d1", timestamp, "empty metric name");
    }

    @Test
    void anEventTimeFurtherAheadOfItsRecordThanTheSkewIsADeadLetter() throws IOException {
        long timestamp = seconds(0).toEpochMilli();
        DeviceEvent onTheBound = telemetry("e1", "d1", seconds(0).plus(Duration.ofDays(1)), "t", 1);
        DeviceEvent beyond =
                telemetry("e1", "d1", seconds(0).plus(Duration.ofDays(1)).plusMillis(1), "t", 1);

        assertThat(admit("d1", serializer.serialize(onTheBound), timestamp))
                .isInstanceOf(Admission.Admitted.class);
        Admission admitted = admit("d1", serializer.serialize(beyond), timestamp);
        assertReason(admitted, DeadLetterReason.EVENT_TIME_AHEAD);
        assertThat(((Admission.Refused) admitted).message())
                .contains("more than 1d ahead of the record's timestamp")
                .contains("max.future.skew");
    }

    @Test
    void eventsBeyondTheLimitsAreDeadLettersNamingTheLimit() throws IOException {
        EventAdmission small =
                new EventAdmission(
                        new EventContract(Duration.ofDays(1), new EventLimits(8, 4, 6, 2, 1)));
        long t = seconds(0).toEpochMilli();
        Map<String, String> expected = new LinkedHashMap<>();
        expected.put(
                "eventId has 9 characters (e12345678); the limit is 8 (limits.max-id-length)",
                admitLimit(small, telemetry("e12345678", "d1", seconds(0), "t", 1), "d1", t));
        expected.put(
                "deviceId has 9 characters",
                admitLimit(
                        small, telemetry("e1", "d12345678", seconds(0), "t", 1), "d12345678", t));
        expected.put(
                "the event has 3 readings; the limit is 2 (limits.max-metrics-per-event)",
                admitLimit(
                        small, telemetry("e1", "d1", seconds(0), "a", 1, "b", 2, "c", 3), "d1", t));
        expected.put(
                "a metric name has 5 characters",
                admitLimit(small, telemetry("e1", "d1", seconds(0), "abcde", 1), "d1", t));
        expected.put(
                "model has 7 characters",
                admitLimit(
                        small,
                        DeviceEvents.event(
                                "e1",
                                "d1",
                                seconds(0),
                                new DeviceRegistered("m234567", "1", Map.of())),
                        "d1",
                        t));
        expected.put(
                "the registration has 2 tags; the limit is 1 (limits.max-tags)",
                admitLimit(
                        small,
                        DeviceEvents.event(
                                "e1",
                                "d1",
                                seconds(0),
                                new DeviceRegistered("m", "1", Map.of("a", "1", "b", "2"))),
                        "d1",
                        t));
        expected.put(
                "a tag name has 5 characters",
                admitLimit(
                        small,
                        DeviceEvents.event(
                                "e1",
                                "d1",
                                seconds(0),
                                new DeviceRegistered("m", "1", Map.of("abcde", "1"))),
                        "d1",
                        t));
        expected.put(
                "tag a has 7 characters",
                admitLimit(
                        small,
                        DeviceEvents.event(
                                "e1",
                                "d1",
                                seconds(0),
                                new DeviceRegistered("m", "1", Map.of("a", "1234567"))),
                        "d1",
                        t));
        expected.put(
                "firmware version has 7 characters",
                admitLimit(
                        small, DeviceEvents.firmware("e1", "d1", seconds(0), "1234567"), "d1", t));
        expected.put(
                "decommission reason has 7 characters",
                admitLimit(
                        small,
                        DeviceEvents.decommissioned("e1", "d1", seconds(0), "1234567"),
                        "d1",
                        t));

        expected.forEach((message, actual) -> assertThat(actual).startsWith(message));
        assertThat(
                        small.admit(
                                key("d1"),
                                serializer.serialize(
                                        telemetry("e1", "d1", seconds(0), "abcd", 1, "b", 2)),
                                t,
                                deserializer::deserialize))
                .as("on every bound")
                .isInstanceOf(Admission.Admitted.class);
    }

    @Test
    void messagesStaySmallWhateverTheRecordHolds() throws IOException {
        String hugeKey = "k".repeat(900_000);
        Admission admitted =
                admit(
                        hugeKey,
                        serializer.serialize(telemetry("e1", "d1", seconds(0), "t", 1)),
                        seconds(0).toEpochMilli());

        assertReason(admitted, DeadLetterReason.KEY_MISMATCH);
        assertThat(((Admission.Refused) admitted).message())
                .hasSizeLessThan(EventAdmission.MAX_MESSAGE_LENGTH + 4)
                .contains("(900000 bytes)");
    }

    @Test
    void anObservationWithAnOverlongLastEventIdIsRefusedToo() throws IOException {
        EventAdmission small =
                new EventAdmission(
                        new EventContract(Duration.ofDays(1), new EventLimits(8, 4, 6, 2, 1)));
        DeviceEvent observation =
                DeviceEvents.event(
                        "e1",
                        "d1",
                        seconds(0),
                        new io.twinlog.schema.event.SilenceObserved("x".repeat(9)));

        assertThat(admitLimit(small, observation, "d1", seconds(0).toEpochMilli()))
                .startsWith("lastEventId has 9 characters (xxxxxxxxx); the limit is 8");
    }

    @Test
    void aRecordStampedAtTheEpochIsCheckedLikeAnyOther() throws IOException {
        // Kafka's "no timestamp" is -1; 0 is a timestamp, and an event of 2026 is far ahead of it.
        assertReason(
                admit("d1", serializer.serialize(telemetry("e1", "d1", seconds(0), "t", 1)), 0),
                DeadLetterReason.EVENT_TIME_AHEAD);
        assertThat(admit("d1", serializer.serialize(telemetry("e1", "d1", seconds(0), "t", 1)), -1))
                .isInstanceOf(Admission.Admitted.class);
    }

    @Test
    void messagesAreCutAtTheirBoundOnly() {
        String atTheBound = "m".repeat(EventAdmission.MAX_MESSAGE_LENGTH);
        assertThat(EventAdmission.bounded(atTheBound)).isEqualTo(atTheBound);
        assertThat(EventAdmission.bounded(atTheBound + "m")).isEqualTo(atTheBound + "...");
        assertThat(EventAdmission.bounded(null)).isEmpty();
        assertThat(EventLimits.abbreviate("a".repeat(40))).isEqualTo("a".repeat(40));
        assertThat(EventLimits.abbreviate("a".repeat(41))).isEqualTo("a".repeat(40) + "...");
    }

    private String admitLimit(EventAdmission small, DeviceEvent event, String key, long timestamp)
            throws IOException {
        Admission admitted =
                small.admit(
                        key(key),
                        serializer.serialize(event),
                        timestamp,
                        deserializer::deserialize);
        assertReason(admitted, DeadLetterReason.LIMIT_EXCEEDED);
        return ((Admission.Refused) admitted).message();
    }

    @Test
    void anUnreachableRegistryIsRetriedNotDeadLettered() {
        EventAdmission.ValueDecoder down =
                value -> {
                    throw new RegistryUnavailableException("registry down", null);
                };
        assertThatThrownBy(() -> admission.admit(key("d1"), new byte[] {0, 0, 0, 0, 1, 2}, 0, down))
                .isInstanceOf(RegistryUnavailableException.class);

        EventAdmission.ValueDecoder forbidden =
                value -> {
                    throw new RegistryException(401, 401, "unauthorized");
                };
        assertThatThrownBy(
                        () ->
                                admission.admit(
                                        key("d1"), new byte[] {0, 0, 0, 0, 1, 2}, 0, forbidden))
                .as("a misconfiguration stops the job")
                .isInstanceOf(RegistryException.class);
    }

    private void assertViolation(DeviceEvent event, String key, long timestamp, String message)
            throws IOException {
        Admission admitted = admit(key, serializer.serialize(event), timestamp);
        assertReason(admitted, DeadLetterReason.CONTRACT_VIOLATION);
        assertThat(((Admission.Refused) admitted).message()).contains(message);
    }

    private static void assertReason(Admission admitted, DeadLetterReason reason) {
        assertThat(admitted)
                .isInstanceOfSatisfying(
                        Admission.Refused.class,
                        refused -> {
                            assertThat(refused.reason()).isEqualTo(reason);
                            assertThat(refused.message()).isNotBlank();
                            assertThat(refused.errorClass()).isNotBlank();
                        });
    }

    private Admission admit(String key, byte[] value, long timestamp) throws IOException {
        return admission.admit(key(key), value, timestamp, deserializer::deserialize);
    }

    private static byte[] key(String key) {
        return key == null ? null : key.getBytes(StandardCharsets.UTF_8);
    }
}
