package io.twinlog.options;

import io.twinlog.schema.TopicNames;
import java.time.Duration;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ConfigOptions;

/** Where and how the job writes: the output topics, the producers, the delivery guarantee. */
public final class SinkOptions {

    public static final ConfigOption<String> TOPIC_TWINS =
            ConfigOptions.key("topic.twins")
                    .stringType()
                    .defaultValue(TopicNames.DEVICE_TWINS)
                    .withDescription("latest twin per device (compacted)");

    public static final ConfigOption<String> TOPIC_TWIN_EVENTS =
            ConfigOptions.key("topic.twin-events")
                    .stringType()
                    .defaultValue(TopicNames.DEVICE_TWIN_EVENTS)
                    .withDescription("derived events");

    public static final ConfigOption<String> TOPIC_ALERTS =
            ConfigOptions.key("topic.alerts")
                    .stringType()
                    .defaultValue(TopicNames.DEVICE_ALERTS)
                    .withDescription("alerts");

    public static final ConfigOption<String> TOPIC_LATE =
            ConfigOptions.key("topic.late")
                    .stringType()
                    .defaultValue(TopicNames.DEVICE_EVENTS_LATE)
                    .withDescription("late events, unchanged");

    public static final ConfigOption<String> TOPIC_DLQ =
            ConfigOptions.key("topic.dlq")
                    .stringType()
                    .defaultValue(TopicNames.DEVICE_EVENTS_DLQ)
                    .withDescription("dead letters, unchanged, with error headers");

    public static final ConfigOption<Integer> SINK_MAX_RECORD_BYTES =
            ConfigOptions.key("sink.max-record-bytes")
                    .intType()
                    .defaultValue(OutputSizes.DEFAULT_MAX_RECORD_BYTES)
                    .withDescription(
                            "the producers' max.request.size; every output topic must accept"
                                    + " records this large (max.message.bytes)");

    public static final ConfigOption<Integer> SINK_BATCH_BYTES =
            ConfigOptions.key("sink.batch-bytes")
                    .intType()
                    .defaultValue(256 * 1024)
                    .withDescription(
                            "the producers' batch.size (Kafka's default: 16384); larger batches cost the"
                                    + " broker less CPU per record");

    public static final ConfigOption<Duration> SINK_LINGER =
            ConfigOptions.key("sink.linger")
                    .durationType()
                    .defaultValue(Duration.ofMillis(100))
                    .withDescription(
                            "the producers' linger.ms under exactly-once, where outputs wait for the"
                                    + " checkpoint anyway (at-least-once: Kafka's default, 5 ms)");

    public static final ConfigOption<String> TRANSACTIONAL_ID_PREFIX =
            ConfigOptions.key("transactional.id.prefix")
                    .stringType()
                    .defaultValue("twinlog-device-twin")
                    .withDescription("unique per job on the Kafka cluster");

    public static final ConfigOption<Duration> TRANSACTION_TIMEOUT =
            ConfigOptions.key("transaction.timeout")
                    .durationType()
                    .defaultValue(Duration.ofMinutes(10))
                    .withDescription("must not exceed the brokers' transaction.max.timeout.ms");

    public static final ConfigOption<String> DELIVERY_GUARANTEE =
            ConfigOptions.key("delivery.guarantee")
                    .stringType()
                    .defaultValue("exactly-once")
                    .withDescription(
                            "outputs and checkpoints; at-least-once may repeat outputs"
                                    + " after a failure and is there for comparison");

    private SinkOptions() {}
}
