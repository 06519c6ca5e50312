package io.twinlog.options;

import io.twinlog.alerts.AlertRules;
import io.twinlog.alerts.AlertRulesFile;
import io.twinlog.config.Durations;
import io.twinlog.config.Secrets;
import io.twinlog.ingest.EventContract;
import io.twinlog.ingest.EventLimits;
import io.twinlog.ingest.RefusedMarkers;
import io.twinlog.registry.RegistryAuth;
import io.twinlog.schema.TopicNames;
import io.twinlog.twin.FoldSettings;
import java.io.IOException;
import java.io.Serializable;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.flink.configuration.ConfigOption;

/**
 * Every setting of DeviceTwinJob, parsed once at the edge ({@code main}) into typed values with
 * defaults. Command line: {@code --key value}; a properties file: {@code --config file}.
 */
public final class DeviceTwinJobOptions implements Serializable {

    private static final long serialVersionUID = 1L;

    /**
     * Kafka client properties for the source, both sinks and the preflight check: {@code
     * --properties.security.protocol SASL_SSL}, as Flink SQL's Kafka connector takes them.
     */
    public static final String KAFKA_PROPERTIES_PREFIX = "properties.";

    /** Client properties twinlog sets itself, with the option to use instead. */
    static final Map<String, String> OWNED_KAFKA_PROPERTIES =
            Map.ofEntries(
                    Map.entry("bootstrap.servers", "--bootstrap.servers"),
                    Map.entry("group.id", "--group.id"),
                    Map.entry("isolation.level", "none: the job reads committed records only"),
                    Map.entry("transactional.id", "--transactional.id.prefix"),
                    Map.entry("transaction.timeout.ms", "--transaction.timeout"),
                    Map.entry("max.request.size", "--sink.max-record-bytes"),
                    Map.entry("batch.size", "--sink.batch-bytes"),
                    Map.entry("linger.ms", "--sink.linger"),
                    Map.entry("enable.idempotence", "none: exactly-once needs it"),
                    Map.entry("acks", "none: exactly-once needs all"),
                    Map.entry("enable.auto.commit", "none: offsets live in checkpoints"),
                    Map.entry("auto.offset.reset", "none: the job reads the log from its start"),
                    Map.entry("key.deserializer", "none: the job's own"),
                    Map.entry("value.deserializer", "none: the job's own"),
                    Map.entry("key.serializer", "none: the job's own"),
                    Map.entry("value.serializer", "none: the job's own"));

    public static final List<ConfigOption<?>> ALL =
            List.of(
                    SourceOptions.BOOTSTRAP_SERVERS,
                    SourceOptions.REGISTRY_URL,
                    SourceOptions.REGISTRY_TIMEOUT,
                    SourceOptions.REGISTRY_USER_INFO,
                    SourceOptions.REGISTRY_TRUSTSTORE,
                    SourceOptions.TOPIC_EVENTS,
                    SinkOptions.TOPIC_TWINS,
                    SinkOptions.TOPIC_TWIN_EVENTS,
                    SinkOptions.TOPIC_ALERTS,
                    SinkOptions.TOPIC_LATE,
                    SinkOptions.TOPIC_DLQ,
                    SourceOptions.GROUP_ID,
                    FoldOptions.ALLOWED_LATENESS,
                    FoldOptions.DEDUP_WINDOW,
                    FoldOptions.DEDUP_MAX_IDS,
                    FoldOptions.SILENCE_TIMEOUT,
                    FoldOptions.SILENCE_OBSERVATIONS,
                    FoldOptions.RULES_FILE,
                    FoldOptions.RULES_JSON,
                    FoldOptions.RULES_REFUSED_MARKERS,
                    FoldOptions.ACCEPT_OPTION_CHANGE,
                    LimitsOptions.MAX_FUTURE_SKEW,
                    LimitsOptions.MAX_ID_LENGTH,
                    LimitsOptions.MAX_NAME_LENGTH,
                    LimitsOptions.MAX_TEXT_LENGTH,
                    LimitsOptions.MAX_METRICS_PER_EVENT,
                    LimitsOptions.MAX_TAGS,
                    LimitsOptions.MAX_METRICS_PER_DEVICE,
                    SinkOptions.SINK_MAX_RECORD_BYTES,
                    SinkOptions.SINK_BATCH_BYTES,
                    SinkOptions.SINK_LINGER,
                    SourceOptions.OUT_OF_ORDERNESS,
                    SourceOptions.IDLE_TIMEOUT,
                    RuntimeOptions.CHECKPOINT_INTERVAL,
                    SinkOptions.TRANSACTIONAL_ID_PREFIX,
                    SinkOptions.TRANSACTION_TIMEOUT,
                    SinkOptions.DELIVERY_GUARANTEE,
                    RuntimeOptions.STATE_BACKEND,
                    RuntimeOptions.PARALLELISM);

    /** The options that take one of a few values. */
    static final Map<ConfigOption<String>, List<String>> CHOICES =
            Map.of(
                    SinkOptions.DELIVERY_GUARANTEE, List.of("exactly-once", "at-least-once"),
                    RuntimeOptions.STATE_BACKEND, List.of("cluster", "rocksdb", "hashmap"));

    private final JobConfiguration params;
    private final TopicNames topics;
    private final FoldSettings foldSettings;
    private final EventLimits limits;
    private final AlertRules rules;
    private final Duration maxFutureSkew;
    private final RefusedMarkers refusedMarkers;

    private DeviceTwinJobOptions(JobConfiguration params) throws IOException {
        this.params = params;
        params.passThrough().keySet().stream()
                .filter(OWNED_KAFKA_PROPERTIES::containsKey)
                .findFirst()
                .ifPresent(
                        name -> {
                            throw new IllegalArgumentException(
                                    "--"
                                            + KAFKA_PROPERTIES_PREFIX
                                            + name
                                            + ": twinlog sets this client property itself (use "
                                            + OWNED_KAFKA_PROPERTIES.get(name)
                                            + ")");
                        });
        this.topics =
                new TopicNames(
                        get(SourceOptions.TOPIC_EVENTS),
                        get(SinkOptions.TOPIC_TWINS),
                        get(SinkOptions.TOPIC_TWIN_EVENTS),
                        get(SinkOptions.TOPIC_ALERTS),
                        get(SinkOptions.TOPIC_LATE),
                        get(SinkOptions.TOPIC_DLQ));
        this.foldSettings =
                new FoldSettings(
                        get(FoldOptions.ALLOWED_LATENESS),
                        get(FoldOptions.DEDUP_WINDOW),
                        get(FoldOptions.DEDUP_MAX_IDS),
                        get(FoldOptions.SILENCE_TIMEOUT),
                        get(LimitsOptions.MAX_METRICS_PER_DEVICE));
        this.limits =
                new EventLimits(
                        get(LimitsOptions.MAX_ID_LENGTH),
                        get(LimitsOptions.MAX_NAME_LENGTH),
                        get(LimitsOptions.MAX_TEXT_LENGTH),
                        get(LimitsOptions.MAX_METRICS_PER_EVENT),
                        get(LimitsOptions.MAX_TAGS));
        this.rules = rules(params);
        this.maxFutureSkew = maxFutureSkew(params);
        this.refusedMarkers = RefusedMarkers.parse(get(FoldOptions.RULES_REFUSED_MARKERS));
        OutputSizes.check(
                limits, foldSettings, rules, topics, get(SinkOptions.SINK_MAX_RECORD_BYTES));
        if (get(RuntimeOptions.CHECKPOINT_INTERVAL).compareTo(get(SinkOptions.TRANSACTION_TIMEOUT))
                >= 0) {
            throw new IllegalArgumentException(
                    "--"
                            + SinkOptions.TRANSACTION_TIMEOUT.key()
                            + " ("
                            + Durations.format(get(SinkOptions.TRANSACTION_TIMEOUT))
                            + ") must be well above --"
                            + RuntimeOptions.CHECKPOINT_INTERVAL.key()
                            + " ("
                            + Durations.format(get(RuntimeOptions.CHECKPOINT_INTERVAL))
                            + "): a transaction stays open from one checkpoint to the next");
        }
    }

    private static AlertRules rules(JobConfiguration params) throws IOException {
        String file = params.get(FoldOptions.RULES_FILE);
        String json = params.get(FoldOptions.RULES_JSON);
        if (file != null && json != null) {
            throw new IllegalArgumentException(
                    "give --"
                            + FoldOptions.RULES_FILE.key()
                            + " or --"
                            + FoldOptions.RULES_JSON.key()
                            + ", not both");
        }
        if (json != null) {
            try {
                return AlertRulesFile.parse(json);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(
                        "--" + FoldOptions.RULES_JSON.key() + ": " + e.getMessage(), e);
            }
        }
        return file == null ? AlertRules.none() : AlertRulesFile.read(Path.of(file));
    }

    /**
     * The skew as given, or its default capped at the allowed lateness: a skew beyond the lateness
     * would let an event from a clock running ahead make the device's next honest events late.
     */
    private static Duration maxFutureSkew(JobConfiguration params) {
        Duration skew = params.get(LimitsOptions.MAX_FUTURE_SKEW);
        Duration lateness = params.get(FoldOptions.ALLOWED_LATENESS);
        if (!params.isSet(LimitsOptions.MAX_FUTURE_SKEW)) {
            return skew.compareTo(lateness) > 0 ? lateness : skew;
        }
        if (skew.compareTo(lateness) > 0) {
            throw new IllegalArgumentException(
                    "--"
                            + LimitsOptions.MAX_FUTURE_SKEW.key()
                            + " ("
                            + Durations.format(skew)
                            + ") must not exceed --"
                            + FoldOptions.ALLOWED_LATENESS.key()
                            + " ("
                            + Durations.format(lateness)
                            + "): an event"
                            + " further ahead would make the device's next honest events late (docs/FOLD.md)");
        }
        return skew;
    }

    /**
     * @throws IllegalArgumentException with a message naming the option at fault
     */
    public static DeviceTwinJobOptions parse(String... args) throws IOException {
        return new DeviceTwinJobOptions(
                JobConfiguration.parse(ALL, CHOICES, KAFKA_PROPERTIES_PREFIX, args));
    }

    /**
     * Prints the options. A main of its own, free of Flink types: the job jar leaves Flink to the
     * cluster, so {@code DeviceTwinJob} cannot even be loaded outside one.
     */
    public static void main(String[] args) {
        System.out.print(usage());
    }

    public static String usage() {
        return "DeviceTwinJob options:\n"
                + JobConfiguration.usage(ALL, CHOICES)
                + String.format(
                        "  --%-30s %s%n",
                        KAFKA_PROPERTIES_PREFIX + "<name>",
                        "a Kafka client property for the source, the sinks and the preflight check"
                                + " (security.protocol, sasl.*, ssl.*); secrets by reference:"
                                + " ${env:NAME}, ${file:path:key}, ${directory:dir:file}");
    }

    /**
     * The Kafka client properties given with {@value #KAFKA_PROPERTIES_PREFIX}, and Kafka's
     * configuration providers for the references among them (unless the properties name providers
     * of their own): Kafka resolves a reference where the client runs, so the secret never travels
     * with the job.
     */
    public Properties kafkaProperties() {
        return KafkaClientProperties.of(params.passThrough());
    }

    /** The registry's credentials and trusted certificates (references resolved where used). */
    public RegistryAuth registryAuth() {
        return new RegistryAuth(
                get(SourceOptions.REGISTRY_USER_INFO),
                get(SourceOptions.REGISTRY_TRUSTSTORE),
                SecretReferences.INSTANCE);
    }

    public <T> T get(ConfigOption<T> param) {
        return params.get(param);
    }

    public TopicNames topics() {
        return topics;
    }

    public FoldSettings foldSettings() {
        return foldSettings;
    }

    public AlertRules rules() {
        return rules;
    }

    /** Whether the option was given rather than left to its default. */
    public boolean isSet(ConfigOption<?> param) {
        return params.isSet(param);
    }

    /** The options that decide the outputs, with their effective values. */
    public SemanticOptions semantics() {
        return SemanticOptions.of(asText(), rules);
    }

    /**
     * Every option with its effective value, as text: the job's parameters in the Flink web UI and
     * REST API.
     */
    public Map<String, String> asText() {
        Map<String, String> text = params.asText(ALL);
        text.put(LimitsOptions.MAX_FUTURE_SKEW.key(), Durations.format(maxFutureSkew));
        text.put(FoldOptions.RULES_REFUSED_MARKERS.key(), refusedMarkers.toString());
        Secrets.shown(params.passThrough())
                .forEach((name, value) -> text.put(KAFKA_PROPERTIES_PREFIX + name, value));
        return text;
    }

    public boolean exactlyOnce() {
        return get(SinkOptions.DELIVERY_GUARANTEE).equals("exactly-once");
    }

    public EventLimits limits() {
        return limits;
    }

    public EventContract contract() {
        return new EventContract(maxFutureSkew, limits, refusedMarkers);
    }

    @Override
    public String toString() {
        StringBuilder text = new StringBuilder(params.describe(ALL));
        Secrets.shown(params.passThrough())
                .forEach(
                        (name, value) ->
                                text.append(' ')
                                        .append(KAFKA_PROPERTIES_PREFIX)
                                        .append(name)
                                        .append('=')
                                        .append(value));
        return text.toString();
    }
}
