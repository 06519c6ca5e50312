package io.twinlog.bench.drills;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.twinlog.cli.simulator.DeviceSimulator;
import io.twinlog.cli.simulator.EmissionEncoder;
import io.twinlog.registry.SchemaRegistry;
import io.twinlog.schema.TopicNames;
import io.twinlog.schema.event.DeviceEvent;
import io.twinlog.serde.ConfluentAvroSerializer;
import io.twinlog.serde.WireFormat;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.DecoderFactory;

/**
 * A fixed event log for the drills: records with their bytes, keys and Kafka timestamps decided up
 * front, so that every run of it (the reference and each drill, on a freshly cleaned stack with the
 * schemas registered in the same order) holds the same log at the same offsets, and must produce
 * the same outputs byte for byte.
 */
final class DrillScenario {

    /** One record to produce. */
    record Record(byte[] key, byte[] value, long timestamp, DeviceSimulator.Kind kind) {}

    private static final ObjectMapper JSON = new ObjectMapper();

    private final List<Record> records;
    private final Schema nextEventSchema;

    private DrillScenario(List<Record> records, Schema nextEventSchema) {
        this.records = records;
        this.nextEventSchema = nextEventSchema;
    }

    /**
     * Devices with a realistic share of faults (duplicates, out-of-order, late events, bad
     * records), at a nominal rate that spaces event times. From {@code newSchemaFrom} (a share of
     * the records) on, valid events are written with the next version of the DeviceEvent schema
     * (one more optional field, set), as an upgraded producer would. Without {@code
     * unknownSchemaIds}, no bad record names a schema id the registry does not have: such a record
     * needs the registry to be dead-lettered.
     */
    static DrillScenario build(
            SchemaRegistry registry,
            TopicNames topics,
            int count,
            int devices,
            double rate,
            DeviceSimulator.Faults faults,
            boolean unknownSchemaIds,
            double newSchemaFrom,
            long seed)
            throws IOException {
        return build(
                registry,
                topics,
                count,
                devices,
                rate,
                faults,
                unknownSchemaIds,
                newSchemaFrom,
                seed,
                System.currentTimeMillis() - Duration.ofMinutes(10).toMillis());
    }

    /**
     * As above, the first event at {@code start}: a scenario spanning more event time than the
     * drill's wall time starts in the past, so that no record is stamped ahead of the broker's
     * clock.
     */
    static DrillScenario build(
            SchemaRegistry registry,
            TopicNames topics,
            int count,
            int devices,
            double rate,
            DeviceSimulator.Faults faults,
            boolean unknownSchemaIds,
            double newSchemaFrom,
            long seed,
            long start)
            throws IOException {
        String subject = TopicNames.valueSubject(topics.events());
        ConfluentAvroSerializer<DeviceEvent> serializer =
                new ConfluentAvroSerializer<>(registry, subject, DeviceEvent.class);
        serializer.schemaId();
        Schema next = nextEventSchema();
        int nextId = registry.register(subject, next);
        EmissionEncoder encoder = new EmissionEncoder(serializer);
        DeviceSimulator simulator =
                new DeviceSimulator(devices, "dev-", seed, faults, Duration.ofHours(2));
        List<Record> records = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            long time = start + (long) (i * 1000 / rate);
            DeviceSimulator.Emission emission = simulator.next(time);
            if (!unknownSchemaIds
                    && emission.malformation() == DeviceSimulator.Malformation.UNKNOWN_SCHEMA_ID) {
                continue;
            }
            byte[] value = encoder.value(emission);
            if (i >= count * newSchemaFrom
                    && emission.kind() != DeviceSimulator.Kind.MALFORMED
                    && emission.kind() != DeviceSimulator.Kind.DUPLICATE) {
                value = withNextSchema(value, nextId);
            }
            records.add(new Record(EmissionEncoder.key(emission), value, time, emission.kind()));
        }
        DrillScenario scenario = new DrillScenario(records, next);
        scenario.checkNextSchemaRecordsDecode(nextId);
        return scenario;
    }

    /** One device sending {@code factor} times as often as each of the others. */
    static DrillScenario flood(
            SchemaRegistry registry,
            TopicNames topics,
            int count,
            int devices,
            int factor,
            double rate,
            long seed)
            throws IOException {
        ConfluentAvroSerializer<DeviceEvent> serializer =
                new ConfluentAvroSerializer<>(
                        registry, TopicNames.valueSubject(topics.events()), DeviceEvent.class);
        EmissionEncoder encoder = new EmissionEncoder(serializer);
        DeviceSimulator others =
                new DeviceSimulator(
                        devices, "dev-", seed, DeviceSimulator.Faults.none(), Duration.ofHours(2));
        DeviceSimulator flooding =
                new DeviceSimulator(
                        1, "flood-", seed + 1, DeviceSimulator.Faults.none(), Duration.ofHours(2));
        double floodShare = (double) factor / (devices + factor);
        java.util.Random dice = new java.util.Random(seed);
        long start = System.currentTimeMillis() - Duration.ofMinutes(10).toMillis();
        List<Record> records = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            long time = start + (long) (i * 1000 / rate);
            DeviceSimulator.Emission emission =
                    (i == 0 || dice.nextDouble() < floodShare ? flooding : others).next(time);
            records.add(
                    new Record(
                            EmissionEncoder.key(emission),
                            encoder.value(emission),
                            time,
                            emission.kind()));
        }
        return new DrillScenario(records, null);
    }

    List<Record> records() {
        return records;
    }

    /**
     * The same log with {@code n} malformed records of 1,048,300 bytes spread through it: as large
     * as the broker takes, too large to forward as dead letters with their headers. Their first
     * bytes are a valid header, so they fail in the Avro body.
     */
    DrillScenario withOversized(int n, long seed) {
        java.util.Random random = new java.util.Random(seed);
        byte[] header =
                Arrays.copyOf(
                        records.stream()
                                .filter(r -> r.kind() != DeviceSimulator.Kind.MALFORMED)
                                .findFirst()
                                .orElseThrow()
                                .value(),
                        WireFormat.HEADER_LENGTH);
        List<Record> mixed = new ArrayList<>(records.size() + n);
        int every = Math.max(1, records.size() / (n + 1));
        for (int i = 0; i < records.size(); i++) {
            Record record = records.get(i);
            mixed.add(record);
            if ((i + 1) % every == 0 && mixed.size() - i - 1 < n) {
                byte[] value = new byte[1_048_300];
                random.nextBytes(value);
                System.arraycopy(header, 0, value, 0, header.length);
                mixed.add(
                        new Record(
                                record.key(),
                                value,
                                record.timestamp(),
                                DeviceSimulator.Kind.MALFORMED));
            }
        }
        return new DrillScenario(mixed, nextEventSchema);
    }

    long count(DeviceSimulator.Kind kind) {
        return records.stream().filter(r -> r.kind() == kind).count();
    }

    /**
     * The DeviceEvent schema with one more optional field: what a producer's next release writes.
     */
    static Schema nextEventSchema() throws IOException {
        ObjectNode schema = (ObjectNode) JSON.readTree(DeviceEvent.getClassSchema().toString());
        ObjectNode field = JSON.createObjectNode().put("name", "gatewayId");
        field.putArray("type").add("null").add("string");
        field.putNull("default");
        ((ArrayNode) schema.get("fields")).add(field);
        return new Schema.Parser().parse(schema.toString());
    }

    /**
     * The record under the next schema: its new optional field is last and set, which Avro's binary
     * encoding writes as the union index 1 and the string after the other fields, so a reader of
     * the older schema must skip them; the framing names the new id.
     */
    private static byte[] withNextSchema(byte[] value, int nextId) {
        byte[] gateway = GATEWAY.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        byte[] upgraded = Arrays.copyOf(value, value.length + 2 + gateway.length);
        ByteBuffer.wrap(upgraded, 1, 4).putInt(nextId);
        upgraded[value.length] = 2; // union index 1, zig-zag
        upgraded[value.length + 1] = (byte) (gateway.length * 2); // the string's length, zig-zag
        System.arraycopy(gateway, 0, upgraded, value.length + 2, gateway.length);
        return upgraded;
    }

    /** The gateway id the upgraded producer writes. */
    private static final String GATEWAY = "gateway-7";

    private void checkNextSchemaRecordsDecode(int nextId) throws IOException {
        GenericDatumReader<GenericRecord> reader = new GenericDatumReader<>(nextEventSchema);
        for (Record record : records) {
            if (record.kind() != DeviceSimulator.Kind.MALFORMED
                    && record.kind() != DeviceSimulator.Kind.DUPLICATE
                    && WireFormat.schemaId(record.value()) == nextId) {
                var decoder =
                        DecoderFactory.get()
                                .binaryDecoder(
                                        record.value(),
                                        WireFormat.HEADER_LENGTH,
                                        record.value().length - WireFormat.HEADER_LENGTH,
                                        null);
                GenericRecord event = reader.read(null, decoder);
                if (!decoder.isEnd() || !GATEWAY.equals(String.valueOf(event.get("gatewayId")))) {
                    throw new IllegalStateException(
                            "a record of the next schema does not decode as one");
                }
                return;
            }
        }
    }
}
