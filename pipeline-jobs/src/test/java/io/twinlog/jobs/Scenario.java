package io.twinlog.jobs;

import io.twinlog.registry.SchemaRegistry;
import io.twinlog.schema.TopicNames;
import io.twinlog.schema.event.DeviceDecommissioned;
import io.twinlog.schema.event.DeviceEvent;
import io.twinlog.schema.event.DeviceRegistered;
import io.twinlog.schema.event.FirmwareUpdated;
import io.twinlog.schema.event.TelemetryReported;
import io.twinlog.serde.ConfluentAvroSerializer;
import io.twinlog.twin.DeviceEvents;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.kafka.common.utils.Utils;

/**
 * The scripted log of the integration tests: registrations, telemetry crossing thresholds both
 * ways, a hold-for rule, duplicates, out-of-order and late events, firmware updates, a
 * decommissioned device, a device that comes back after a gap, devices that fall silent, a device
 * with more ids in its dedup window than its state keeps inline, and one record of each kind of bad
 * input. Times are seconds after {@link DeviceEvents#T0}: {@code producedAt} becomes the Kafka
 * timestamp, the event time may be older (out of order, late).
 *
 * <p>One "clock" device per partition sends until {@link #END}, so every partition's watermark
 * reaches the same time and the set of silent devices does not depend on read timing.
 */
public final class Scenario {

    public static final int EVENT_PARTITIONS = 4;
    public static final long END = 200;

    /**
     * Everything produced before this goes in the first batch; the first batch spans less than the
     * silence timeout.
     */
    public static final long SECOND_BATCH_FROM = 50;

    public static final Duration SILENCE_TIMEOUT = Duration.ofSeconds(60);

    /** Events of the device that remembers more ids than fit inline (32, BucketedSeenEventIds). */
    static final int CHATTY_EVENTS = 40;

    public static final Duration ALLOWED_LATENESS = Duration.ofSeconds(300);

    /** The event whose first reading the failover test turns into a task failure. */
    public static final String FAILURE_MARKER = "gap-1-e2";

    public static final String RULES =
            """
            {"rules": [
              {"id": "temperature-high", "metric": "temperature", "high": 80, "deadband": 5, "severity": "CRITICAL"},
              {"id": "temperature-hot-30s", "metric": "temperature", "high": 90, "deadband": 5, "holdFor": "30s"},
              {"id": "battery-low", "metric": "battery", "low": 15, "deadband": 5}
            ]}""";

    /** One record to produce: key and value may be null or garbage on purpose. */
    public record Record(String device, byte[] key, byte[] value, long producedAt, String label) {
        public boolean firstBatch() {
            return producedAt < SECOND_BATCH_FROM;
        }

        public long timestampMillis() {
            return DeviceEvents.seconds(producedAt).toEpochMilli();
        }
    }

    private final ConfluentAvroSerializer<DeviceEvent> serializer;
    private final List<Record> records = new ArrayList<>();
    private final Map<String, Integer> counters = new LinkedHashMap<>();

    private Scenario(SchemaRegistry registry, TopicNames topics) {
        this.serializer =
                new ConfluentAvroSerializer<>(
                        registry, TopicNames.valueSubject(topics.events()), DeviceEvent.class);
    }

    /** The records in production order. */
    public static List<Record> build(SchemaRegistry registry, TopicNames topics)
            throws IOException {
        Scenario s = new Scenario(registry, topics);
        s.script();
        List<Record> ordered = new ArrayList<>(s.records);
        ordered.sort(
                Comparator.comparingLong(
                        Record::producedAt)); // stable: script order within a second
        return ordered;
    }

    /** The same per-device sequences, merged in a different (seeded) interleaving of devices. */
    public static List<Record> interleavedDifferently(List<Record> records, long seed) {
        Map<String, List<Record>> byDevice = new LinkedHashMap<>();
        for (Record record : records) {
            byDevice.computeIfAbsent(record.device(), d -> new ArrayList<>()).add(record);
        }
        List<List<Record>> queues = new ArrayList<>(byDevice.values());
        Random random = new Random(seed);
        List<Record> shuffled = new ArrayList<>();
        while (!queues.isEmpty()) {
            int pick = random.nextInt(queues.size());
            List<Record> queue = queues.get(pick);
            shuffled.add(queue.remove(0));
            if (queue.isEmpty()) {
                queues.remove(pick);
            }
        }
        return shuffled;
    }

    private void script() throws IOException {
        for (String clock : clockDevices()) {
            send(clock, 0, 0, new DeviceRegistered("clock", "1.0", Map.of()));
            for (long t = 20; t <= END; t += 20) {
                send(clock, t, t, telemetry("temperature", 20));
            }
        }

        // Thresholds both ways, with readings inside the hysteresis band in between.
        send("thermo-1", 1, 1, new DeviceRegistered("thermo-3", "1.0", Map.of("site", "hall-a")));
        send("thermo-1", 10, 10, telemetry("temperature", 70, "humidity", 40));
        send("thermo-1", 20, 20, telemetry("temperature", 85));
        send("thermo-1", 30, 30, telemetry("temperature", 90));
        send("thermo-1", 60, 60, telemetry("temperature", 76));
        send("thermo-1", 70, 70, telemetry("temperature", 74));
        send("thermo-1", 80, 80, telemetry("temperature", 95));

        // Telemetry before the registration; a hold-for rule raising after 30 s above 90.
        send("thermo-2", 5, 5, telemetry("temperature", 95));
        send("thermo-2", 8, 8, new DeviceRegistered("thermo-3", "1.0", Map.of()));
        send("thermo-2", 20, 20, telemetry("temperature", 96));
        send("thermo-2", 35, 35, telemetry("temperature", 97));
        send("thermo-2", 55, 55, telemetry("temperature", 50));

        // Duplicates: the same record sent again, within the dedup window.
        byte[] first = send("dup-1", 10, 10, telemetry("temperature", 21));
        send("dup-1", 20, 20, telemetry("temperature", 22));
        resend("dup-1", first, 25);
        resend("dup-1", first, 70);

        // More ids within the dedup window than a device's state keeps inline: the oldest are
        // spilled into a bucket of seen-id-buckets, and a re-send of one of them is still a
        // duplicate (read back through the bucket's filter).
        byte[] spilled = null;
        for (long t = 100; t < 100 + CHATTY_EVENTS; t++) {
            byte[] sent = send("chatty-1", t, t, telemetry("temperature", 20 + t % 3));
            spilled = t == 101 ? sent : spilled;
        }
        resend("chatty-1", spilled, 160);

        // Out of order within the lateness bound: the older reading does not replace the newer one.
        send("ooo-1", 30, 30, telemetry("temperature", 30));
        send("ooo-1", 20, 31, telemetry("temperature", 99, "humidity", 55));
        send("ooo-1", 40, 40, telemetry("temperature", 35));

        // Late: older than the device's last seen time minus the allowed lateness.
        send("late-1", 100, 100, telemetry("temperature", 20));
        send("late-1", 100 - 400, 105, telemetry("temperature", 99));
        send("late-1", 110, 110, telemetry("temperature", 21));

        // Firmware: the newest update wins, an older one arriving later changes nothing.
        send("fw-1", 2, 2, new DeviceRegistered("gw-1", "1.0", Map.of()));
        send("fw-1", 20, 20, new FirmwareUpdated("1.1"));
        send("fw-1", 15, 21, new FirmwareUpdated("1.0.5"));
        send("fw-1", 60, 60, new FirmwareUpdated("2.0"));

        // Decommissioned with an open alert; everything after it is rejected.
        send("decom-1", 3, 3, new DeviceRegistered("thermo-3", "1.0", Map.of()));
        send("decom-1", 10, 10, telemetry("temperature", 99));
        send("decom-1", 30, 30, new DeviceDecommissioned("replaced"));
        send("decom-1", 40, 40, telemetry("temperature", 20));
        send("decom-1", 60, 60, new FirmwareUpdated("9.9"));

        send("battery-1", 10, 10, telemetry("battery", 50));
        send("battery-1", 20, 20, telemetry("battery", 12));
        send("battery-1", 30, 30, telemetry("battery", 18));
        send("battery-1", 60, 60, telemetry("battery", 25));

        send("rereg-1", 4, 4, new DeviceRegistered("m", "1.0", Map.of()));
        send("rereg-1", 12, 12, new DeviceRegistered("m2", "2.0", Map.of()));

        // Back after a gap longer than the silence timeout: offline and online from its own events.
        send("gap-1", 10, 10, telemetry("temperature", 20));
        send("gap-1", 150, 150, telemetry("temperature", 21));

        // Silent from 20 s on: offline once the watermark passes 80 s (recorded in the log).
        send("silent-1", 10, 10, telemetry("temperature", 20));
        send("silent-1", 20, 20, telemetry("temperature", 20));

        // One record of each kind of bad input.
        byte[] valid =
                serializer.serialize(event("bad-x", "bad-1", 30, telemetry("temperature", 1)));
        raw("bad-1", key("bad-1"), null, 30, "tombstone");
        raw("bad-1", null, valid, 31, "no key");
        raw(
                "bad-1",
                key("bad-1"),
                "{\"deviceId\":\"bad-1\"}".getBytes(StandardCharsets.UTF_8),
                32,
                "json");
        byte[] unknownId = Arrays.copyOf(valid, valid.length);
        unknownId[1] = 0x7f;
        raw("bad-1", key("bad-1"), unknownId, 33, "unknown schema id");
        raw("bad-1", key("bad-1"), Arrays.copyOf(valid, valid.length - 4), 34, "truncated");
        raw(
                "bad-1",
                key("bad-1"),
                serializer.serialize(event("", "bad-1", 35, telemetry("t", 1))),
                35,
                "empty event id");
        raw(
                "bad-1",
                key("bad-1"),
                serializer.serialize(
                        DeviceEvent.newBuilder(event("bad-f", "bad-1", 36, telemetry("t", 1)))
                                .setEventTime(DeviceEvents.seconds(36).plus(Duration.ofDays(30)))
                                .build()),
                36,
                "far future");
        raw(
                "bad-1",
                key("bad-1"),
                serializer.serialize(event("bad-n", "bad-1", 37, telemetry("t", Double.NaN))),
                37,
                "NaN");
        raw(
                "bad-1",
                key("thermo-1"),
                serializer.serialize(event("bad-k", "bad-2", 38, telemetry("t", 1))),
                38,
                "key mismatch");
        raw(
                "bad-1",
                key("bad-1"),
                serializer.serialize(
                        DeviceEvent.newBuilder(event("bad-c", "bad-1", 39, telemetry("t", 1)))
                                .setEventTime(Instant.parse("1970-01-01T00:00:01Z"))
                                .build()),
                39,
                "clock not set");
    }

    /**
     * What comes after {@link #build}, for jobs resumed from a savepoint: devices come back, alerts
     * clear and raise, a duplicate, a rejected event, a new device, and the clocks run on to 300 s.
     *
     * @param earlier the records of {@link #build}, for re-sending one of them
     */
    public static List<Record> continuation(
            SchemaRegistry registry, TopicNames topics, List<Record> earlier) throws IOException {
        Scenario s = new Scenario(registry, topics);
        for (String clock : clockDevices()) {
            s.counters.put(clock, 11);
            for (long t = 220; t <= 300; t += 20) {
                s.send(clock, t, t, telemetry("temperature", 20));
            }
        }
        s.counters.putAll(
                Map.of("thermo-1", 7, "thermo-2", 5, "decom-1", 5, "late-1", 3, "gap-1", 2));
        s.send("thermo-1", 210, 210, telemetry("temperature", 74));
        s.send("thermo-2", 215, 215, telemetry("temperature", 91));
        Record dup =
                earlier.stream()
                        .filter(r -> r.label().equals("dup-1-e1"))
                        .findFirst()
                        .orElseThrow();
        s.resend("dup-1", dup.value(), 220);
        // Savepoints before 0.4.0 cover no chatty device: only a later one has a spilled id to
        // resend.
        earlier.stream()
                .filter(r -> r.label().equals("chatty-1-e3"))
                .findFirst()
                .ifPresent(r -> s.resend("chatty-1", r.value(), 225));
        s.send("decom-1", 230, 230, telemetry("temperature", 20));
        s.send("late-1", 235, 235, telemetry("temperature", 22));
        s.send("new-1", 240, 240, new DeviceRegistered("thermo-4", "2.0", Map.of()));
        s.send("new-1", 250, 250, telemetry("battery", 10));
        s.send("gap-1", 290, 290, telemetry("temperature", 23));
        List<Record> ordered = new ArrayList<>(s.records);
        ordered.sort(Comparator.comparingLong(Record::producedAt));
        return ordered;
    }

    /** One device id per partition of the event log, by the producer's default partitioner. */
    static List<String> clockDevices() {
        String[] chosen = new String[EVENT_PARTITIONS];
        int found = 0;
        for (int i = 0; found < EVENT_PARTITIONS; i++) {
            String candidate = "clock-" + i;
            int partition = Utils.toPositive(Utils.murmur2(key(candidate))) % EVENT_PARTITIONS;
            if (chosen[partition] == null) {
                chosen[partition] = candidate;
                found++;
            }
        }
        return List.of(chosen);
    }

    private byte[] send(String device, long eventTime, long producedAt, Object payload)
            throws IOException {
        int n = counters.merge(device, 1, Integer::sum);
        byte[] value = serializer.serialize(event(device + "-e" + n, device, eventTime, payload));
        records.add(new Record(device, key(device), value, producedAt, device + "-e" + n));
        return value;
    }

    private void resend(String device, byte[] value, long producedAt) {
        records.add(new Record(device, key(device), value, producedAt, "resent by " + device));
    }

    private void raw(String device, byte[] key, byte[] value, long producedAt, String label) {
        records.add(new Record(device, key, value, producedAt, label));
    }

    private static DeviceEvent event(String id, String device, long eventTime, Object payload) {
        return DeviceEvents.event(id, device, DeviceEvents.seconds(eventTime), payload);
    }

    private static TelemetryReported telemetry(Object... metricValuePairs) {
        Map<String, Double> readings = new LinkedHashMap<>();
        for (int i = 0; i < metricValuePairs.length; i += 2) {
            readings.put(
                    (String) metricValuePairs[i], ((Number) metricValuePairs[i + 1]).doubleValue());
        }
        return new TelemetryReported(readings);
    }

    private static byte[] key(String device) {
        return device.getBytes(StandardCharsets.UTF_8);
    }
}
