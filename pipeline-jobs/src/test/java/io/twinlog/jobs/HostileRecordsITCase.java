package io.twinlog.jobs;

import static io.twinlog.serde.AvroBytes.concat;
import static io.twinlog.serde.AvroBytes.doubleLe;
import static io.twinlog.serde.AvroBytes.header;
import static io.twinlog.serde.AvroBytes.string;
import static io.twinlog.serde.AvroBytes.varint;
import static org.assertj.core.api.Assertions.assertThat;

import io.twinlog.connect.ForwardedRecords;
import io.twinlog.options.DeviceTwinJobOptions;
import io.twinlog.schema.TopicNames;
import io.twinlog.schema.derived.EventRejected;
import io.twinlog.schema.derived.RejectionReason;
import io.twinlog.schema.event.DeviceEvent;
import io.twinlog.schema.event.DeviceRegistered;
import io.twinlog.schema.event.TelemetryReported;
import io.twinlog.schema.twin.DeviceTwin;
import io.twinlog.serde.ConfluentAvroSerializer;
import io.twinlog.twin.DeviceEvents;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.UnaryOperator;
import org.apache.avro.Schema;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.header.Header;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every kind of record a hostile or broken producer can get past the broker, between good events,
 * through the job with the shipped limits on a real broker, RocksDB and exactly-once sinks, with no
 * restarts allowed: any failure ends the job and the test. Each hostile record must come out as a
 * dead letter with its reason, a late event, or an EventRejected, at its own source offset; the
 * good device's twin and alert must be what its events alone make.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class HostileRecordsITCase {

    @RegisterExtension static final MiniClusterExtension FLINK = PipelineFixture.miniCluster();

    @TempDir static Path dir;

    private PipelineFixture fixture;

    @BeforeAll
    void start() throws Exception {
        fixture = PipelineFixture.start(dir);
    }

    @AfterAll
    void stop() throws Exception {
        if (fixture != null) {
            fixture.close();
        }
    }

    /** One record to produce, and what must become of it. */
    private record Hostile(
            String label, String key, byte[] value, long producedAt, String expected) {}

    @Test
    void everyHostileRecordEndsAsADeadLetterLateEventOrRejectionAndTheJobNeverRestarts()
            throws Exception {
        TopicNames topics = PipelineFixture.topics("hostile");
        fixture.kafka.createTopics(topics, 2, 1);
        // The shipped limits and skew; silence far away, so that only the records below cause
        // outputs.
        DeviceTwinJobOptions options =
                fixture.options("hostile", topics, Map.of("silence.timeout", "1h"));
        ConfluentAvroSerializer<DeviceEvent> events =
                new ConfluentAvroSerializer<>(
                        fixture.registryClient,
                        TopicNames.valueSubject(topics.events()),
                        DeviceEvent.class);
        List<Hostile> log = script(events, topics);

        List<Scenario.Record> records =
                log.stream()
                        .map(
                                h ->
                                        new Scenario.Record(
                                                h.key() == null ? "-" : h.key(),
                                                h.key() == null
                                                        ? null
                                                        : h.key().getBytes(StandardCharsets.UTF_8),
                                                h.value(),
                                                h.producedAt(),
                                                h.label()))
                        .toList();
        List<RecordMetadata> positions = fixture.produce(topics, records);
        JobClient job =
                fixture.startJob("hostile", options, null, null, UnaryOperator.identity(), 0);
        try {
            OutputRecords expected =
                    fixture.reference(
                            options,
                            topics,
                            PipelineFixture.positioned(topics, records, positions));
            OutputRecords actual = fixture.awaitOutputs(topics, expected, job);
            assertThat(job.getJobStatus().get())
                    .as("no restarts are allowed: any failure ends the job")
                    .hasToString("RUNNING");

            Map<String, String> outcomes = outcomes(topics, positions, records);
            for (Hostile hostile : log) {
                assertThat(outcomes.get(hostile.label()))
                        .as(hostile.label())
                        .isEqualTo(hostile.expected());
            }
            assertThat(actual.differencesFrom(expected)).isEmpty();

            DeviceTwin good = actual.twins.get("good-1").get(actual.twins.get("good-1").size() - 1);
            assertThat(good.getReadings().get("temperature").getValue()).isEqualTo(95.0);
            assertThat(good.getCounters().getApplied()).isEqualTo(5);
            assertThat(actual.alerts.get("good-1"))
                    .extracting(a -> a.getRuleId() + " " + a.getStatus())
                    .containsExactly("temperature-high RAISED");
            assertThat(actual.twinEvents.get("greedy-1"))
                    .extracting(
                            e -> e.getPayload() instanceof EventRejected r ? r.getReason() : null)
                    .containsExactly(RejectionReason.TOO_MANY_METRICS);
        } finally {
            job.cancel().get();
        }
    }

    /**
     * What became of each record, by label: a dead letter's reason, LATE (digest or not), REJECTED,
     * or APPLIED.
     */
    private Map<String, String> outcomes(
            TopicNames topics, List<RecordMetadata> positions, List<Scenario.Record> records) {
        Map<String, String> byPosition = new HashMap<>();
        for (ConsumerRecord<byte[], byte[]> dead :
                fixture.kafka.readAll(topics.deadLetters(), "read_committed")) {
            Map<String, String> headers = headers(dead.headers());
            byPosition.put(
                    headers.get("__connect.errors.partition")
                            + "@"
                            + headers.get("__connect.errors.offset"),
                    headers.get("twinlog.errors.reason") + omitted(headers));
        }
        for (ConsumerRecord<byte[], byte[]> late :
                fixture.kafka.readAll(topics.late(), "read_committed")) {
            Map<String, String> headers = headers(late.headers());
            byPosition.put(
                    headers.get("twinlog.source.partition")
                            + "@"
                            + headers.get("twinlog.source.offset"),
                    "LATE" + omitted(headers));
        }
        Map<String, String> outcomes = new LinkedHashMap<>();
        for (int i = 0; i < records.size(); i++) {
            String position = positions.get(i).partition() + "@" + positions.get(i).offset();
            outcomes.put(
                    records.get(i).label(),
                    byPosition.getOrDefault(position, "APPLIED or REJECTED"));
        }
        return outcomes;
    }

    private static String omitted(Map<String, String> headers) {
        return headers.containsKey(ForwardedRecords.OMITTED)
                ? " (" + headers.get(ForwardedRecords.OMITTED) + " omitted)"
                : "";
    }

    private static Map<String, String> headers(Iterable<Header> headers) {
        Map<String, String> map = new HashMap<>();
        headers.forEach(h -> map.put(h.key(), new String(h.value(), StandardCharsets.UTF_8)));
        return map;
    }

    private List<Hostile> script(ConfluentAvroSerializer<DeviceEvent> events, TopicNames topics)
            throws IOException {
        List<Hostile> log = new ArrayList<>();
        Random random = new Random(3);
        byte[] valid = events.serialize(event("bad-x", "bad-1", 10, telemetry("temperature", 1)));
        byte[] header = Arrays.copyOf(valid, 5);
        int twinSchemaId =
                fixture.registryClient.register(
                        TopicNames.valueSubject(topics.twins()), DeviceTwin.getClassSchema());

        log.add(good(events, "g1", 10, new DeviceRegistered("thermo", "1.0", Map.of())));
        // 1. Five bytes declaring a 1.5 GB string (below the JVM's array limit, which Avro checks
        // itself).
        log.add(
                new Hostile(
                        "1.5 GB string length",
                        "bad-1",
                        concat(header, varint(1_500_000_000L)),
                        11,
                        "MALFORMED_AVRO"));
        // 2. A valid event with 4,500 metric names (900 KB): its twin would take 1.09 MB.
        Map<String, Double> readings = new LinkedHashMap<>();
        for (int i = 0; i < 4_500; i++) {
            readings.put(String.format("m%0189d", i), (double) i);
        }
        log.add(
                new Hostile(
                        "4,500 metrics",
                        "bad-1",
                        events.serialize(
                                event(
                                        "0f8fad5b-d9cb-469f-a165-70867728950e",
                                        "bad-1",
                                        12,
                                        new TelemetryReported(readings))),
                        12,
                        "LIMIT_EXCEEDED"));
        // 3. A 1,048,400-byte malformed record: its dead letter cannot carry it with the headers.
        byte[] huge = new byte[1_048_400];
        random.nextBytes(huge);
        System.arraycopy(header, 0, huge, 0, 5);
        log.add(new Hostile("1 MB malformed", "bad-1", huge, 13, "MALFORMED_AVRO (value omitted)"));
        byte[] garbage = new byte[64];
        random.nextBytes(garbage);
        garbage[0] = 0x42;
        log.add(new Hostile("garbage", "bad-1", garbage, 14, "NOT_WIRE_FORMAT"));
        byte[] wrongMagic = Arrays.copyOf(valid, valid.length);
        wrongMagic[0] = 1;
        log.add(new Hostile("wrong magic byte", "bad-1", wrongMagic, 15, "NOT_WIRE_FORMAT"));
        byte[] unknownId = Arrays.copyOf(valid, valid.length);
        unknownId[1] = 0x7e;
        log.add(new Hostile("unknown schema id", "bad-1", unknownId, 16, "UNKNOWN_SCHEMA_ID"));
        log.add(
                new Hostile(
                        "truncated Avro",
                        "bad-1",
                        Arrays.copyOf(valid, valid.length - 3),
                        17,
                        "MALFORMED_AVRO"));
        log.add(new Hostile("no key", null, valid, 18, "MISSING_KEY"));
        log.add(new Hostile("empty key", "", valid, 19, "KEY_MISMATCH"));
        log.add(new Hostile("key of another device", "good-1", valid, 20, "KEY_MISMATCH"));
        log.add(new Hostile("tombstone", "bad-1", null, 21, "MISSING_VALUE"));
        log.add(new Hostile("empty value", "bad-1", new byte[0], 22, "NOT_WIRE_FORMAT"));
        log.add(
                new Hostile(
                        "eventTime 23 h ahead",
                        "good-1",
                        events.serialize(
                                event(
                                        "g-future",
                                        "good-1",
                                        30 + 23 * 3600,
                                        telemetry("temperature", 20))),
                        30,
                        "EVENT_TIME_AHEAD"));
        Map<String, String> tags = new HashMap<>();
        for (int i = 0; i < 10_000; i++) {
            tags.put("tag-" + i, "value-" + i);
        }
        log.add(
                new Hostile(
                        "10,000 tags",
                        "bad-1",
                        events.serialize(
                                event("bad-3", "bad-1", 23, new DeviceRegistered("m", "1", tags))),
                        23,
                        "LIMIT_EXCEEDED"));
        log.add(
                new Hostile(
                        "100 KB event id",
                        "bad-1",
                        events.serialize(
                                event("e".repeat(100_000), "bad-1", 24, telemetry("t", 1))),
                        24,
                        "LIMIT_EXCEEDED"));
        String longDevice = "d".repeat(100_000);
        log.add(
                new Hostile(
                        "100 KB device id",
                        longDevice,
                        events.serialize(event("bad-4", longDevice, 25, telemetry("t", 1))),
                        25,
                        "LIMIT_EXCEEDED"));
        log.add(
                new Hostile(
                        "readings count of 2^40",
                        "bad-1",
                        concat(
                                header,
                                string("bad-5"),
                                string("bad-1"),
                                varint(DeviceEvents.seconds(26).toEpochMilli()),
                                varint(1),
                                varint(1L << 40)),
                        26,
                        "MALFORMED_AVRO"));
        log.add(
                new Hostile(
                        "a twin's schema id",
                        "bad-1",
                        concat(header(twinSchemaId), Arrays.copyOfRange(valid, 5, valid.length)),
                        27,
                        "MALFORMED_AVRO"));
        log.add(
                new Hostile(
                        "self-nesting writer schema",
                        "bad-1",
                        selfNesting(),
                        28,
                        "MALFORMED_AVRO"));
        log.add(
                new Hostile(
                        "NaN reading",
                        "bad-1",
                        events.serialize(event("bad-6", "bad-1", 29, telemetry("t", Double.NaN))),
                        29,
                        "CONTRACT_VIOLATION"));
        log.add(
                new Hostile(
                        "900 KB key on a valid event",
                        "k".repeat(900_000),
                        valid,
                        31,
                        "KEY_MISMATCH"));
        byte[] halfMegabyte = new byte[548_300];
        halfMegabyte[0] = 7;
        log.add(
                new Hostile(
                        "500 KB key with a 548 KB value",
                        "k".repeat(500_000),
                        halfMegabyte,
                        32,
                        "NOT_WIRE_FORMAT (value omitted)"));

        log.add(good(events, "g2", 40, telemetry("temperature", 60)));
        // Repeated metric names are legal Avro: the map keeps the last value. Small, it is applied.
        log.add(
                new Hostile(
                        "temperature 1,000 times",
                        "good-1",
                        repeatedReadings("g3", 50, 1_000, 95.0),
                        50,
                        "APPLIED or REJECTED"));
        log.add(good(events, "g4", 60, telemetry("temperature", 95)));
        // Just under 1 MB of repeated names, late: the late topic cannot carry it with its headers.
        log.add(
                new Hostile(
                        "1 MB late event",
                        "good-1",
                        repeatedReadings("g-old", 60 - 400, 52_420, 1.0),
                        61,
                        "LATE (value omitted)"));
        log.add(good(events, "g5", 70, telemetry("temperature", 95)));
        // A device adding metrics event after event until its twin would hold more than the limit.
        for (int e = 0; e < 5; e++) {
            Map<String, Double> more = new LinkedHashMap<>();
            for (int m = 0; m < 60; m++) {
                more.put("metric-" + e + "-" + m, 1.0);
            }
            log.add(
                    new Hostile(
                            "60 new metrics #" + e,
                            "greedy-1",
                            events.serialize(
                                    event(
                                            "greedy-e" + e,
                                            "greedy-1",
                                            80 + e,
                                            new TelemetryReported(more))),
                            80 + e,
                            "APPLIED or REJECTED"));
        }
        return log;
    }

    private Hostile good(
            ConfluentAvroSerializer<DeviceEvent> events, String id, long time, Object payload)
            throws IOException {
        return new Hostile(
                "good " + id,
                "good-1",
                events.serialize(event(id, "good-1", time, payload)),
                time,
                "APPLIED or REJECTED");
    }

    /**
     * A telemetry event whose readings map names the same metric {@code times} times (the last
     * value wins).
     */
    private byte[] repeatedReadings(String id, long time, int times, double last)
            throws IOException {
        byte[] header =
                Arrays.copyOf(
                        new ConfluentAvroSerializer<>(
                                        fixture.registryClient,
                                        TopicNames.valueSubject(
                                                PipelineFixture.topics("hostile").events()),
                                        DeviceEvent.class)
                                .serialize(event(id, "good-1", time, telemetry("t", 1))),
                        5);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(
                concat(
                        header,
                        string(id),
                        string("good-1"),
                        varint(DeviceEvents.seconds(time).toEpochMilli()),
                        varint(1),
                        varint(times)));
        for (int i = 0; i < times; i++) {
            out.writeBytes(concat(string("temperature"), doubleLe(i == times - 1 ? last : i)));
        }
        out.writeBytes(varint(0));
        return out.toByteArray();
    }

    /**
     * A record written with a compatible writer schema whose ignored field nests itself a million
     * times.
     */
    private byte[] selfNesting() throws IOException {
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
        int id = fixture.registryClient.register("hostile-writer-value", writer);
        byte[] nesting = new byte[1_000_000];
        Arrays.fill(nesting, (byte) 2);
        return concat(
                header(id),
                string("bad-7"),
                string("bad-1"),
                varint(DeviceEvents.seconds(28).toEpochMilli()),
                nesting);
    }

    private static DeviceEvent event(String id, String device, long time, Object payload) {
        return DeviceEvents.event(id, device, DeviceEvents.seconds(time), payload);
    }

    private static TelemetryReported telemetry(String metric, double value) {
        return new TelemetryReported(Map.of(metric, value));
    }
}
