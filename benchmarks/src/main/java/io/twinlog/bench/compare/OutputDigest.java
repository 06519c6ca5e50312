package io.twinlog.bench.compare;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * What a pass committed to its output topics, in a form two passes can be compared by: per topic,
 * the number of records and a digest of them that does not depend on their order across devices
 * (the sum of a hash of each key, value and headers). Engines interleave devices differently; the
 * records of each device, and so the sums, must be the same. For the twins topic, which is
 * compacted, the digest is of each device's latest twin (what compaction keeps), the count of all
 * twins written.
 */
final class OutputDigest {

    /** One topic's records. */
    record TopicDigest(long records, String digest) {}

    private OutputDigest() {}

    /**
     * Reads the committed records of each topic (read_committed) up to its end offsets.
     *
     * @param roles topic name to its role in the report (twins, alerts, ...)
     */
    static Map<String, TopicDigest> of(
            String bootstrapServers, Map<String, String> roles, String twinsTopic) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 5000);
        props.put(ConsumerConfig.FETCH_MAX_BYTES_CONFIG, 64 * 1024 * 1024);
        Map<String, TopicDigest> digests = new LinkedHashMap<>();
        try (KafkaConsumer<byte[], byte[]> consumer =
                new KafkaConsumer<>(
                        props, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            for (Map.Entry<String, String> topic : roles.entrySet()) {
                digests.put(
                        topic.getValue(),
                        read(consumer, topic.getKey(), topic.getKey().equals(twinsTopic)));
            }
        }
        return digests;
    }

    private static TopicDigest read(
            KafkaConsumer<byte[], byte[]> consumer, String topic, boolean latestPerKey) {
        List<TopicPartition> partitions =
                consumer.partitionsFor(topic).stream()
                        .map(p -> new TopicPartition(topic, p.partition()))
                        .toList();
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
        Map<TopicPartition, Long> ends = consumer.endOffsets(partitions);
        Map<ByteBuffer, Long> latest = new HashMap<>();
        long records = 0;
        long sum = 0;
        while (partitions.stream().anyMatch(p -> consumer.position(p) < ends.get(p))) {
            for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofSeconds(1))) {
                long hash = hash(record);
                records++;
                if (latestPerKey) {
                    latest.put(ByteBuffer.wrap(record.key()), hash);
                } else {
                    sum += hash;
                }
            }
        }
        if (latestPerKey) {
            for (long hash : latest.values()) {
                sum += hash;
            }
        }
        return new TopicDigest(records, HexFormat.of().toHexDigits(sum));
    }

    private static long hash(ConsumerRecord<byte[], byte[]> record) {
        MessageDigest sha = sha256();
        update(sha, record.key());
        update(sha, record.value());
        for (Header header : record.headers()) {
            update(sha, header.key().getBytes(StandardCharsets.UTF_8));
            update(sha, header.value());
        }
        return ByteBuffer.wrap(sha.digest()).getLong();
    }

    private static void update(MessageDigest sha, byte[] bytes) {
        if (bytes == null) {
            sha.update((byte) 0);
            return;
        }
        sha.update(ByteBuffer.allocate(4).putInt(bytes.length).array());
        sha.update(bytes);
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
