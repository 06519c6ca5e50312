package io.twinlog.bench.e2e;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * The ceiling of this machine for an exactly-once Kafka-to-Kafka pipeline: one consumer and one
 * transactional producer copying every record to an output topic, committing the consumed offsets
 * in the transaction every {@code commitInterval}, as Flink's sink does at each checkpoint. No
 * decoding, no state: what is left is the cost of moving the bytes through the broker.
 */
public final class CeilingPipe {

    /** What was copied and what it cost. */
    public record Result(long records, double seconds, double cpuSeconds) {
        public double recordsPerSecond() {
            return records / seconds;
        }
    }

    private CeilingPipe() {}

    public static Result copy(
            LocalStack stack,
            String input,
            Map<TopicPartition, Long> ends,
            String output,
            Duration commitInterval) {
        Properties consumerProps = new Properties();
        consumerProps.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers());
        consumerProps.put(
                ConsumerConfig.GROUP_ID_CONFIG, "bench-ceiling-" + System.currentTimeMillis());
        consumerProps.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        consumerProps.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        Properties producerProps = new Properties();
        producerProps.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers());
        producerProps.put(
                ProducerConfig.TRANSACTIONAL_ID_CONFIG,
                "bench-ceiling-" + System.currentTimeMillis());
        long total = ends.values().stream().mapToLong(Long::longValue).sum();
        double cpuBefore = cpu(stack);
        long start = System.nanoTime();
        long copied = 0;
        try (KafkaConsumer<byte[], byte[]> consumer =
                        new KafkaConsumer<>(
                                consumerProps,
                                new ByteArrayDeserializer(),
                                new ByteArrayDeserializer());
                KafkaProducer<byte[], byte[]> producer =
                        new KafkaProducer<>(
                                producerProps,
                                new ByteArraySerializer(),
                                new ByteArraySerializer())) {
            consumer.assign(List.copyOf(ends.keySet()));
            consumer.seekToBeginning(ends.keySet());
            producer.initTransactions();
            producer.beginTransaction();
            long nextCommit = System.nanoTime() + commitInterval.toNanos();
            Map<TopicPartition, OffsetAndMetadata> positions = new HashMap<>();
            while (copied < total) {
                ConsumerRecords<byte[], byte[]> records = consumer.poll(Duration.ofMillis(100));
                for (ConsumerRecord<byte[], byte[]> record : records) {
                    producer.send(new ProducerRecord<>(output, record.key(), record.value()));
                    positions.put(
                            new TopicPartition(record.topic(), record.partition()),
                            new OffsetAndMetadata(record.offset() + 1));
                    copied++;
                }
                if (System.nanoTime() >= nextCommit || copied >= total) {
                    producer.sendOffsetsToTransaction(positions, consumer.groupMetadata());
                    producer.commitTransaction();
                    if (copied < total) {
                        producer.beginTransaction();
                    }
                    nextCommit = System.nanoTime() + commitInterval.toNanos();
                }
            }
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        return new Result(copied, seconds, cpu(stack) - cpuBefore);
    }

    /** The broker's CPU time plus this process's own (where the pipe runs). */
    private static double cpu(LocalStack stack) {
        return stack.cpuSeconds().getOrDefault("kafka", 0.0)
                + LocalStack.cpuSecondsOf(ProcessHandle.current().pid());
    }
}
