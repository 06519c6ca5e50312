package io.twinlog.jobs.kafka;

import io.twinlog.ingest.EventAdmission;
import io.twinlog.jobs.serde.ConfluentSchemaCoderProvider;
import io.twinlog.jobs.serde.StrictRegistryAvroDeserializationSchema;
import io.twinlog.options.DeviceTwinJobOptions;
import io.twinlog.options.SinkOptions;
import io.twinlog.options.SourceOptions;
import io.twinlog.schema.event.DeviceEvent;
import io.twinlog.schema.internal.IngestedRecord;
import io.twinlog.schema.internal.SinkRecord;
import io.twinlog.schema.rules.RuleSet;
import java.util.HashMap;
import java.util.Map;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.connector.kafka.sink.KafkaSink;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.connector.kafka.source.KafkaSourceBuilder;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.flink.connector.kafka.source.reader.deserializer.KafkaRecordDeserializationSchema;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.OffsetResetStrategy;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.TopicPartition;

/** The production source and sink of DeviceTwinJob, built from its options. */
public final class KafkaIo {

    private KafkaIo() {}

    /** The event log from its earliest offsets: a job without state folds the whole log. */
    public static KafkaSource<IngestedRecord> source(DeviceTwinJobOptions options) {
        return source(options, Map.of(), deserializer(options));
    }

    /**
     * The event log from the given offsets per partition (earliest for partitions not given; a job
     * restoring a savepoint rebuilt from the log, which has no source state of its own, gives
     * them). A restored job continues from the offsets in its checkpoint or savepoint instead.
     */
    public static KafkaSource<IngestedRecord> source(
            DeviceTwinJobOptions options,
            Map<Integer, Long> startOffsets,
            KafkaRecordDeserializationSchema<IngestedRecord> deserializer) {
        KafkaSourceBuilder<IngestedRecord> builder = sourceBuilder(options, deserializer);
        if (!startOffsets.isEmpty()) {
            Map<TopicPartition, Long> offsets = new HashMap<>();
            startOffsets.forEach(
                    (partition, offset) ->
                            offsets.put(
                                    new TopicPartition(options.topics().events(), partition),
                                    offset));
            builder.setStartingOffsets(
                    OffsetsInitializer.offsets(offsets, OffsetResetStrategy.EARLIEST));
        }
        return builder.build();
    }

    /** The event log up to the given offsets only: for replays into a savepoint. */
    public static KafkaSource<IngestedRecord> boundedSource(
            DeviceTwinJobOptions options, OffsetsInitializer until) {
        return sourceBuilder(options, deserializer(options)).setBounded(until).build();
    }

    /** Decodes and admits the records of the log (registry-backed, strict). */
    public static DeviceEventRecordDeserializer deserializer(DeviceTwinJobOptions options) {
        var coders =
                new ConfluentSchemaCoderProvider(
                        options.get(SourceOptions.REGISTRY_URL),
                        null,
                        options.get(SourceOptions.REGISTRY_TIMEOUT),
                        options.registryAuth());
        return new DeviceEventRecordDeserializer(
                new EventAdmission(options.contract()),
                new StrictRegistryAvroDeserializationSchema<>(DeviceEvent.class, coders),
                new StrictRegistryAvroDeserializationSchema<>(RuleSet.class, coders));
    }

    private static KafkaSourceBuilder<IngestedRecord> sourceBuilder(
            DeviceTwinJobOptions options,
            KafkaRecordDeserializationSchema<IngestedRecord> deserializer) {
        return KafkaSource.<IngestedRecord>builder()
                .setProperties(options.kafkaProperties())
                .setBootstrapServers(options.get(SourceOptions.BOOTSTRAP_SERVERS))
                .setTopics(options.topics().events())
                .setGroupId(options.get(SourceOptions.GROUP_ID))
                .setStartingOffsets(OffsetsInitializer.earliest())
                .setDeserializer(deserializer)
                // The log also holds transactional writes (silence observations): never read
                // aborted ones.
                .setProperty(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed")
                .setProperty("partition.discovery.interval.ms", "60000");
    }

    /**
     * The fold's sink, for all its output topics, exactly-once (unless the options say otherwise),
     * so that the outputs of a checkpoint commit together.
     */
    public static KafkaSink<SinkRecord> sink(DeviceTwinJobOptions options) {
        return sink(options, options.get(SinkOptions.TRANSACTIONAL_ID_PREFIX));
    }

    /**
     * The dead letters' sink: exactly-once as well, so that the dead letters match the bad records
     * one for one. Its transactional ids extend the job's prefix, which the preflight check covers.
     */
    public static KafkaSink<SinkRecord> deadLetterSink(DeviceTwinJobOptions options) {
        return sink(options, options.get(SinkOptions.TRANSACTIONAL_ID_PREFIX) + "-dead-letters");
    }

    /** Kafka's default since 4.0: at-least-once outputs are visible as soon as they are sent. */
    static final long AT_LEAST_ONCE_LINGER_MS = 5;

    private static KafkaSink<SinkRecord> sink(
            DeviceTwinJobOptions options, String transactionalIdPrefix) {
        return KafkaSink.<SinkRecord>builder()
                .setKafkaProducerConfig(options.kafkaProperties())
                .setBootstrapServers(options.get(SourceOptions.BOOTSTRAP_SERVERS))
                .setRecordSerializer(
                        new TwinlogRecordSerializer(
                                options.topics(),
                                options.get(SourceOptions.REGISTRY_URL),
                                options.get(SourceOptions.REGISTRY_TIMEOUT),
                                options.registryAuth(),
                                options.get(SinkOptions.SINK_MAX_RECORD_BYTES)))
                .setDeliveryGuarantee(
                        options.exactlyOnce()
                                ? DeliveryGuarantee.EXACTLY_ONCE
                                : DeliveryGuarantee.AT_LEAST_ONCE)
                .setTransactionalIdPrefix(transactionalIdPrefix)
                .setProperty(
                        ProducerConfig.TRANSACTION_TIMEOUT_CONFIG,
                        Long.toString(options.get(SinkOptions.TRANSACTION_TIMEOUT).toMillis()))
                .setProperty(
                        ProducerConfig.MAX_REQUEST_SIZE_CONFIG,
                        Integer.toString(options.get(SinkOptions.SINK_MAX_RECORD_BYTES)))
                .setProperty(
                        ProducerConfig.BATCH_SIZE_CONFIG,
                        Integer.toString(options.get(SinkOptions.SINK_BATCH_BYTES)))
                // Exactly-once outputs become visible at the checkpoint, whatever the linger:
                // waiting for fuller batches costs no visible latency there.
                .setProperty(
                        ProducerConfig.LINGER_MS_CONFIG,
                        Long.toString(
                                options.exactlyOnce()
                                        ? options.get(SinkOptions.SINK_LINGER).toMillis()
                                        : AT_LEAST_ONCE_LINGER_MS))
                .build();
    }
}
