package io.twinlog.bench.e2e;

import io.twinlog.cli.simulator.DeviceSimulator;
import io.twinlog.cli.simulator.EmissionEncoder;
import io.twinlog.registry.CachingSchemaRegistry;
import io.twinlog.registry.RegistryRestClient;
import io.twinlog.schema.TopicNames;
import io.twinlog.schema.event.DeviceEvent;
import io.twinlog.serde.ConfluentAvroSerializer;
import java.time.Duration;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Fills an event log as fast as the broker takes it: every device registers, then telemetry from
 * devices picked at random, with event times of the moment of writing.
 */
public final class Preload {

    /** What was written and how fast. */
    public record Result(String topic, long events, int devices, double seconds) {
        public double eventsPerSecond() {
            return events / seconds;
        }
    }

    private Preload() {}

    public static Result fill(LocalStack stack, String topic, long events, int devices, long seed)
            throws Exception {
        return fill(stack, topic, events, devices, seed, "dev-");
    }

    /** As above, for devices whose ids start with {@code prefix}. */
    public static Result fill(
            LocalStack stack, String topic, long events, int devices, long seed, String prefix)
            throws Exception {
        DeviceSimulator simulator =
                new DeviceSimulator(
                        devices, prefix, seed, DeviceSimulator.Faults.none(), Duration.ofHours(2));
        EmissionEncoder encoder =
                new EmissionEncoder(
                        new ConfluentAvroSerializer<>(
                                new CachingSchemaRegistry(
                                        new RegistryRestClient(stack.registryUrl())),
                                TopicNames.valueSubject(topic),
                                DeviceEvent.class));
        AtomicReference<Exception> failure = new AtomicReference<>();
        long start = System.nanoTime();
        try (KafkaProducer<byte[], byte[]> producer = producer(stack)) {
            for (long i = 0; i < events && failure.get() == null; i++) {
                DeviceSimulator.Emission emission = simulator.next(System.currentTimeMillis());
                producer.send(
                        new ProducerRecord<>(
                                topic, EmissionEncoder.key(emission), encoder.value(emission)),
                        (metadata, error) -> {
                            if (error != null) {
                                failure.compareAndSet(null, error);
                            }
                        });
            }
            producer.flush();
        }
        if (failure.get() != null) {
            throw new IllegalStateException("preloading " + topic + " failed", failure.get());
        }
        return new Result(topic, events, devices, (System.nanoTime() - start) / 1e9);
    }

    /** A producer for bulk writes: batched, compressed, idempotent. */
    static KafkaProducer<byte[], byte[]> producer(LocalStack stack) {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers());
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.LINGER_MS_CONFIG, 20);
        props.put(ProducerConfig.BATCH_SIZE_CONFIG, 262_144);
        props.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
        props.put(ProducerConfig.BUFFER_MEMORY_CONFIG, 64L * 1024 * 1024);
        props.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 300_000);
        return new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer());
    }
}
