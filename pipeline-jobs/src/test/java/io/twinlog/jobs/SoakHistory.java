package io.twinlog.jobs;

import io.twinlog.registry.SchemaRegistry;
import io.twinlog.schema.TopicNames;
import io.twinlog.schema.event.DeviceDecommissioned;
import io.twinlog.schema.event.DeviceEvent;
import io.twinlog.schema.event.DeviceRegistered;
import io.twinlog.schema.event.TelemetryReported;
import io.twinlog.serde.ConfluentAvroSerializer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.zip.CRC32;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * A day of a small fleet's event log, generated: what only time exposes, in seconds of wall time.
 * Steady devices report every minute for 24 hours (their dedup memory spills a bucket every 32
 * events and drops it once it leaves the one-hour window, dozens of times each), with readings out
 * of order within the lateness bound, re-sends within the window (duplicates) and beyond it (late),
 * temperatures crossing the alert threshold and batteries running down; chatty devices report every
 * 3 s for two hours, more ids than the dedup bound holds; one device is silent for an hour, one is
 * decommissioned and keeps sending. Half the devices are partitioned as librdkafka's default does
 * (CRC32 of the key), the others by the Java producer's default (murmur2).
 */
final class SoakHistory {

    static final Duration SPAN = Duration.ofHours(24);
    static final int STEADY = 12;
    static final int CHATTY = 3;
    static final int DEDUP_MAX_IDS = 1_000;

    /** A record of the log, at its nominal time (records are produced in this order). */
    record Entry(long nominal, ProducerRecord<byte[], byte[]> record) {}

    private SoakHistory() {}

    /** Where a day that ended an hour ago starts, on the hour (so Kafka's retention keeps it). */
    static Instant start() {
        long hour = Duration.ofHours(1).toMillis();
        return Instant.ofEpochMilli(
                (System.currentTimeMillis() - SPAN.plusHours(2).toMillis()) / hour * hour);
    }

    static List<Entry> generate(
            SchemaRegistry registry, TopicNames topics, int partitions, Instant start, long seed)
            throws IOException {
        ConfluentAvroSerializer<DeviceEvent> serializer =
                new ConfluentAvroSerializer<>(
                        registry, TopicNames.valueSubject(topics.events()), DeviceEvent.class);
        Random random = new Random(seed);
        List<Entry> log = new ArrayList<>();
        long t0 = start.toEpochMilli();
        long hour = Duration.ofHours(1).toMillis();
        for (int d = 0; d < STEADY + CHATTY; d++) {
            boolean chatty = d >= STEADY;
            String device = (chatty ? "chatty-" : "steady-") + d;
            Integer partition = d % 2 == 0 ? null : crc32Partition(device, partitions);
            long from = chatty ? t0 + 4 * hour : t0;
            long to = chatty ? t0 + 6 * hour : t0 + SPAN.toMillis();
            long every = chatty ? 3_000 : 60_000;
            List<DeviceEvent> sent = new ArrayList<>();
            DeviceEvent registration =
                    event(
                            device + "-reg",
                            device,
                            from,
                            new DeviceRegistered(
                                    "soak-" + (d % 3), "1.0", Map.of("fleet", "soak")));
            log.add(entry(topics, serializer, partition, registration, from));
            double temperature = 70 + random.nextDouble() * 10;
            double battery = 40 + random.nextDouble() * 20;
            int n = 0;
            for (long nominal = from + every; nominal <= to; nominal += every) {
                if (device.equals("steady-3")
                        && nominal > t0 + 10 * hour
                        && nominal < t0 + 11 * hour) {
                    continue; // silent for an hour: offline, then online again
                }
                temperature = Math.max(50, Math.min(105, temperature + random.nextGaussian()));
                battery = Math.max(0, battery - 0.02);
                long jitter = chatty ? 0 : (long) (random.nextDouble() * 40_000) - 20_000;
                DeviceEvent telemetry =
                        event(
                                device + "-e" + ++n,
                                device,
                                nominal + jitter,
                                new TelemetryReported(
                                        Map.of(
                                                "temperature",
                                                round(temperature),
                                                "battery",
                                                round(battery))));
                log.add(entry(topics, serializer, partition, telemetry, nominal));
                sent.add(telemetry);
                double dice = random.nextDouble();
                if (dice < 0.01 && sent.size() > 30) {
                    // re-sent from minutes ago: a duplicate within the window
                    log.add(
                            entry(
                                    topics,
                                    serializer,
                                    partition,
                                    sent.get(sent.size() - 1 - random.nextInt(30)),
                                    nominal));
                } else if (dice < 0.015 && !chatty && sent.size() > 180) {
                    // re-sent from hours ago: late
                    log.add(
                            entry(
                                    topics,
                                    serializer,
                                    partition,
                                    sent.get(sent.size() - 121 - random.nextInt(60)),
                                    nominal));
                }
                if (device.equals("steady-11") && nominal == t0 + 20 * hour) {
                    DeviceEvent decommissioning =
                            event(
                                    device + "-decom",
                                    device,
                                    nominal + 1,
                                    new DeviceDecommissioned("replaced"));
                    log.add(entry(topics, serializer, partition, decommissioning, nominal + 1));
                }
            }
        }
        log.sort(Comparator.comparingLong(Entry::nominal));
        return log;
    }

    /** librdkafka's default partitioner (consistent_random): CRC32 of the key. */
    static int crc32Partition(String key, int partitions) {
        CRC32 crc = new CRC32();
        crc.update(key.getBytes(StandardCharsets.UTF_8));
        return (int) (crc.getValue() % partitions);
    }

    private static Entry entry(
            TopicNames topics,
            ConfluentAvroSerializer<DeviceEvent> serializer,
            Integer partition,
            DeviceEvent event,
            long nominal)
            throws IOException {
        return new Entry(
                nominal,
                new ProducerRecord<>(
                        topics.events(),
                        partition,
                        nominal, // sent at its nominal time, re-sends included
                        event.getDeviceId().getBytes(StandardCharsets.UTF_8),
                        serializer.serialize(event)));
    }

    private static DeviceEvent event(String id, String device, long time, Object payload) {
        return DeviceEvent.newBuilder()
                .setEventId(id)
                .setDeviceId(device)
                .setEventTime(Instant.ofEpochMilli(time))
                .setPayload(payload)
                .build();
    }

    private static double round(double value) {
        return Math.round(value * 10) / 10.0;
    }
}
