package io.twinlog.cli.kafka;

import io.twinlog.cli.output.CliException;
import io.twinlog.jobs.kafka.KafkaAccessFailure;
import java.time.Duration;
import java.util.Collection;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/** Kafka clients for the CLI, with timeouts short enough that a wrong address fails in seconds. */
public final class KafkaAccess {

    private static final String HINT = "--command-config";

    private final String bootstrapServers;
    private final Duration timeout;
    private final Properties clientProperties;

    /**
     * @param clientProperties given by the user (--command-config), beneath the CLI's own
     */
    public KafkaAccess(String bootstrapServers, Duration timeout, Properties clientProperties) {
        this.bootstrapServers = bootstrapServers;
        this.timeout = timeout;
        this.clientProperties = clientProperties;
    }

    public Admin admin() {
        Properties props = common();
        props.put(CommonClientConfigs.REQUEST_TIMEOUT_MS_CONFIG, (int) timeout.toMillis());
        props.put(CommonClientConfigs.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) timeout.toMillis());
        Admin admin = Admin.create(props);
        requireReachable(admin);
        return admin;
    }

    public KafkaProducer<byte[], byte[]> producer() {
        try (Admin probe = admin()) {
            // reachable: fail before the producer's own, less helpful, timeouts
        }
        Properties props = common();
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.LINGER_MS_CONFIG, 10);
        props.put(ProducerConfig.BATCH_SIZE_CONFIG, 131_072);
        props.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
        props.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, (int) timeout.toMillis());
        return new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer());
    }

    /** A producer that writes in transactions under the given id. */
    public KafkaProducer<byte[], byte[]> transactionalProducer(String transactionalId) {
        try (Admin probe = admin()) {
            // reachable
        }
        Properties props = common();
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, transactionalId);
        props.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, (int) timeout.toMillis());
        return new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer());
    }

    /**
     * A consumer that sees only committed records, as downstream consumers of twinlog's topics
     * must.
     */
    public KafkaConsumer<byte[], byte[]> committedReader() {
        try (Admin probe = admin()) {
            // reachable
        }
        Properties props = common();
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        return new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }

    public String bootstrapServers() {
        return bootstrapServers;
    }

    public <T> T await(KafkaFuture<T> future, String what) {
        try {
            return future.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw new CliException(
                    "Kafka at "
                            + bootstrapServers
                            + " did not answer '"
                            + what
                            + "' within "
                            + timeout.toSeconds()
                            + " s");
        } catch (ExecutionException e) {
            throw new CliException(
                    "Kafka refused '"
                            + what
                            + "': "
                            + KafkaAccessFailure.of(e.getCause(), HINT)
                                    .orElse(e.getCause().getMessage()),
                    e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CliException("interrupted during '" + what + "'");
        }
    }

    /**
     * Describes topics, waiting for topics just created: a broker answers for a new topic only once
     * its metadata has reached it, a moment after the controller accepted the creation.
     */
    public Map<String, TopicDescription> describeTopics(Admin admin, Collection<String> names) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            try {
                return await(admin.describeTopics(names).allTopicNames(), "describe topics");
            } catch (CliException e) {
                if (!(e.getCause() instanceof UnknownTopicOrPartitionException)
                        || System.nanoTime() > deadline) {
                    throw e;
                }
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new CliException("interrupted during 'describe topics'");
            }
        }
    }

    public Set<String> topicNames(Admin admin) {
        return await(admin.listTopics().names(), "list topics");
    }

    private void requireReachable(Admin admin) {
        try {
            admin.describeCluster().clusterId().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            admin.close(Duration.ZERO);
            KafkaAccessFailure.of(e.getCause(), HINT)
                    .ifPresent(
                            failure -> {
                                throw new CliException(
                                        "Kafka at " + bootstrapServers + ": " + failure);
                            });
            throw unreachable();
        } catch (TimeoutException e) {
            admin.close(Duration.ZERO);
            throw unreachable();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            admin.close(Duration.ZERO);
            throw new CliException("interrupted while connecting to Kafka");
        }
    }

    private CliException unreachable() {
        return new CliException(
                "cannot reach Kafka at "
                        + bootstrapServers
                        + " within "
                        + timeout.toSeconds()
                        + " s (is the stack up? scripts/stack status; or check --bootstrap-servers,"
                        + " and --command-config for a secured listener)");
    }

    private Properties common() {
        Properties props = new Properties();
        props.putAll(clientProperties);
        props.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(CommonClientConfigs.CLIENT_ID_CONFIG, "twinlog-cli");
        return props;
    }
}
