package io.twinlog.jobs.kafka;

import io.twinlog.options.DeviceTwinJobOptions;
import io.twinlog.options.SinkOptions;
import io.twinlog.options.SourceOptions;
import io.twinlog.registry.RegistryException;
import io.twinlog.registry.RegistryRestClient;
import io.twinlog.registry.RegistryUnavailableException;
import io.twinlog.schema.TopicNames;
import io.twinlog.schema.Topics;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.avro.specific.SpecificData;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ListTransactionsOptions;
import org.apache.kafka.clients.admin.TransactionListing;
import org.apache.kafka.clients.admin.TransactionState;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;

/**
 * Checks at submission what would otherwise fail later and obscurely: Kafka and the registry are
 * reachable, the topics exist, the registry accepts the output schemas, the sink's transaction
 * timeout is allowed by the brokers, and no other producer is using the transactional id prefix.
 * Each failure says what to change.
 */
public final class Preflight {

    private static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(15);
    private static final Set<TransactionState> OPEN =
            EnumSet.of(
                    TransactionState.ONGOING,
                    TransactionState.PREPARE_COMMIT,
                    TransactionState.PREPARE_ABORT);

    /**
     * @param restoring whether the job restores from a checkpoint or savepoint: then transactions
     *     left open by its previous run are expected (the sink aborts them), not a sign of a second
     *     job
     * @throws PreflightException naming the problem and what to change
     */
    public static Findings check(DeviceTwinJobOptions options, boolean restoring) {
        try {
            return new Preflight(DEFAULT_TIMEOUT).run(options, restoring);
        } catch (IllegalStateException | IllegalArgumentException e) {
            throw new PreflightException(e.getMessage(), e);
        }
    }

    /** What the checks learned that the job needs. */
    public record Findings(int eventPartitions) {}

    private final Duration timeout;

    Preflight(Duration timeout) {
        this.timeout = timeout;
    }

    Findings run(DeviceTwinJobOptions options, boolean restoring) {
        checkRegistry(options);
        Properties admin = options.kafkaProperties();
        admin.put(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                options.get(SourceOptions.BOOTSTRAP_SERVERS));
        admin.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) timeout.toMillis());
        admin.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) timeout.toMillis());
        try (Admin kafka = Admin.create(admin)) {
            Collection<Node> brokers = brokers(kafka, options);
            checkTopics(kafka, options.topics());
            checkRecordSize(
                    kafka, options.topics(), options.get(SinkOptions.SINK_MAX_RECORD_BYTES));
            checkTransactionTimeout(kafka, brokers, options.get(SinkOptions.TRANSACTION_TIMEOUT));
            if (!restoring) {
                checkTransactionalIdPrefix(kafka, options.get(SinkOptions.TRANSACTIONAL_ID_PREFIX));
            }
            String events = options.topics().events();
            return new Findings(
                    await(
                                    kafka.describeTopics(List.of(events)).allTopicNames(),
                                    "describe " + events)
                            .get(events)
                            .partitions()
                            .size());
        }
    }

    private void checkRegistry(DeviceTwinJobOptions options) {
        RegistryRestClient registry =
                new RegistryRestClient(
                        options.get(SourceOptions.REGISTRY_URL), timeout, options.registryAuth());
        TopicNames topics = options.topics();
        for (Topics.Topic<?> output : Topics.AVRO) {
            String subject = TopicNames.valueSubject(output.nameIn(topics));
            try {
                registry.register(subject, SpecificData.get().getSchema(output.valueType()));
            } catch (RegistryUnavailableException e) {
                throw new IllegalStateException(
                        "cannot reach the schema registry: "
                                + e.getMessage()
                                + ". Check --"
                                + SourceOptions.REGISTRY_URL.key()
                                + ".",
                        e);
            } catch (RegistryException e) {
                if (e.status() == 401 || e.status() == 403) {
                    throw new IllegalStateException(
                            e.getMessage()
                                    + ". Check --"
                                    + SourceOptions.REGISTRY_USER_INFO.key()
                                    + ".",
                            e);
                }
                throw refused(subject, e);
            } catch (IOException e) {
                throw refused(subject, e);
            }
        }
    }

    private static IllegalStateException refused(String subject, IOException e) {
        return new IllegalStateException(
                "the schema registry refuses the schema of "
                        + subject
                        + ": "
                        + e.getMessage()
                        + ". Evolve the schema compatibly (docs/UPGRADES.md, state schema evolution).",
                e);
    }

    private Collection<Node> brokers(Admin kafka, DeviceTwinJobOptions options) {
        try {
            return kafka.describeCluster().nodes().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while connecting to Kafka", e);
        } catch (ExecutionException e) {
            KafkaAccessFailure.of(e.getCause(), KafkaAccessFailure.JOB_HINT)
                    .ifPresent(
                            failure -> {
                                throw new IllegalStateException(failure, e);
                            });
            throw unreachable(options, e);
        } catch (TimeoutException e) {
            throw unreachable(options, e);
        }
    }

    private IllegalStateException unreachable(DeviceTwinJobOptions options, Exception e) {
        return new IllegalStateException(
                "cannot reach Kafka at "
                        + options.get(SourceOptions.BOOTSTRAP_SERVERS)
                        + " within "
                        + timeout.toSeconds()
                        + " s. Check --"
                        + SourceOptions.BOOTSTRAP_SERVERS.key()
                        + " and that the brokers are up, and that the listener's protocol"
                        + " is the client's (--properties.security.protocol).",
                e);
    }

    private void checkTopics(Admin kafka, TopicNames topics) {
        Set<String> existing = await(kafka.listTopics().names(), "list topics");
        List<String> missing = new ArrayList<>(topics.all());
        missing.removeAll(existing);
        if (!missing.isEmpty()) {
            throw new IllegalStateException(
                    "topics "
                            + missing
                            + " do not exist. Create them with"
                            + " `scripts/twinlog topics create` (partitions and compaction matter, so they are not auto-created).");
        }
    }

    /** Every topic the job writes must take the largest record its producers may send. */
    private void checkRecordSize(Admin kafka, TopicNames topics, int maxRecordBytes) {
        List<ConfigResource> resources =
                topics.all().stream()
                        .map(topic -> new ConfigResource(ConfigResource.Type.TOPIC, topic))
                        .toList();
        Map<ConfigResource, Config> configs =
                await(kafka.describeConfigs(resources).all(), "describe topic configs");
        for (Map.Entry<ConfigResource, Config> topic : configs.entrySet()) {
            var entry = topic.getValue().get(TopicConfig.MAX_MESSAGE_BYTES_CONFIG);
            if (entry != null
                    && entry.value() != null
                    && Integer.parseInt(entry.value()) < maxRecordBytes) {
                throw new IllegalStateException(
                        "topic "
                                + topic.getKey().name()
                                + " accepts records of at most "
                                + entry.value()
                                + " bytes (max.message.bytes) but the job writes records of up to "
                                + maxRecordBytes
                                + " bytes (--"
                                + SinkOptions.SINK_MAX_RECORD_BYTES.key()
                                + "). Raise the"
                                + " topic's max.message.bytes or lower the option (docs/LIMITS.md).");
            }
        }
    }

    private void checkTransactionTimeout(Admin kafka, Collection<Node> brokers, Duration timeout) {
        List<ConfigResource> resources =
                brokers.stream()
                        .map(
                                node ->
                                        new ConfigResource(
                                                ConfigResource.Type.BROKER, node.idString()))
                        .toList();
        Map<ConfigResource, Config> configs =
                await(kafka.describeConfigs(resources).all(), "describe broker configs");
        for (Map.Entry<ConfigResource, Config> broker : configs.entrySet()) {
            var entry = broker.getValue().get("transaction.max.timeout.ms");
            if (entry == null || entry.value() == null) {
                continue;
            }
            long max = Long.parseLong(entry.value());
            if (timeout.toMillis() > max) {
                throw new IllegalStateException(
                        "--"
                                + SinkOptions.TRANSACTION_TIMEOUT.key()
                                + " is "
                                + timeout.toMillis()
                                + " ms but broker "
                                + broker.getKey().name()
                                + " allows at most transaction.max.timeout.ms="
                                + max
                                + ". Lower --"
                                + SinkOptions.TRANSACTION_TIMEOUT.key()
                                + " or raise transaction.max.timeout.ms on the brokers.");
            }
        }
    }

    private void checkTransactionalIdPrefix(Admin kafka, String prefix) {
        ListTransactionsOptions open = new ListTransactionsOptions().filterStates(OPEN);
        Collection<TransactionListing> listings =
                await(kafka.listTransactions(open).all(), "list transactions");
        List<String> inUse =
                listings.stream()
                        .map(TransactionListing::transactionalId)
                        .filter(id -> id.startsWith(prefix + "-"))
                        .sorted()
                        .toList();
        if (!inUse.isEmpty()) {
            throw new IllegalStateException(
                    "transactional id prefix '"
                            + prefix
                            + "' has open transactions "
                            + inUse.subList(0, Math.min(5, inUse.size()))
                            + ": another job is writing with it. Give this job its"
                            + " own --"
                            + SinkOptions.TRANSACTIONAL_ID_PREFIX.key()
                            + ". (If a previous run of this"
                            + " job crashed, resume it from its checkpoint instead, or wait for its transactions to time out.)");
        }
    }

    private <T> T await(org.apache.kafka.common.KafkaFuture<T> future, String what) {
        try {
            return future.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw new IllegalStateException(
                    KafkaAccessFailure.of(e.getCause(), KafkaAccessFailure.JOB_HINT)
                            .map(failure -> "'" + what + "' failed: " + failure)
                            .orElse("Kafka did not answer '" + what + "': " + e.getMessage()),
                    e);
        } catch (TimeoutException e) {
            throw new IllegalStateException(
                    "Kafka did not answer '" + what + "': " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted during '" + what + "'", e);
        }
    }
}
