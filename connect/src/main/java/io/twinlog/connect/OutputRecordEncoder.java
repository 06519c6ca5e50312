package io.twinlog.connect;

import io.twinlog.registry.SchemaRegistry;
import io.twinlog.schema.TopicNames;
import io.twinlog.schema.Topics;
import io.twinlog.schema.event.DeviceEvent;
import io.twinlog.schema.internal.DeadLetter;
import io.twinlog.schema.internal.LateEvent;
import io.twinlog.schema.internal.LogAppend;
import io.twinlog.schema.internal.RawRecord;
import io.twinlog.schema.internal.SinkRecord;
import io.twinlog.serde.ConfluentAvroSerializer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;

/**
 * What every output of the fold looks like on Kafka: the value's type picks the topic ({@link
 * Topics}); Avro values are written in the Confluent wire format under the topic's value subject,
 * keyed by device id (twinlog's own records for the event log go to the partition of their device's
 * events); late events and dead letters are forwarded with their original key and bytes and made to
 * fit ({@link ForwardedRecords}). Plain Kafka types, so that every engine that runs the fold writes
 * the same records. Not thread-safe.
 */
public final class OutputRecordEncoder {

    private final TopicNames topics;
    private final int maxRecordBytes;
    private final Map<Class<?>, AvroTopicWriter<?>> writers = new HashMap<>();

    /**
     * Registers the schema of every Avro output topic now, so that an incompatible schema change
     * fails at start with the registry's message instead of at the first record.
     *
     * @param maxRecordBytes the producer's max.request.size: forwarded records are made to fit it
     */
    public OutputRecordEncoder(TopicNames topics, SchemaRegistry registry, int maxRecordBytes)
            throws IOException {
        this.topics = topics;
        this.maxRecordBytes = maxRecordBytes;
        for (Topics.Topic<?> topic : Topics.AVRO) {
            writers.put(topic.valueType(), writer(topic, registry));
        }
    }

    private <T> AvroTopicWriter<T> writer(Topics.Topic<T> topic, SchemaRegistry registry)
            throws IOException {
        String name = topic.nameIn(topics);
        String subject = TopicNames.valueSubject(name);
        ConfluentAvroSerializer<SpecificRecord> serializer =
                serializer(registry, subject, topic.valueType());
        try {
            serializer.schemaId();
        } catch (IOException e) {
            throw new IOException(
                    "cannot register the schema of "
                            + topic.valueType().getSimpleName()
                            + " under subject "
                            + subject
                            + ": "
                            + e.getMessage(),
                    e);
        }
        return new AvroTopicWriter<>(topic, name, serializer);
    }

    public ProducerRecord<byte[], byte[]> encode(SinkRecord element) {
        Object value = element.getValue();
        AvroTopicWriter<?> writer = writers.get(value.getClass());
        if (writer != null) {
            return writer.write(value, null);
        }
        if (value instanceof LogAppend append) {
            return writers.get(DeviceEvent.class).write(append.getEvent(), append.getPartition());
        }
        if (value instanceof LateEvent late) {
            return forward(Topics.LATE.nameIn(topics), late.getRaw(), RecordHeaders.late(late));
        }
        if (value instanceof DeadLetter deadLetter) {
            return forward(
                    Topics.DEAD_LETTERS.nameIn(topics),
                    deadLetter.getRaw(),
                    RecordHeaders.deadLetter(deadLetter));
        }
        throw new IllegalArgumentException("no topic for " + value.getClass());
    }

    /** The Avro topics' value types are generated specific records. */
    @SuppressWarnings("unchecked")
    private static ConfluentAvroSerializer<SpecificRecord> serializer(
            SchemaRegistry registry, String subject, Class<?> type) {
        return new ConfluentAvroSerializer<>(registry, subject, (Class<SpecificRecord>) type);
    }

    /** One Avro topic: its name, its serializer, the key of its values. */
    private record AvroTopicWriter<T>(
            Topics.Topic<T> topic,
            String name,
            ConfluentAvroSerializer<SpecificRecord> serializer) {
        /**
         * @param partition where to write, or null for the producer's partitioner
         */
        ProducerRecord<byte[], byte[]> write(Object value, Integer partition) {
            T typed = topic.valueType().cast(value);
            byte[] bytes;
            try {
                bytes = serializer.serialize((SpecificRecord) typed);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot encode a record for " + name, e);
            }
            return new ProducerRecord<>(
                    name, partition, topic.keyOf(typed).getBytes(StandardCharsets.UTF_8), bytes);
        }
    }

    private ProducerRecord<byte[], byte[]> forward(
            String topic, RawRecord raw, List<Header> headers) {
        return ForwardedRecords.fitted(
                topic,
                RawRecords.bytes(raw.getKey()),
                RawRecords.bytes(raw.getValue()),
                headers,
                maxRecordBytes);
    }
}
