package io.twinlog.options;

import io.twinlog.registry.RegistryAuth;
import io.twinlog.schema.TopicNames;
import java.time.Duration;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ConfigOptions;

/**
 * Where the job reads: the Kafka cluster, the event log, the schema registry, and how its
 * watermarks advance.
 */
public final class SourceOptions {

    public static final ConfigOption<String> BOOTSTRAP_SERVERS =
            ConfigOptions.key("bootstrap.servers")
                    .stringType()
                    .defaultValue("localhost:9092")
                    .withDescription("Kafka bootstrap servers");

    public static final ConfigOption<String> REGISTRY_URL =
            ConfigOptions.key("schema.registry.url")
                    .stringType()
                    .defaultValue("http://localhost:8085")
                    .withDescription("schema registry URL(s), comma-separated");

    public static final ConfigOption<Duration> REGISTRY_TIMEOUT =
            ConfigOptions.key("schema.registry.timeout")
                    .durationType()
                    .defaultValue(Duration.ofSeconds(10))
                    .withDescription("timeout of one registry request");

    public static final ConfigOption<String> REGISTRY_USER_INFO =
            ConfigOptions.key(RegistryAuth.USER_INFO)
                    .stringType()
                    .noDefaultValue()
                    .withDescription(
                            "user:password for the registry's basic authentication; a secret: give"
                                    + " ${env:NAME} or ${file:path:key}");

    public static final ConfigOption<String> REGISTRY_TRUSTSTORE =
            ConfigOptions.key(RegistryAuth.TRUSTSTORE)
                    .stringType()
                    .noDefaultValue()
                    .withDescription(
                            "PEM file of the certificates to trust for an https registry (none: the JVM's)");

    public static final ConfigOption<String> TOPIC_EVENTS =
            ConfigOptions.key("topic.events")
                    .stringType()
                    .defaultValue(TopicNames.DEVICE_EVENTS)
                    .withDescription("the event log");

    public static final ConfigOption<String> GROUP_ID =
            ConfigOptions.key("group.id")
                    .stringType()
                    .defaultValue("twinlog-device-twin")
                    .withDescription("consumer group (offsets are committed for monitoring only)");

    public static final ConfigOption<Duration> OUT_OF_ORDERNESS =
            ConfigOptions.key("watermark.out-of-orderness")
                    .durationType()
                    .defaultValue(Duration.ofSeconds(5))
                    .withDescription("watermark delay per partition (drives silence timers only)");

    public static final ConfigOption<Duration> IDLE_TIMEOUT =
            ConfigOptions.key("source.idle-timeout")
                    .durationType()
                    .defaultValue(Duration.ofSeconds(30))
                    .withDescription(
                            "a partition without records this long does not hold back watermarks");

    private SourceOptions() {}
}
