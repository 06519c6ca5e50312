package io.twinlog.jobs.kafka;

import io.twinlog.jobs.config.OutputSizes;
import io.twinlog.jobs.serde.ConfluentSchemaCoder;
import io.twinlog.registry.CachingSchemaRegistry;
import io.twinlog.registry.RegistryRestClient;
import io.twinlog.registry.SchemaRegistry;
import io.twinlog.schema.TopicNames;
import io.twinlog.schema.Topics;
import io.twinlog.schema.internal.DeadLetter;
import io.twinlog.schema.internal.LateEvent;
import io.twinlog.schema.internal.SinkRecord;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.avro.specific.SpecificData;
import org.apache.flink.api.common.serialization.SerializationSchema;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.flink.formats.avro.RegistryAvroSerializationSchema;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;

/**
 * Writes every output of the job: the value's type picks the topic ({@link Topics}). Avro values go
 * through flink-avro's {@link RegistryAvroSerializationSchema} with the Confluent coder; late
 * events and dead letters are forwarded with their original key and bytes.
 *
 * <p>Records carry no timestamp of their own, so the producer stamps the time of writing: the event
 * time is in every value, and a replay of old history must not write records that time-based
 * retention deletes at once. Keys, values and headers are the same in every run; only these
 * timestamps differ.
 *
 * <p>The output schemas are registered when the writer opens, so an incompatible schema change
 * fails the job at start with the registry's message instead of at the first record. The records
 * the fold writes are bounded by {@link OutputSizes}; forwarded ones are made to fit by {@link
 * ForwardedRecords}.
 */
public final class TwinlogRecordSerializer implements KafkaRecordSerializationSchema<SinkRecord> {

    private static final long serialVersionUID = 1L;

    private final TopicNames topics;
    private final String registryUrl;
    private final Duration registryTimeout;
    private final int maxRecordBytes;

    /** By value type: the Avro topics of {@link Topics}, each with its serializer. */
    private transient Map<Class<?>, AvroTopicWriter<?>> writers;

    /**
     * @param maxRecordBytes the producer's max.request.size: forwarded records are made to fit it
     */
    public TwinlogRecordSerializer(
            TopicNames topics, String registryUrl, Duration registryTimeout, int maxRecordBytes) {
        this.topics = topics;
        this.registryUrl = registryUrl;
        this.registryTimeout = registryTimeout;
        this.maxRecordBytes = maxRecordBytes;
    }

    @Override
    public void open(
            SerializationSchema.InitializationContext context, KafkaSinkContext sinkContext)
            throws Exception {
        SchemaRegistry registry =
                new CachingSchemaRegistry(new RegistryRestClient(registryUrl, registryTimeout));
        writers = new HashMap<>();
        for (Topics.Topic<?> topic : Topics.AVRO) {
            writers.put(topic.valueType(), writer(topic, registry, context));
        }
    }

    private <T> AvroTopicWriter<T> writer(
            Topics.Topic<T> topic,
            SchemaRegistry registry,
            SerializationSchema.InitializationContext context)
            throws Exception {
        String name = topic.nameIn(topics);
        org.apache.avro.Schema schema = SpecificData.get().getSchema(topic.valueType());
        ConfluentSchemaCoder coder =
                new ConfluentSchemaCoder(registry, TopicNames.valueSubject(name));
        try {
            coder.writeSchema(schema, OutputStream.nullOutputStream());
        } catch (IOException e) {
            throw new IOException(
                    "cannot register the schema of "
                            + topic.valueType().getSimpleName()
                            + " under subject "
                            + TopicNames.valueSubject(name)
                            + ": "
                            + e.getMessage(),
                    e);
        }
        RegistryAvroSerializationSchema<T> serializer =
                new RegistryAvroSerializationSchema<>(topic.valueType(), schema, () -> coder);
        serializer.open(context);
        return new AvroTopicWriter<>(topic, name, serializer);
    }

    @Override
    public ProducerRecord<byte[], byte[]> serialize(
            SinkRecord element, KafkaSinkContext context, Long timestamp) {
        Object value = element.getValue();
        AvroTopicWriter<?> writer = writers.get(value.getClass());
        if (writer != null) {
            return writer.write(value);
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

    /** One Avro topic: its name, its serializer, the key of its values. */
    private record AvroTopicWriter<T>(
            Topics.Topic<T> topic, String name, RegistryAvroSerializationSchema<T> serializer) {
        ProducerRecord<byte[], byte[]> write(Object value) {
            T typed = topic.valueType().cast(value);
            return record(name, topic.keyOf(typed), serializer.serialize(typed));
        }
    }

    private static ProducerRecord<byte[], byte[]> record(String topic, String key, byte[] value) {
        return new ProducerRecord<>(topic, key.getBytes(StandardCharsets.UTF_8), value);
    }

    private ProducerRecord<byte[], byte[]> forward(
            String topic, io.twinlog.schema.internal.RawRecord raw, List<Header> headers) {
        return ForwardedRecords.fitted(
                topic,
                RawRecords.bytes(raw.getKey()),
                RawRecords.bytes(raw.getValue()),
                headers,
                maxRecordBytes);
    }
}
