package io.twinlog.cli.options;

import io.twinlog.cli.flink.FlinkRestClient;
import io.twinlog.cli.kafka.ClientConfig;
import io.twinlog.cli.kafka.KafkaAccess;
import io.twinlog.registry.CachingSchemaRegistry;
import io.twinlog.registry.RegistryRestClient;
import io.twinlog.registry.SchemaRegistry;
import io.twinlog.schema.TopicNames;
import java.nio.file.Path;
import java.time.Duration;
import picocli.CommandLine.Option;

/**
 * Where the stack is: shared by every command. Defaults come from the environment the stack scripts
 * set (TWINLOG_BOOTSTRAP, TWINLOG_REGISTRY_URL, TWINLOG_FLINK_URL), then the local defaults.
 */
public final class Connection {

    @Option(
            names = "--bootstrap-servers",
            paramLabel = "<host:port>",
            defaultValue = "${env:TWINLOG_BOOTSTRAP:-localhost:9092}",
            description = "Kafka (default: ${DEFAULT-VALUE})")
    public String bootstrapServers;

    @Option(
            names = "--registry-url",
            paramLabel = "<url>",
            defaultValue = "${env:TWINLOG_REGISTRY_URL:-http://localhost:8085}",
            description = "schema registry (default: ${DEFAULT-VALUE})")
    public String registryUrl;

    @Option(
            names = "--flink-url",
            paramLabel = "<url>",
            defaultValue = "${env:TWINLOG_FLINK_URL:-http://localhost:8081}",
            description = "Flink REST API and web UI (default: ${DEFAULT-VALUE})")
    public String flinkUrl;

    @Option(
            names = "--command-config",
            paramLabel = "<file>",
            defaultValue = "${env:TWINLOG_COMMAND_CONFIG}",
            description =
                    "client properties for a secured cluster: Kafka's (security.protocol, sasl.*,"
                            + " ssl.*) and the registry's (schema.registry.basic.auth.user.info,"
                            + " schema.registry.ssl.truststore.location); secrets may be"
                            + " $${env:NAME} or $${file:path:key} (default: TWINLOG_COMMAND_CONFIG)")
    public Path commandConfig;

    private ClientConfig clientConfig;

    @Option(
            names = "--topic-prefix",
            paramLabel = "<prefix>",
            defaultValue = "",
            description =
                    "prefix of every topic name, to run several pipelines on one cluster (default: none)")
    public String topicPrefix;

    @Option(
            names = "--timeout",
            paramLabel = "<time>",
            defaultValue = "10s",
            converter = DurationConverter.class,
            description =
                    "how long to wait for Kafka, the registry or Flink to answer (default: ${DEFAULT-VALUE})")
    public Duration timeout;

    public TopicNames topics() {
        return new TopicNames(
                topicPrefix + TopicNames.DEVICE_EVENTS,
                topicPrefix + TopicNames.DEVICE_TWINS,
                topicPrefix + TopicNames.DEVICE_TWIN_EVENTS,
                topicPrefix + TopicNames.DEVICE_ALERTS,
                topicPrefix + TopicNames.DEVICE_EVENTS_LATE,
                topicPrefix + TopicNames.DEVICE_EVENTS_DLQ);
    }

    public RegistryRestClient registryClient() {
        return new RegistryRestClient(registryUrl, timeout, clientConfig().registry());
    }

    public SchemaRegistry registry() {
        return new CachingSchemaRegistry(registryClient());
    }

    public KafkaAccess kafka() {
        return new KafkaAccess(bootstrapServers, timeout, clientConfig().kafkaProperties());
    }

    /** The --command-config file, read once. */
    public ClientConfig clientConfig() {
        if (clientConfig == null) {
            clientConfig = ClientConfig.read(commandConfig);
        }
        return clientConfig;
    }

    public FlinkRestClient flink() {
        return new FlinkRestClient(flinkUrl, timeout);
    }
}
