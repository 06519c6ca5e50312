package io.twinlog.serde;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.twinlog.registry.RegistryException;
import io.twinlog.registry.server.InMemorySchemaRegistry;
import io.twinlog.schema.TopicNames;
import io.twinlog.schema.event.DeviceEvent;
import io.twinlog.schema.event.DeviceRegistered;
import io.twinlog.schema.event.FirmwareUpdated;
import io.twinlog.schema.event.TelemetryReported;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.time.Instant;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.junit.jupiter.api.Test;

class ConfluentAvroSerdeTest {

    private static final String SUBJECT = TopicNames.valueSubject(TopicNames.DEVICE_EVENTS);

    private final InMemorySchemaRegistry registry = new InMemorySchemaRegistry();
    private final ConfluentAvroSerializer<DeviceEvent> serializer =
            new ConfluentAvroSerializer<>(registry, SUBJECT, DeviceEvent.class);
    private final ConfluentAvroDeserializer<DeviceEvent> deserializer =
            new ConfluentAvroDeserializer<>(registry, DeviceEvent.class);

    @Test
    void roundTripsEveryPayload() throws IOException {
        for (Object payload :
                new Object[] {
                    new DeviceRegistered("m-1", "1.0", Map.of("site", "berlin")),
                    new TelemetryReported(Map.of("temperature", 21.5, "battery", 88.0)),
                    new FirmwareUpdated("1.1")
                }) {
            DeviceEvent event = event("e-" + payload.getClass().getSimpleName(), payload);
            assertThat(deserializer.deserialize(serializer.serialize(event))).isEqualTo(event);
        }
    }

    @Test
    void goldenBytes() throws IOException {
        // Computed by hand from the Avro spec: zig-zag varint lengths, union branch 2 =
        // FirmwareUpdated.
        byte[] framed =
                HexFormat.ofDelimiter(" ")
                        .parseHex(
                                "00 00 00 00 01 06 65 2d 31 06 64 2d 31 80 a0 ab fe f9 62 04 06 31 2e 32");
        DeviceEvent expected =
                DeviceEvent.newBuilder()
                        .setEventId("e-1")
                        .setDeviceId("d-1")
                        .setEventTime(Instant.ofEpochMilli(1_700_000_000_000L))
                        .setPayload(new FirmwareUpdated("1.2"))
                        .build();

        assertThat(serializer.schemaId()).isEqualTo(1);
        assertThat(serializer.serialize(expected)).isEqualTo(framed);
        assertThat(deserializer.deserialize(framed)).isEqualTo(expected);
    }

    @Test
    void decodesRecordsWrittenWithAnOlderCompatibleSchema() throws IOException {
        // A producer still on a version of DeviceRegistered without tags (and the payload union
        // without
        // the later branches): the reader fills tags with its default.
        Schema older =
                new Schema.Parser()
                        .parse(
                                """
                {"type":"record","name":"DeviceEvent","namespace":"io.twinlog.schema.event","fields":[
                 {"name":"eventId","type":"string"},{"name":"deviceId","type":"string"},
                 {"name":"eventTime","type":{"type":"long","logicalType":"timestamp-millis"}},
                 {"name":"payload","type":[{"type":"record","name":"DeviceRegistered","fields":[
                   {"name":"model","type":"string"},{"name":"firmwareVersion","type":"string"}]}]}]}""");
        int olderId = registry.register("old-producer-value", older);
        GenericRecord payload =
                new GenericData.Record(older.getField("payload").schema().getTypes().get(0));
        payload.put("model", "m-0");
        payload.put("firmwareVersion", "0.9");
        GenericRecord record = new GenericData.Record(older);
        record.put("eventId", "e-old");
        record.put("deviceId", "d-1");
        record.put("eventTime", 1_000L);
        record.put("payload", payload);

        DeviceEvent decoded = deserializer.deserialize(frame(olderId, older, record));

        assertThat(decoded.getPayload()).isEqualTo(new DeviceRegistered("m-0", "0.9", Map.of()));
        assertThat(decoded.getEventTime()).isEqualTo(Instant.ofEpochMilli(1_000L));
    }

    @Test
    void refusesAnUnknownSchemaId() throws IOException {
        byte[] framed = serializer.serialize(event("e-1", new FirmwareUpdated("1")));
        framed[4] = 99;

        assertThatThrownBy(() -> deserializer.deserialize(framed))
                .isInstanceOfSatisfying(
                        RegistryException.class,
                        e ->
                                assertThat(e.errorCode())
                                        .isEqualTo(RegistryException.SCHEMA_NOT_FOUND));
    }

    @Test
    void refusesTruncatedAndOverlongBodies() throws IOException {
        byte[] framed = serializer.serialize(event("e-1", new TelemetryReported(Map.of("t", 1.0))));

        for (int length = WireFormat.HEADER_LENGTH; length < framed.length; length++) {
            byte[] truncated = Arrays.copyOf(framed, length);
            assertThatThrownBy(() -> deserializer.deserialize(truncated))
                    .as("truncated to %d bytes", length)
                    .isInstanceOf(MalformedAvroException.class);
        }
        byte[] overlong = Arrays.copyOf(framed, framed.length + 3);
        assertThatThrownBy(() -> deserializer.deserialize(overlong))
                .isInstanceOf(MalformedAvroException.class)
                .hasMessageContaining("left over");
    }

    @Test
    void aBadRecordDoesNotSpillIntoTheNextOne() throws IOException {
        byte[] good = serializer.serialize(event("e-1", new FirmwareUpdated("1.0")));
        byte[] bad = Arrays.copyOf(good, good.length);
        bad[WireFormat.HEADER_LENGTH + 14] = (byte) 0x7f; // union branch out of range

        assertThatThrownBy(() -> deserializer.deserialize(bad))
                .isInstanceOf(MalformedAvroException.class);
        assertThat(deserializer.deserialize(good).getEventId()).isEqualTo("e-1");
    }

    @Test
    void looksUpEachSchemaOnce() throws IOException {
        CachingRegistryProbe probe = new CachingRegistryProbe();
        for (int i = 0; i < 10; i++) {
            probe.deserializer.deserialize(
                    probe.serializer.serialize(event("e-" + i, new FirmwareUpdated("1"))));
        }
        assertThat(probe.registry.calls()).isEqualTo(1);
    }

    private static final class CachingRegistryProbe {
        final InMemorySchemaRegistry registry = new InMemorySchemaRegistry();
        final io.twinlog.registry.CachingSchemaRegistry cached =
                new io.twinlog.registry.CachingSchemaRegistry(registry);
        final ConfluentAvroSerializer<DeviceEvent> serializer =
                new ConfluentAvroSerializer<>(cached, SUBJECT, DeviceEvent.class);
        final ConfluentAvroDeserializer<DeviceEvent> deserializer =
                new ConfluentAvroDeserializer<>(cached, DeviceEvent.class);
    }

    private static DeviceEvent event(String id, Object payload) {
        return DeviceEvent.newBuilder()
                .setEventId(id)
                .setDeviceId("d-1")
                .setEventTime(Instant.ofEpochMilli(1_700_000_000_000L))
                .setPayload(payload)
                .build();
    }

    private static byte[] frame(int id, Schema schema, GenericRecord record) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        WireFormat.writeHeader(out, id);
        BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(out, null);
        new GenericDatumWriter<GenericRecord>(schema).write(record, encoder);
        encoder.flush();
        return out.toByteArray();
    }
}
