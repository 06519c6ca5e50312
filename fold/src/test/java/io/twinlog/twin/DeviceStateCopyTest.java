package io.twinlog.twin;

import static org.assertj.core.api.Assertions.assertThat;

import io.twinlog.schema.state.DeviceState;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.avro.specific.SpecificRecord;
import org.junit.jupiter.api.Test;

/**
 * The hand-written copy is Avro's deep copy: on random states that fill every field of the schema
 * (nulls, empty and long maps and lists), the copy is equal, encodes to the same bytes (maps in the
 * same order), and shares no record, map, list or buffer with the original.
 */
class DeviceStateCopyTest {

    @Test
    void copiesEveryFieldAsAvroDoes() throws IOException {
        Random random = new Random(20261207);
        for (int i = 0; i < 500; i++) {
            DeviceState state = (DeviceState) value(DeviceState.getClassSchema(), random, 0);
            DeviceState avro = DeviceState.newBuilder(state).build();
            DeviceState copy = DeviceStateCopy.of(state);

            assertThat(copy).isEqualTo(avro).isEqualTo(state);
            assertThat(encode(copy)).isEqualTo(encode(avro));
            assertSharesNothing(state, copy, DeviceState.getClassSchema());
        }
    }

    @Test
    void aCopyChangedLeavesTheOriginal() {
        DeviceState state = (DeviceState) value(DeviceState.getClassSchema(), new Random(7), 0);
        DeviceState before = DeviceState.newBuilder(state).build();
        DeviceState copy = DeviceStateCopy.of(state);
        copy.getTwin().getReadings().clear();
        copy.getTwin().getCounters().setApplied(-1L);
        copy.getTwin().getActiveAlerts().add("changed");
        copy.getRules().clear();
        if (copy.getSeenIds() != null && !copy.getSeenIds().getSpilled().isEmpty()) {
            copy.getSeenIds().getSpilled().get(0).getFilter().put(0, (byte) 42);
            copy.getSeenIds().getSpilled().get(0).setCount(-1);
        }
        assertThat(state).isEqualTo(before);
    }

    @Test
    void nullIsNull() {
        assertThat(DeviceStateCopy.of(null)).isNull();
    }

    /** Every container reachable from the copy is a new object. */
    private static void assertSharesNothing(Object original, Object copy, Schema schema) {
        IdentityHashMap<Object, Boolean> originals = new IdentityHashMap<>();
        collect(original, schema, originals);
        IdentityHashMap<Object, Boolean> copies = new IdentityHashMap<>();
        collect(copy, schema, copies);
        copies.keySet().forEach(object -> assertThat(originals).doesNotContainKey(object));
    }

    private static void collect(
            Object value, Schema schema, IdentityHashMap<Object, Boolean> into) {
        if (value == null) {
            return;
        }
        switch (schema.getType()) {
            case RECORD -> {
                into.put(value, true);
                for (Schema.Field field : schema.getFields()) {
                    collect(((SpecificRecord) value).get(field.pos()), field.schema(), into);
                }
            }
            case MAP -> {
                into.put(value, true);
                ((Map<?, ?>) value).values().forEach(v -> collect(v, schema.getValueType(), into));
            }
            case ARRAY -> {
                into.put(value, true);
                ((List<?>) value).forEach(v -> collect(v, schema.getElementType(), into));
            }
            case BYTES -> into.put(value, true);
            case UNION ->
                    collect(
                            value,
                            schema.getTypes().get(SpecificData.get().resolveUnion(schema, value)),
                            into);
            default -> {}
        }
    }

    /** A random value of the schema, as the generated classes hold it. */
    private static Object value(Schema schema, Random random, int depth) {
        return switch (schema.getType()) {
            case RECORD -> {
                SpecificRecord record = (SpecificRecord) SpecificData.get().newRecord(null, schema);
                for (Schema.Field field : schema.getFields()) {
                    record.put(field.pos(), value(field.schema(), random, depth + 1));
                }
                yield record;
            }
            case UNION -> {
                List<Schema> types = schema.getTypes();
                yield value(types.get(random.nextInt(types.size())), random, depth);
            }
            case MAP -> {
                Map<String, Object> map = new HashMap<>();
                int size = random.nextInt(depth < 3 ? 40 : 4);
                for (int i = 0; i < size; i++) {
                    map.put(
                            "k" + random.nextInt(1000),
                            value(schema.getValueType(), random, depth));
                }
                yield map;
            }
            case ARRAY -> {
                GenericData.Array<Object> array =
                        new GenericData.Array<>(random.nextInt(1, 8), schema);
                int size = random.nextInt(depth < 3 ? 200 : 4);
                for (int i = 0; i < size; i++) {
                    array.add(value(schema.getElementType(), random, depth + 1));
                }
                yield array;
            }
            case ENUM -> {
                List<String> symbols = schema.getEnumSymbols();
                yield SpecificData.get()
                        .createEnum(symbols.get(random.nextInt(symbols.size())), schema);
            }
            case STRING -> "s" + random.nextInt(100_000);
            case BYTES -> {
                byte[] bytes = new byte[random.nextInt(48)];
                random.nextBytes(bytes);
                yield ByteBuffer.wrap(bytes);
            }
            case INT -> random.nextInt();
            case LONG ->
                    schema.getLogicalType() instanceof LogicalTypes.TimestampMillis
                            ? Instant.ofEpochMilli(random.nextLong(4_000_000_000_000L))
                            : random.nextLong();
            case DOUBLE -> random.nextDouble() * 200 - 100;
            case BOOLEAN -> random.nextBoolean();
            case NULL -> null;
            default -> throw new IllegalStateException("no values for " + schema);
        };
    }

    private static byte[] encode(DeviceState state) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(out, null);
        new SpecificDatumWriter<>(DeviceState.class).write(state, encoder);
        encoder.flush();
        return out.toByteArray();
    }
}
