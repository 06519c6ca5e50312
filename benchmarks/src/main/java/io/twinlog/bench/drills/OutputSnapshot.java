package io.twinlog.bench.drills;

import io.twinlog.registry.CachingSchemaRegistry;
import io.twinlog.registry.RegistryRestClient;
import io.twinlog.registry.SchemaRegistry;
import io.twinlog.schema.TopicNames;
import io.twinlog.schema.alert.Alert;
import io.twinlog.schema.derived.TwinEvent;
import io.twinlog.schema.twin.DeviceTwin;
import io.twinlog.serde.ConfluentAvroDeserializer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Every output topic as a read_committed consumer sees it, per topic and key: the values and
 * headers in order. Per key is the order the job guarantees (a device's records in the order of its
 * events); across keys the interleaving depends on timing and is not compared. Record timestamps
 * are the producer's and are left out. Twins, derived events and alerts are compared decoded: the
 * schema id in their framing is whatever the registry of that run assigned, not something the log
 * decides.
 */
final class OutputSnapshot {

    private final Map<String, Map<String, List<String>>> records = new TreeMap<>();
    private final Map<String, ConfluentAvroDeserializer<?>> decoders;
    private long count;

    private OutputSnapshot(Map<String, ConfluentAvroDeserializer<?>> decoders) {
        this.decoders = decoders;
    }

    static OutputSnapshot read(String bootstrapServers, String registryUrl, TopicNames topics) {
        SchemaRegistry registry = new CachingSchemaRegistry(new RegistryRestClient(registryUrl));
        Map<String, ConfluentAvroDeserializer<?>> decoders =
                Map.of(
                        topics.twins(), new ConfluentAvroDeserializer<>(registry, DeviceTwin.class),
                        topics.twinEvents(),
                                new ConfluentAvroDeserializer<>(registry, TwinEvent.class),
                        topics.alerts(), new ConfluentAvroDeserializer<>(registry, Alert.class));
        OutputSnapshot snapshot = new OutputSnapshot(decoders);
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 5000);
        try (KafkaConsumer<byte[], byte[]> consumer =
                new KafkaConsumer<>(
                        props, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            for (String topic :
                    List.of(
                            topics.twins(),
                            topics.twinEvents(),
                            topics.alerts(),
                            topics.late(),
                            topics.deadLetters())) {
                List<TopicPartition> partitions = new ArrayList<>();
                consumer.partitionsFor(topic)
                        .forEach(p -> partitions.add(new TopicPartition(topic, p.partition())));
                consumer.assign(partitions);
                consumer.seekToBeginning(partitions);
                Map<TopicPartition, Long> ends = new HashMap<>(consumer.endOffsets(partitions));
                long deadline = System.currentTimeMillis() + 300_000;
                while (ends.entrySet().stream()
                        .anyMatch(e -> consumer.position(e.getKey()) < e.getValue())) {
                    if (System.currentTimeMillis() > deadline) {
                        throw new IllegalStateException(
                                "cannot read " + topic + " to its end within 5 minutes");
                    }
                    for (ConsumerRecord<byte[], byte[]> record :
                            consumer.poll(Duration.ofMillis(500))) {
                        try {
                            snapshot.add(record);
                        } catch (IOException e) {
                            throw new UncheckedIOException("cannot decode a record of " + topic, e);
                        }
                    }
                }
            }
        }
        return snapshot;
    }

    private void add(ConsumerRecord<byte[], byte[]> record) throws IOException {
        ConfluentAvroDeserializer<?> decoder = decoders.get(record.topic());
        StringBuilder line =
                new StringBuilder(
                        decoder == null
                                ? encode(record.value())
                                : decoder.deserialize(record.value()).toString());
        for (Header header : record.headers()) {
            line.append(' ').append(header.key()).append('=').append(encode(header.value()));
        }
        String key =
                record.key() == null
                        ? "(no key)"
                        : new String(record.key(), StandardCharsets.UTF_8);
        records.computeIfAbsent(record.topic(), t -> new TreeMap<>())
                .computeIfAbsent(key, k -> new ArrayList<>())
                .add(line.toString());
        count++;
    }

    long count() {
        return count;
    }

    /** Records of the topic with this header. */
    long countWithHeader(String topic, String header, String value) {
        String wanted = " " + header + "=" + encode(value.getBytes(StandardCharsets.UTF_8));
        return records.getOrDefault(topic, Map.of()).values().stream()
                .flatMap(List::stream)
                .filter(line -> line.contains(wanted))
                .count();
    }

    long count(String topic) {
        return records.getOrDefault(topic, Map.of()).values().stream().mapToLong(List::size).sum();
    }

    /**
     * Where this snapshot differs from the expected one: at most {@code max} lines, empty if
     * identical.
     */
    List<String> differencesFrom(OutputSnapshot expected, int max) {
        List<String> differences = new ArrayList<>();
        java.util.Set<String> topics = new java.util.TreeSet<>(records.keySet());
        topics.addAll(expected.records.keySet());
        for (String topic : topics) {
            Map<String, List<String>> actualByKey = records.getOrDefault(topic, Map.of());
            Map<String, List<String>> expectedByKey =
                    expected.records.getOrDefault(topic, Map.of());
            java.util.Set<String> keys = new java.util.TreeSet<>(actualByKey.keySet());
            keys.addAll(expectedByKey.keySet());
            for (String key : keys) {
                List<String> actual = actualByKey.getOrDefault(key, List.of());
                List<String> wanted = expectedByKey.getOrDefault(key, List.of());
                if (!actual.equals(wanted) && differences.size() < max) {
                    differences.add(describe(topic, key, actual, wanted));
                }
            }
        }
        return differences;
    }

    private static String describe(
            String topic, String key, List<String> actual, List<String> expected) {
        int first = 0;
        while (first < Math.min(actual.size(), expected.size())
                && actual.get(first).equals(expected.get(first))) {
            first++;
        }
        return String.format(
                "%s key %s: %d records, expected %d; first difference at record %d: %s instead of %s",
                topic,
                key,
                actual.size(),
                expected.size(),
                first,
                shortened(actual, first),
                shortened(expected, first));
    }

    private static String shortened(List<String> records, int index) {
        return index >= records.size()
                ? "(none)"
                : records.get(index).substring(0, Math.min(120, records.get(index).length()));
    }

    private static String encode(byte[] bytes) {
        return bytes == null ? "null" : Base64.getEncoder().encodeToString(bytes);
    }
}
