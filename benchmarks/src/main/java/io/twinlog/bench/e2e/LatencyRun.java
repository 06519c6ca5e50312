package io.twinlog.bench.e2e;

import io.twinlog.cli.simulator.DeviceSimulator;
import io.twinlog.cli.simulator.EmissionEncoder;
import io.twinlog.registry.CachingSchemaRegistry;
import io.twinlog.registry.RegistryRestClient;
import io.twinlog.registry.SchemaRegistry;
import io.twinlog.schema.TopicNames;
import io.twinlog.schema.alert.Alert;
import io.twinlog.schema.event.DeviceEvent;
import io.twinlog.schema.twin.DeviceTwin;
import io.twinlog.serde.ConfluentAvroDeserializer;
import io.twinlog.serde.ConfluentAvroSerializer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * End-to-end latency at a fixed input rate: from the moment an event is produced (its event time)
 * to the moment a read_committed consumer receives the twin and alert records it caused. Records
 * caused in the first {@code warmUp} are left out.
 */
public final class LatencyRun {

    /**
     * Latencies in milliseconds; {@code quantiles} holds the 0th to 100th percentile, 101 values.
     */
    public record Result(
            JobRun.Setup setup,
            double rate,
            double seconds,
            long twins,
            long alerts,
            long p50,
            long p99,
            long max,
            long[] quantiles) {}

    private LatencyRun() {}

    public static Result run(
            LocalStack stack,
            Topics topics,
            JobRun.Setup setup,
            double rate,
            int devices,
            Duration duration,
            Duration warmUp)
            throws Exception {
        String prefix = "bench-latency-" + setup.name() + "-";
        TopicNames names = topics.create(prefix);
        FlinkJob job =
                FlinkJob.start(
                        stack, JobRun.options(stack, setup, names.events(), names, prefix), null);
        SchemaRegistry registry =
                new CachingSchemaRegistry(new RegistryRestClient(stack.registryUrl()));
        long measureFrom = System.currentTimeMillis() + warmUp.toMillis();
        Collector collector = new Collector(stack, names, registry, measureFrom);
        Thread consumer = new Thread(collector, "latency-consumer");
        consumer.start();
        try {
            long produced = produce(stack, names.events(), registry, rate, devices, duration);
            // Everything produced must come out: wait until the consumer stays idle for two
            // intervals.
            long idleFor = setup.checkpointIntervalMillis() * 2 + 5_000;
            while (System.currentTimeMillis() - collector.lastReceived.get() < idleFor) {
                FlinkJob.sleep(500);
            }
            collector.stop.set(true);
            consumer.join(30_000);
            long[] latencies = collector.latencies();
            Arrays.sort(latencies);
            long[] quantiles = new long[101];
            for (int q = 0; q <= 100; q++) {
                quantiles[q] =
                        latencies.length == 0
                                ? 0
                                : latencies[
                                        (int)
                                                Math.min(
                                                        latencies.length - 1,
                                                        Math.round(
                                                                q
                                                                        / 100.0
                                                                        * (latencies.length - 1)))];
            }
            return new Result(
                    setup,
                    rate,
                    produced / rate,
                    collector.twins,
                    collector.alerts,
                    percentile(latencies, 0.50),
                    percentile(latencies, 0.99),
                    latencies.length == 0 ? 0 : latencies[latencies.length - 1],
                    quantiles);
        } finally {
            collector.stop.set(true);
            job.cancel();
            topics.delete(
                    List.of(
                            names.events(),
                            names.twins(),
                            names.twinEvents(),
                            names.alerts(),
                            names.late(),
                            names.deadLetters()));
        }
    }

    static long percentile(long[] sorted, double quantile) {
        if (sorted.length == 0) {
            return 0;
        }
        return sorted[(int) Math.min(sorted.length - 1, Math.ceil(quantile * sorted.length) - 1)];
    }

    /** Sends at a steady rate: record n at start + n / rate, with the event time of its sending. */
    private static long produce(
            LocalStack stack,
            String topic,
            SchemaRegistry registry,
            double rate,
            int devices,
            Duration duration)
            throws Exception {
        DeviceSimulator simulator =
                new DeviceSimulator(
                        devices, "dev-", 11, DeviceSimulator.Faults.none(), Duration.ofHours(2));
        EmissionEncoder encoder =
                new EmissionEncoder(
                        new ConfluentAvroSerializer<>(
                                registry, TopicNames.valueSubject(topic), DeviceEvent.class));
        long count = (long) (rate * duration.toSeconds());
        long start = System.nanoTime();
        try (KafkaProducer<byte[], byte[]> producer = Preload.producer(stack)) {
            for (long n = 0; n < count; n++) {
                long wait = start + (long) (n * 1e9 / rate) - System.nanoTime();
                if (wait > 0) {
                    Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
                }
                long now = System.currentTimeMillis();
                DeviceSimulator.Emission emission = simulator.next(now);
                producer.send(
                        new ProducerRecord<>(
                                topic,
                                null,
                                now,
                                EmissionEncoder.key(emission),
                                encoder.value(emission)));
            }
        }
        return count;
    }

    /** Reads twins and alerts as a downstream consumer would, recording each one's latency. */
    private static final class Collector implements Runnable {
        final AtomicBoolean stop = new AtomicBoolean();
        final AtomicLong lastReceived = new AtomicLong(System.currentTimeMillis());
        private final LocalStack stack;
        private final TopicNames names;
        private final ConfluentAvroDeserializer<DeviceTwin> twinReader;
        private final ConfluentAvroDeserializer<Alert> alertReader;
        private final long measureFrom;
        private long[] latencies = new long[1 << 20];
        private int size;
        volatile long twins;
        volatile long alerts;

        Collector(LocalStack stack, TopicNames names, SchemaRegistry registry, long measureFrom) {
            this.stack = stack;
            this.names = names;
            this.twinReader = new ConfluentAvroDeserializer<>(registry, DeviceTwin.class);
            this.alertReader = new ConfluentAvroDeserializer<>(registry, Alert.class);
            this.measureFrom = measureFrom;
        }

        @Override
        public void run() {
            Properties props = new Properties();
            props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers());
            props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
            props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
            props.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 50);
            try (KafkaConsumer<byte[], byte[]> consumer =
                    new KafkaConsumer<>(
                            props, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
                List<TopicPartition> partitions = new ArrayList<>();
                for (String topic : List.of(names.twins(), names.alerts())) {
                    consumer.partitionsFor(topic)
                            .forEach(p -> partitions.add(new TopicPartition(topic, p.partition())));
                }
                consumer.assign(partitions);
                consumer.seekToBeginning(partitions);
                while (!stop.get()) {
                    for (ConsumerRecord<byte[], byte[]> record :
                            consumer.poll(Duration.ofMillis(100))) {
                        long now = System.currentTimeMillis();
                        lastReceived.set(now);
                        long eventTime =
                                record.topic().equals(names.twins())
                                        ? twinReader
                                                .deserialize(record.value())
                                                .getLastSeen()
                                                .toEpochMilli()
                                        : alertReader
                                                .deserialize(record.value())
                                                .getEventTime()
                                                .toEpochMilli();
                        if (record.topic().equals(names.twins())) {
                            twins++;
                        } else {
                            alerts++;
                        }
                        if (eventTime >= measureFrom) {
                            add(now - eventTime);
                        }
                    }
                }
            } catch (Exception e) {
                throw new IllegalStateException("the latency consumer failed", e);
            }
        }

        private void add(long latency) {
            if (size == latencies.length) {
                latencies = Arrays.copyOf(latencies, size * 2);
            }
            latencies[size++] = latency;
        }

        synchronized long[] latencies() {
            return Arrays.copyOf(latencies, size);
        }
    }
}
