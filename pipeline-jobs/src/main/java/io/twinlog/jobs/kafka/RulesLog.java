package io.twinlog.jobs.kafka;

import io.twinlog.alerts.PublishedVersions;
import io.twinlog.connect.RecordAdmission;
import io.twinlog.ingest.RefusedMarkers;
import io.twinlog.ingest.RulesMarkerAdmission;
import io.twinlog.kernel.LogAdmission;
import io.twinlog.kernel.LogRecord;
import io.twinlog.kernel.RulesHistory;
import io.twinlog.schema.RulesMarkers;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.internals.RecordHeader;

/**
 * The rules versions as they are in the event log (docs/RULES.md): publishing appends a marker to
 * every partition in one transaction; the versions each partition activated are read back from its
 * markers, through the kernel's admission and routing.
 */
public final class RulesLog {

    /**
     * The transactional id of publishers: one at a time, a second publisher fences the first, so
     * that two concurrent publications never interleave their markers.
     */
    public static final String TRANSACTIONAL_ID = "twinlog-rules-publisher";

    private RulesLog() {}

    /**
     * Appends the marker to every partition of the log, all or nothing.
     *
     * @param producer a producer with {@link #TRANSACTIONAL_ID}, transactions not yet initialized
     * @param value the RuleSet in the Confluent wire format
     */
    public static List<RecordMetadata> publish(
            Producer<byte[], byte[]> producer, String topic, int partitions, byte[] value) {
        producer.initTransactions();
        producer.beginTransaction();
        List<Future<RecordMetadata>> sent = new ArrayList<>();
        byte[] key = RulesMarkers.KEY.getBytes(StandardCharsets.UTF_8);
        for (int partition = 0; partition < partitions; partition++) {
            ProducerRecord<byte[], byte[]> marker =
                    new ProducerRecord<>(topic, partition, key, value);
            marker.headers()
                    .add(
                            new RecordHeader(
                                    RulesMarkers.HEADER,
                                    RulesMarkers.RULES_ACTIVATED.getBytes(StandardCharsets.UTF_8)));
            sent.add(producer.send(marker));
        }
        producer.commitTransaction();
        List<RecordMetadata> written = new ArrayList<>();
        for (Future<RecordMetadata> marker : sent) {
            try {
                written.add(marker.get()); // done: the commit flushed every send
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted", e);
            } catch (ExecutionException e) {
                throw new IllegalStateException("a marker was not written: " + e.getCause(), e);
            }
        }
        return written;
    }

    /**
     * Each partition's activated versions, oldest first (markers the job dead-letters are left
     * out), read to the end of every partition.
     *
     * @param consumer a read_committed consumer; it is assigned every partition of the log
     */
    public static PublishedVersions byPartition(
            KafkaConsumer<byte[], byte[]> consumer,
            String topic,
            RulesMarkerAdmission.RuleSetDecoder decoder,
            RefusedMarkers refused)
            throws IOException {
        List<TopicPartition> partitions =
                consumer.partitionsFor(topic).stream()
                        .map(p -> new TopicPartition(topic, p.partition()))
                        .toList();
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
        Map<TopicPartition, Long> ends = consumer.endOffsets(partitions);
        List<LogRecord> markers = new ArrayList<>();
        while (partitions.stream().anyMatch(p -> consumer.position(p) < ends.get(p))) {
            for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                if (record.offset() < ends.get(new TopicPartition(topic, record.partition()))
                        && RecordAdmission.isMarker(record.headers())) {
                    markers.add(RecordAdmission.logRecord(record));
                }
            }
        }
        return RulesHistory.of(
                markers,
                LogAdmission.markersOnly(decoder, refused),
                partitions.stream().map(TopicPartition::partition).toList());
    }
}
