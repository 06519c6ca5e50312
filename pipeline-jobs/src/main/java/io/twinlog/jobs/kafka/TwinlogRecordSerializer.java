package io.twinlog.jobs.kafka;

import io.twinlog.connect.ForwardedRecords;
import io.twinlog.connect.OutputRecordEncoder;
import io.twinlog.options.OutputSizes;
import io.twinlog.registry.CachingSchemaRegistry;
import io.twinlog.registry.RegistryAuth;
import io.twinlog.registry.RegistryRestClient;
import io.twinlog.schema.TopicNames;
import io.twinlog.schema.internal.SinkRecord;
import java.time.Duration;
import org.apache.flink.api.common.serialization.SerializationSchema;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Writes every output of the job through {@link OutputRecordEncoder}: the value's type picks the
 * topic, Avro values in the Confluent wire format, late events and dead letters forwarded with
 * their original key and bytes.
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
    private final RegistryAuth registryAuth;
    private final int maxRecordBytes;

    private transient OutputRecordEncoder encoder;

    /**
     * @param maxRecordBytes the producer's max.request.size: forwarded records are made to fit it
     */
    public TwinlogRecordSerializer(
            TopicNames topics, String registryUrl, Duration registryTimeout, int maxRecordBytes) {
        this(topics, registryUrl, registryTimeout, RegistryAuth.none(), maxRecordBytes);
    }

    public TwinlogRecordSerializer(
            TopicNames topics,
            String registryUrl,
            Duration registryTimeout,
            RegistryAuth registryAuth,
            int maxRecordBytes) {
        this.topics = topics;
        this.registryUrl = registryUrl;
        this.registryTimeout = registryTimeout;
        this.registryAuth = registryAuth;
        this.maxRecordBytes = maxRecordBytes;
    }

    @Override
    public void open(
            SerializationSchema.InitializationContext context, KafkaSinkContext sinkContext)
            throws Exception {
        encoder =
                new OutputRecordEncoder(
                        topics,
                        new CachingSchemaRegistry(
                                new RegistryRestClient(registryUrl, registryTimeout, registryAuth)),
                        maxRecordBytes);
    }

    @Override
    public ProducerRecord<byte[], byte[]> serialize(
            SinkRecord element, KafkaSinkContext context, Long timestamp) {
        return encoder.encode(element);
    }
}
