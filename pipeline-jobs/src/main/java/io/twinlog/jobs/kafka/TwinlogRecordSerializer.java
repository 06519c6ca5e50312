package io.twinlog.jobs.kafka;

import io.twinlog.jobs.config.OutputSizes;
import io.twinlog.jobs.serde.ConfluentSchemaCoder;
import io.twinlog.registry.CachingSchemaRegistry;
import io.twinlog.registry.RegistryRestClient;
import io.twinlog.registry.SchemaRegistry;
import io.twinlog.schema.TopicNames;
import io.twinlog.schema.alert.Alert;
import io.twinlog.schema.derived.TwinEvent;
import io.twinlog.schema.event.DeviceEvent;
import io.twinlog.schema.internal.DeadLetter;
import io.twinlog.schema.internal.LateEvent;
import io.twinlog.schema.internal.SinkRecord;
import io.twinlog.schema.twin.DeviceTwin;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

import org.apache.avro.specific.SpecificRecordBase;
import org.apache.flink.api.common.serialization.SerializationSchema;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.flink.formats.avro.RegistryAvroSerializationSchema;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;

/**
 * Writes every output of the job: the value's type picks the topic. Avro values go through flink-avro's
 * {@link RegistryAvroSerializationSchema} with the Confluent coder; late events and dead letters are
 * forwarded with their original key and bytes.
 *
 * <p>Records carry no timestamp of their own, so the producer stamps the time of writing: the event
 * time is in every value, and a replay of old history must not write records that time-based
 * retention deletes at once. Keys, values and headers are the same in every run; only these
 * timestamps differ.
 *
 * <p>The output schemas are registered when the writer opens, so an incompatible schema change fails
 * the job at start with the registry's message instead of at the first record. The records the fold
 * writes are bounded by {@link OutputSizes}; forwarded ones are made to fit by {@link ForwardedRecords}.
 */
public final class TwinlogRecordSerializer implements KafkaRecordSerializationSchema<SinkRecord> {

    private static final long serialVersionUID = 1L;

    private final TopicNames topics;
    private final String registryUrl;
    private final Duration registryTimeout;
    private final int maxRecordBytes;

    private transient RegistryAvroSerializationSchema<DeviceTwin> twins;
    private transient RegistryAvroSerializationSchema<TwinEvent> twinEvents;
    private transient RegistryAvroSerializationSchema<Alert> alerts;
    private transient RegistryAvroSerializationSchema<DeviceEvent> events;

    /** @param maxRecordBytes the producer's max.request.size: forwarded records are made to fit it */
    public TwinlogRecordSerializer(TopicNames topics, String registryUrl, Duration registryTimeout, int maxRecordBytes) {
        this.topics = topics;
        this.registryUrl = registryUrl;
        this.registryTimeout = registryTimeout;
        this.maxRecordBytes = maxRecordBytes;
    }

    @Override
    public void open(SerializationSchema.InitializationContext context, KafkaSinkContext sinkContext) throws Exception {
        SchemaRegistry registry = new CachingSchemaRegistry(new RegistryRestClient(registryUrl, registryTimeout));
        twins = registered(DeviceTwin.class, DeviceTwin.getClassSchema(), topics.twins(), registry, context);
        twinEvents = registered(TwinEvent.class, TwinEvent.getClassSchema(), topics.twinEvents(), registry, context);
        alerts = registered(Alert.class, Alert.getClassSchema(), topics.alerts(), registry, context);
        events = registered(DeviceEvent.class, DeviceEvent.getClassSchema(), topics.events(), registry, context);
    }

    private static <T extends SpecificRecordBase> RegistryAvroSerializationSchema<T> registered(Class<T> type,
            org.apache.avro.Schema schema, String topic, SchemaRegistry registry,
            SerializationSchema.InitializationContext context) throws Exception {
        ConfluentSchemaCoder coder = new ConfluentSchemaCoder(registry, TopicNames.valueSubject(topic));
        try {
            coder.writeSchema(schema, OutputStream.nullOutputStream());
        } catch (IOException e) {
            throw new IOException("cannot register the schema of " + type.getSimpleName() + " under subject "
                    + TopicNames.valueSubject(topic) + ": " + e.getMessage(), e);
        }
        RegistryAvroSerializationSchema<T> serializer = new RegistryAvroSerializationSchema<>(type, schema, () -> coder);
        serializer.open(context);
        return serializer;
    }

    @Override
    public ProducerRecord<byte[], byte[]> serialize(SinkRecord element, KafkaSinkContext context, Long timestamp) {
        Object value = element.getValue();
        if (value instanceof DeviceTwin twin) {
            return record(topics.twins(), twin.getDeviceId(), twins.serialize(twin));
        }
        if (value instanceof TwinEvent event) {
            return record(topics.twinEvents(), event.getDeviceId(), twinEvents.serialize(event));
        }
        if (value instanceof Alert alert) {
            return record(topics.alerts(), alert.getDeviceId(), alerts.serialize(alert));
        }
        if (value instanceof DeviceEvent observation) {
            return record(topics.events(), observation.getDeviceId(), events.serialize(observation));
        }
        if (value instanceof LateEvent late) {
            return forward(topics.late(), late.getRaw(), RecordHeaders.late(late));
        }
        if (value instanceof DeadLetter deadLetter) {
            return forward(topics.deadLetters(), deadLetter.getRaw(), RecordHeaders.deadLetter(deadLetter));
        }
        throw new IllegalArgumentException("no topic for " + (value == null ? "null" : value.getClass()));
    }

    private static ProducerRecord<byte[], byte[]> record(String topic, String key, byte[] value) {
        return new ProducerRecord<>(topic, key.getBytes(StandardCharsets.UTF_8), value);
    }

    private ProducerRecord<byte[], byte[]> forward(String topic, io.twinlog.schema.internal.RawRecord raw,
            List<Header> headers) {
        return ForwardedRecords.fitted(topic, RawRecords.bytes(raw.getKey()), RawRecords.bytes(raw.getValue()), headers,
                maxRecordBytes);
    }
}
