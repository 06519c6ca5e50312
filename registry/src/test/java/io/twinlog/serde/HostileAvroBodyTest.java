package io.twinlog.serde;

import static io.twinlog.serde.AvroBytes.concat;
import static io.twinlog.serde.AvroBytes.doubleLe;
import static io.twinlog.serde.AvroBytes.string;
import static io.twinlog.serde.AvroBytes.varint;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.twinlog.registry.server.InMemorySchemaRegistry;
import io.twinlog.schema.TopicNames;
import io.twinlog.schema.event.DeviceEvent;
import io.twinlog.schema.event.DeviceRegistered;
import io.twinlog.schema.event.TelemetryReported;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import org.apache.avro.Schema;
import org.junit.jupiter.api.Test;

/**
 * Bytes a hostile or broken producer can put in the log: lengths and counts that declare far more
 * than the record holds, nesting without end. Each must fail as a {@link MalformedAvroException} (a
 * dead letter), and decoding must not allocate more than a small multiple of the record's size: the
 * JVM's heap is no bound here (a test JVM may have gigabytes, a TaskManager has a few hundred MB),
 * so allocation is measured per thread.
 */
class HostileAvroBodyTest {

    private static final String SUBJECT = TopicNames.valueSubject(TopicNames.DEVICE_EVENTS);

    /**
     * What decoding one small record may allocate at most: the reader's objects, never the declared
     * sizes.
     */
    private static final long ALLOCATION_BOUND = 2 * 1024 * 1024;

    private final InMemorySchemaRegistry registry = new InMemorySchemaRegistry();
    private final ConfluentAvroSerializer<DeviceEvent> serializer =
            new ConfluentAvroSerializer<>(registry, SUBJECT, DeviceEvent.class);
    private final ConfluentAvroDeserializer<DeviceEvent> deserializer =
            new ConfluentAvroDeserializer<>(registry, DeviceEvent.class);

    @Test
    void aStringDeclaringGigabytesIsRefusedWithoutAllocatingThem() throws IOException {
        // eventId's length prefix, five bytes, and nothing after it. 1.5 GB is below the JVM's
        // array
        // limit, which Avro checks by default: Avro allocated it and a TaskManager died of it.
        assertRefusedCheaply(
                concat(ownHeader(), varint(1_500_000_000L)),
                "a string of 1500000000 bytes declared");
        assertRefusedCheaply(
                concat(ownHeader(), varint(Integer.MAX_VALUE - 1L)),
                "a string of 2147483646 bytes declared");
    }

    @Test
    void mapAndArrayCountsBeyondTheRecordAreRefusedWithoutAllocating() throws IOException {
        byte[] prefix =
                bodyUpToPayload(1); // union branch 1 = TelemetryReported; then its readings map
        assertRefusedCheaply(concat(prefix, varint(1L << 40)), "declares 1099511627776 items");
        assertRefusedCheaply(
                concat(prefix, varint(Integer.MAX_VALUE)), "declares 2147483647 items");
        // A negative count announces a block size: both are checked.
        assertRefusedCheaply(
                concat(prefix, varint(-(1L << 30)), varint(1L << 30)),
                "a block of 1073741824 bytes");
        assertRefusedCheaply(
                concat(bodyUpToPayload(0), string("m"), string("1.0"), varint(1L << 33)),
                "declares 8589934592 items");
    }

    @Test
    void aMalformedVarintIsRefused() throws IOException {
        byte[] tooLong = new byte[11];
        Arrays.fill(tooLong, (byte) 0xff);
        assertRefusedCheaply(concat(ownHeader(), tooLong), "varint longer than 10 bytes");
    }

    @Test
    void aWriterSchemaThatNestsWithoutEndIsRefused() throws IOException {
        // A compatible writer schema (an extra field the reader ignores) whose type nests itself:
        // every
        // byte of the record opens one more level while the reader skips the field.
        Schema writer =
                new Schema.Parser()
                        .parse(
                                """
                {"type":"record","name":"DeviceEvent","namespace":"io.twinlog.schema.event","fields":[
                 {"name":"eventId","type":"string"},{"name":"deviceId","type":"string"},
                 {"name":"eventTime","type":{"type":"long","logicalType":"timestamp-millis"}},
                 {"name":"junk","type":{"type":"record","name":"Node","fields":[{"name":"next","type":["null","Node"]}]}},
                 {"name":"payload","type":[{"type":"record","name":"FirmwareUpdated","fields":[
                   {"name":"version","type":"string"}]}]}]}""");
        int id = registry.register("hostile-value", writer);
        byte[] nesting = new byte[1_000_000];
        Arrays.fill(nesting, (byte) 2); // union branch 1 (Node), over and over
        byte[] framed =
                concat(AvroBytes.header(id), string("e-1"), string("d-1"), varint(1_000L), nesting);

        assertThatThrownBy(() -> deserializer.deserialize(framed))
                .isInstanceOf(MalformedAvroException.class);
        assertThat(
                        deserializer
                                .deserialize(serializer.serialize(telemetry(Map.of("t", 1.0))))
                                .getEventId())
                .isEqualTo("e-1");
    }

    @Test
    void repeatedMetricNamesDecodeToOneReadingWithinTheBound() throws IOException {
        // Legal Avro: a map block naming the same key 20,000 times. It decodes (the last value
        // wins),
        // in bounded work and memory; what the fold does with it is the contract's business.
        byte[][] entries = new byte[20_000][];
        for (int i = 0; i < entries.length; i++) {
            entries[i] = concat(string("temperature"), doubleLe(i));
        }
        byte[] framed =
                concat(bodyUpToPayload(1), varint(entries.length), concat(entries), varint(0));

        DeviceEvent decoded = deserializer.deserialize(framed);

        assertThat(((TelemetryReported) decoded.getPayload()).getReadings())
                .containsOnly(Map.entry("temperature", 19_999.0));
    }

    /**
     * Structure-aware fuzzing: valid events of every payload, with a varint of a random, often huge
     * or negative, value written over a random position (where lengths and counts live), besides
     * random byte flips. Only a decoding error is acceptable, and never a large allocation.
     */
    @Test
    void lengthsCountsAndFlipsOnlyEverFailAsDecodingErrors() throws IOException {
        byte[][] seeds = {
            serializer.serialize(
                    telemetry(Map.of("temperature", 20.0, "humidity", 40.0, "battery", 88.0))),
            serializer.serialize(
                    event(new DeviceRegistered("m-1", "1.0", Map.of("site", "a", "floor", "2")))),
            serializer.serialize(event(new io.twinlog.schema.event.FirmwareUpdated("1.2"))),
            serializer.serialize(
                    event(new io.twinlog.schema.event.DeviceDecommissioned("worn out")))
        };
        long[] magnitudes = {
            0,
            1,
            2,
            63,
            64,
            127,
            128,
            1L << 14,
            1L << 20,
            Integer.MAX_VALUE - 8L,
            Integer.MAX_VALUE,
            1L << 32,
            1L << 40,
            Long.MAX_VALUE,
            -1,
            -64,
            -(1L << 20),
            -(1L << 31),
            Long.MIN_VALUE
        };
        Random random = new Random(11);
        int decoded = 0;
        int refused = 0;
        for (int i = 0; i < 20_000; i++) {
            byte[] seed = seeds[random.nextInt(seeds.length)];
            byte[] mutated =
                    switch (random.nextInt(3)) {
                        case 0 ->
                                overwrite(
                                        seed,
                                        random,
                                        varint(magnitudes[random.nextInt(magnitudes.length)]));
                        case 1 ->
                                overwrite(
                                        seed,
                                        random,
                                        varint(random.nextLong() >> random.nextInt(64)));
                        default -> flip(seed, random);
                    };
            long before = allocatedBytes();
            try {
                deserializer.deserialize(mutated);
                decoded++;
            } catch (MalformedAvroException expected) {
                refused++;
            }
            assertThat(allocatedBytes() - before)
                    .as("bytes allocated decoding case %d", i)
                    .isLessThan(ALLOCATION_BOUND);
        }
        assertThat(refused).as("the mutations must mostly break the records").isGreaterThan(10_000);
        assertThat(decoded).as("and some still decode").isPositive();
    }

    private void assertRefusedCheaply(byte[] framed, String reason) {
        long before = allocatedBytes();
        assertThatThrownBy(() -> deserializer.deserialize(framed))
                .isInstanceOf(MalformedAvroException.class)
                .hasMessageContaining(reason);
        assertThat(allocatedBytes() - before).isLessThan(ALLOCATION_BOUND);
    }

    private static long allocatedBytes() {
        return ((com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean())
                .getCurrentThreadAllocatedBytes();
    }

    private byte[] ownHeader() throws IOException {
        return AvroBytes.header(serializer.schemaId());
    }

    /** Header, eventId, deviceId, eventTime and the payload's union branch. */
    private byte[] bodyUpToPayload(int branch) throws IOException {
        return concat(
                ownHeader(),
                string("e-1"),
                string("d-1"),
                varint(1_700_000_000_000L),
                varint(branch));
    }

    private static byte[] overwrite(byte[] seed, Random random, byte[] varint) {
        byte[] mutated = Arrays.copyOf(seed, seed.length);
        int at = WireFormat.HEADER_LENGTH + random.nextInt(seed.length - WireFormat.HEADER_LENGTH);
        System.arraycopy(varint, 0, mutated, at, Math.min(varint.length, mutated.length - at));
        return mutated;
    }

    private static byte[] flip(byte[] seed, Random random) {
        byte[] mutated = Arrays.copyOf(seed, seed.length);
        for (int f = 1 + random.nextInt(3); f > 0; f--) {
            mutated[
                            WireFormat.HEADER_LENGTH
                                    + random.nextInt(seed.length - WireFormat.HEADER_LENGTH)] =
                    (byte) random.nextInt(256);
        }
        return mutated;
    }

    private static DeviceEvent telemetry(Map<String, Double> readings) {
        return event(new TelemetryReported(new LinkedHashMap<>(readings)));
    }

    private static DeviceEvent event(Object payload) {
        return DeviceEvent.newBuilder()
                .setEventId("e-1")
                .setDeviceId("d-1")
                .setEventTime(Instant.ofEpochMilli(1_700_000_000_000L))
                .setPayload(payload)
                .build();
    }
}
