package io.twinlog.serde;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.twinlog.schema.event.DeviceEvent;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.statistics.Statistics;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumReader;

/**
 * A producer that registers {@code DeviceEvent} with one more field (compatible: it has a default)
 * writes bytes the reader must skip. For every Avro type, as the first or last field of the event
 * or of a payload record, null or not: twinlog's bounded decoder reads the same event as plain
 * Avro's resolving reader from the same bytes.
 */
class EvolvedWriterSchemaTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** An added field: its type, a default, and how to make a value of it. */
    record Added(String name, String typeJson, String defaultJson) {}

    static final List<Added> TYPES =
            List.of(
                    new Added("string", "\"string\"", "\"\""),
                    new Added("bytes", "\"bytes\"", "\"\""),
                    new Added("int", "\"int\"", "0"),
                    new Added("long", "\"long\"", "0"),
                    new Added("float", "\"float\"", "0"),
                    new Added("double", "\"double\"", "0"),
                    new Added("boolean", "\"boolean\"", "false"),
                    new Added("optional string", "[\"null\", \"string\"]", "null"),
                    new Added("optional bytes", "[\"null\", \"bytes\"]", "null"),
                    new Added(
                            "map of strings", "{\"type\": \"map\", \"values\": \"string\"}", "{}"),
                    new Added("map of longs", "{\"type\": \"map\", \"values\": \"long\"}", "{}"),
                    new Added(
                            "array of strings",
                            "{\"type\": \"array\", \"items\": \"string\"}",
                            "[]"),
                    new Added(
                            "array of records",
                            "{\"type\": \"array\", \"items\": {\"type\": \"record\", \"name\": \"Hop\","
                                    + " \"fields\": [{\"name\": \"gateway\", \"type\": \"string\"},"
                                    + " {\"name\": \"rssi\", \"type\": \"int\"}]}}",
                            "[]"),
                    new Added(
                            "fixed",
                            "{\"type\": \"fixed\", \"name\": \"Mac\", \"size\": 6}",
                            "\"\\u0000\\u0000\\u0000\\u0000\\u0000\\u0000\""),
                    new Added(
                            "enum",
                            "{\"type\": \"enum\", \"name\": \"Power\", \"symbols\": [\"MAINS\","
                                    + " \"BATTERY\"]}",
                            "\"MAINS\""),
                    new Added(
                            "optional record",
                            "[\"null\", {\"type\": \"record\", \"name\": \"Trace\", \"fields\":"
                                    + " [{\"name\": \"id\", \"type\": \"string\"}, {\"name\":"
                                    + " \"sampled\", \"type\": \"boolean\"}]}]",
                            "null"));

    /** Where the field goes: the event itself, or one of the payload records. */
    static final List<String> RECORDS =
            List.of("DeviceEvent", "DeviceRegistered", "TelemetryReported", "FirmwareUpdated");

    /**
     * @param blocking written by Avro's blocking encoder, whose arrays and maps carry their size in
     *     bytes so that readers can skip them whole
     */
    record Case(
            int type,
            String record,
            boolean first,
            boolean withValue,
            int payload,
            boolean blocking,
            long seed) {}

    @Property(tries = 1_000)
    void anAddedFieldOfAnyTypeIsSkippedAsPlainAvroSkipsIt(@ForAll("cases") Case c)
            throws Exception {
        Added added = TYPES.get(c.type());
        Schema writer = writerSchema(added, c.record(), c.first());
        GenericRecord event = event(writer, c, added);
        byte[] body = encode(writer, event, c.blocking());

        DeviceEvent expected =
                new SpecificDatumReader<DeviceEvent>(
                                writer, DeviceEvent.getClassSchema(), SpecificData.get())
                        .read(null, DecoderFactory.get().binaryDecoder(body, null));
        byte[] framed = new byte[body.length + 5];
        System.arraycopy(body, 0, framed, 5, body.length);
        DeviceEvent actual = new AvroDatumDecoder<>(DeviceEvent.class).decode(writer, framed, 5);

        assertThat(actual).isEqualTo(expected);
        Statistics.label("type").collect(added.name());
        Statistics.label("placed").collect(c.record() + (c.first() ? " first" : " last"));
        Statistics.label("value").collect(c.withValue() ? "a value" : "the default");
        Statistics.label("encoder").collect(c.blocking() ? "blocking" : "plain");
    }

    @Provide
    Arbitrary<Case> cases() {
        return Combinators.combine(
                        Arbitraries.integers().between(0, TYPES.size() - 1),
                        Arbitraries.of(RECORDS),
                        Arbitraries.of(true, false),
                        Arbitraries.of(true, false),
                        Arbitraries.integers().between(0, 2),
                        Arbitraries.of(true, false),
                        Arbitraries.longs())
                .as(Case::new);
    }

    /** DeviceEvent's schema with the field added to one of its records. */
    static Schema writerSchema(Added added, String record, boolean first) throws IOException {
        ObjectNode schema = (ObjectNode) JSON.readTree(DeviceEvent.getClassSchema().toString());
        ObjectNode target =
                record.equals("DeviceEvent")
                        ? schema
                        : findRecord(schema.get("fields").get(3).get("type"), record);
        ObjectNode field = JSON.createObjectNode().put("name", "addedField");
        field.set("type", JSON.readTree(added.typeJson()));
        field.set("default", JSON.readTree(added.defaultJson()));
        ArrayNode fields = (ArrayNode) target.get("fields");
        if (first) {
            fields.insert(0, field);
        } else {
            fields.add(field);
        }
        return new Schema.Parser().parse(schema.toString());
    }

    private static ObjectNode findRecord(JsonNode union, String name) {
        for (JsonNode branch : union) {
            if (branch.path("name").asText().equals(name)) {
                return (ObjectNode) branch;
            }
        }
        throw new IllegalArgumentException(name);
    }

    /**
     * An event of the writer schema, with the added field set to a value or left at its default.
     */
    private static GenericRecord event(Schema writer, Case c, Added added) {
        java.util.Random random = new java.util.Random(c.seed());
        GenericRecord event = new GenericData.Record(writer);
        event.put("eventId", "e-" + random.nextInt(1000));
        event.put("deviceId", "d-" + random.nextInt(10));
        event.put("eventTime", 1_800_000_000_000L + random.nextInt(1_000_000));
        String payloadName =
                c.record().equals("DeviceEvent")
                        ? List.of("DeviceRegistered", "TelemetryReported", "FirmwareUpdated")
                                .get(c.payload())
                        : c.record();
        Schema payloadSchema =
                writer.getField("payload").schema().getTypes().stream()
                        .filter(t -> t.getName().equals(payloadName))
                        .findFirst()
                        .orElseThrow();
        GenericRecord payload = new GenericData.Record(payloadSchema);
        switch (payloadName) {
            case "DeviceRegistered" -> {
                payload.put("model", "m-" + random.nextInt(5));
                payload.put("firmwareVersion", "1." + random.nextInt(9));
                payload.put("tags", Map.of("site", "s" + random.nextInt(3)));
            }
            case "TelemetryReported" -> {
                Map<String, Double> readings = new LinkedHashMap<>();
                for (int i = 0; i <= random.nextInt(3); i++) {
                    readings.put("metric-" + i, random.nextDouble() * 100);
                }
                payload.put("readings", readings);
            }
            default -> payload.put("version", "2." + random.nextInt(9));
        }
        GenericRecord holder = c.record().equals("DeviceEvent") ? event : payload;
        Schema fieldSchema = holder.getSchema().getField("addedField").schema();
        holder.put(
                "addedField",
                c.withValue()
                        ? value(fieldSchema, random)
                        : GenericData.get()
                                .getDefaultValue(holder.getSchema().getField("addedField")));
        event.put("payload", payload);
        return event;
    }

    /** A non-default value of the schema (a union takes its non-null branch). */
    private static Object value(Schema schema, java.util.Random random) {
        return switch (schema.getType()) {
            case STRING -> "v" + "x".repeat(random.nextInt(40));
            case BYTES -> {
                byte[] bytes = new byte[1 + random.nextInt(60)];
                random.nextBytes(bytes);
                yield ByteBuffer.wrap(bytes);
            }
            case INT -> random.nextInt();
            case LONG -> random.nextLong();
            case FLOAT -> random.nextFloat();
            case DOUBLE -> random.nextDouble();
            case BOOLEAN -> true;
            case UNION -> value(schema.getTypes().get(1), random);
            case MAP -> {
                Map<String, Object> map = new LinkedHashMap<>();
                for (int i = 0; i <= random.nextInt(4); i++) {
                    map.put("k" + i, value(schema.getValueType(), random));
                }
                yield map;
            }
            case ARRAY -> {
                List<Object> items = new ArrayList<>();
                for (int i = 0; i <= random.nextInt(4); i++) {
                    items.add(value(schema.getElementType(), random));
                }
                yield items;
            }
            case FIXED -> {
                byte[] bytes = new byte[schema.getFixedSize()];
                random.nextBytes(bytes);
                yield new GenericData.Fixed(schema, bytes);
            }
            case ENUM -> new GenericData.EnumSymbol(schema, "BATTERY");
            case RECORD -> {
                GenericRecord record = new GenericData.Record(schema);
                for (Schema.Field field : schema.getFields()) {
                    record.put(field.name(), value(field.schema(), random));
                }
                yield record;
            }
            default -> throw new IllegalArgumentException(schema.toString());
        };
    }

    static byte[] encode(Schema schema, GenericRecord record, boolean blocking) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        BinaryEncoder encoder =
                blocking
                        ? new EncoderFactory()
                                .configureBlockSize(64)
                                .blockingBinaryEncoder(out, null)
                        : EncoderFactory.get().binaryEncoder(out, null);
        new GenericDatumWriter<GenericRecord>(schema).write(record, encoder);
        encoder.flush();
        return out.toByteArray();
    }

    /**
     * A writer with a sixth payload type is accepted by a BACKWARD_TRANSITIVE registry (a union may
     * gain branches); plain Avro reads its new events as a {@code DeviceDecommissioned}, the first
     * record whose fields all have defaults. The decoder refuses exactly those events.
     */
    @org.junit.jupiter.api.Test
    void anEventOfATypeTheReaderDoesNotKnowIsRefusedAndTheOthersDecode() throws Exception {
        ObjectNode schema = (ObjectNode) JSON.readTree(DeviceEvent.getClassSchema().toString());
        ((ArrayNode) schema.get("fields").get(3).get("type"))
                .add(
                        JSON.readTree(
                                "{\"type\": \"record\", \"name\": \"DeviceRebooted\", \"fields\":"
                                        + " [{\"name\": \"uptimeSeconds\", \"type\": \"long\"}]}"));
        Schema writer = new Schema.Parser().parse(schema.toString());
        Schema payloads = writer.getField("payload").schema();

        GenericRecord rebooted = new GenericData.Record(writer);
        rebooted.put("eventId", "e-1");
        rebooted.put("deviceId", "d-1");
        rebooted.put("eventTime", 1_800_000_000_000L);
        GenericRecord payload = new GenericData.Record(payloads.getTypes().get(5));
        payload.put("uptimeSeconds", 3600L);
        rebooted.put("payload", payload);
        byte[] framed = framed(encode(writer, rebooted, false));

        DeviceEvent plainAvro =
                new SpecificDatumReader<DeviceEvent>(
                                writer, DeviceEvent.getClassSchema(), SpecificData.get())
                        .read(
                                null,
                                DecoderFactory.get()
                                        .binaryDecoder(framed, 5, framed.length - 5, null));
        assertThat(plainAvro.getPayload())
                .as("what Avro alone makes of it")
                .isInstanceOf(io.twinlog.schema.event.DeviceDecommissioned.class);
        AvroDatumDecoder<DeviceEvent> decoder = new AvroDatumDecoder<>(DeviceEvent.class);
        assertThat(
                        org.assertj.core.api.Assertions.catchThrowable(
                                () -> decoder.decode(writer, framed, 5)))
                .isInstanceOf(UnknownUnionBranchException.class)
                .hasMessage(
                        "written as io.twinlog.schema.event.DeviceRebooted, which the reader's union"
                                + " of [DeviceRegistered, TelemetryReported, FirmwareUpdated,"
                                + " DeviceDecommissioned, SilenceObserved, DeviceRebooted] does not"
                                + " have");

        GenericRecord telemetry = new GenericData.Record(writer);
        telemetry.put("eventId", "e-2");
        telemetry.put("deviceId", "d-1");
        telemetry.put("eventTime", 1_800_000_000_000L);
        GenericRecord readings = new GenericData.Record(payloads.getTypes().get(1));
        readings.put("readings", Map.of("temperature", 21.5));
        telemetry.put("payload", readings);
        assertThat(decoder.decode(writer, framed(encode(writer, telemetry, false)), 5).getPayload())
                .isEqualTo(
                        new io.twinlog.schema.event.TelemetryReported(Map.of("temperature", 21.5)));
    }

    private static byte[] framed(byte[] body) {
        byte[] framed = new byte[body.length + 5];
        System.arraycopy(body, 0, framed, 5, body.length);
        return framed;
    }
}
