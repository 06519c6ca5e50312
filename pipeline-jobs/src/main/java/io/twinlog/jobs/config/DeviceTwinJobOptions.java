package io.twinlog.jobs.config;

import io.twinlog.alerts.AlertRules;
import io.twinlog.alerts.AlertRulesFile;
import io.twinlog.config.Durations;
import io.twinlog.config.Param;
import io.twinlog.config.ParsedParams;
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

/**
 * Every setting of DeviceTwinJob, parsed once at the edge ({@code main}) into typed values with
 * defaults. Command line: {@code --key value}; a properties file: {@code --config file}.
 */
public final class DeviceTwinJobOptions implements Serializable {

    private static final long serialVersionUID = 1L;

    public static final Param<String> BOOTSTRAP_SERVERS =
            Param.string("bootstrap.servers", "localhost:9092", "Kafka bootstrap servers");
    public static final Param<String> REGISTRY_URL =
            Param.string(
                    "schema.registry.url",
                    "http://localhost:8085",
                    "schema registry URL(s), comma-separated");
    public static final Param<Duration> REGISTRY_TIMEOUT =
            Param.duration(
                    "schema.registry.timeout",
                    Duration.ofSeconds(10),
                    "timeout of one registry request");
    public static final Param<String> REGISTRY_USER_INFO =
            Param.optionalString(
                    RegistryAuth.USER_INFO,
                    "user:password for the registry's basic authentication; a secret: give"
                            + " ${env:NAME} or ${file:path:key}");
    public static final Param<String> REGISTRY_TRUSTSTORE =
            Param.optionalString(
                    RegistryAuth.TRUSTSTORE,
                    "PEM file of the certificates to trust for an https registry (none: the JVM's)");

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

    public static final Param<String> TOPIC_EVENTS =
            Param.string("topic.events", TopicNames.DEVICE_EVENTS, "the event log");
    public static final Param<String> TOPIC_TWINS =
            Param.string(
                    "topic.twins", TopicNames.DEVICE_TWINS, "latest twin per device (compacted)");
    public static final Param<String> TOPIC_TWIN_EVENTS =
            Param.string("topic.twin-events", TopicNames.DEVICE_TWIN_EVENTS, "derived events");
    public static final Param<String> TOPIC_ALERTS =
            Param.string("topic.alerts", TopicNames.DEVICE_ALERTS, "alerts");
    public static final Param<String> TOPIC_LATE =
            Param.string("topic.late", TopicNames.DEVICE_EVENTS_LATE, "late events, unchanged");
    public static final Param<String> TOPIC_DLQ =
            Param.string(
                    "topic.dlq",
                    TopicNames.DEVICE_EVENTS_DLQ,
                    "dead letters, unchanged, with error headers");
    public static final Param<String> GROUP_ID =
            Param.string(
                    "group.id",
                    "twinlog-device-twin",
                    "consumer group (offsets are committed for monitoring only)");
    public static final Param<Duration> ALLOWED_LATENESS =
            Param.duration(
                    "allowed.lateness",
                    FoldSettings.DEFAULT_ALLOWED_LATENESS,
                    "events older than the device's last seen time minus this are late");
    public static final Param<Duration> DEDUP_WINDOW =
            Param.duration(
                    "dedup.window",
                    FoldSettings.DEFAULT_DEDUP_WINDOW,
                    "how long applied event ids are remembered (>= allowed.lateness)");
    public static final Param<Integer> DEDUP_MAX_IDS =
            Param.integer(
                    "dedup.max-ids-per-device",
                    FoldSettings.DEFAULT_MAX_SEEN_IDS_PER_DEVICE,
                    "bound on remembered event ids per device");
    public static final Param<Duration> SILENCE_TIMEOUT =
            Param.duration(
                    "silence.timeout",
                    FoldSettings.DEFAULT_SILENCE_TIMEOUT,
                    "a device silent this long goes offline; 0 disables");
    public static final Param<Boolean> SILENCE_OBSERVATIONS =
            Param.bool(
                    "silence.write-observations",
                    true,
                    "append silence observations to the event log (off only for replays)");
    public static final Param<String> RULES_FILE =
            Param.optionalString(
                    "rules.file", "JSON file of alert rules (none: only silence alerts)");
    public static final Param<String> RULES_JSON =
            Param.optionalString(
                    "rules.json", "the alert rules as JSON text, instead of rules.file");
    public static final Param<String> RULES_REFUSED_MARKERS =
            Param.string(
                    "rules.refused-markers",
                    RefusedMarkers.NONE_TEXT,
                    "rules markers to refuse, as partition:offset,...: the way out of a version"
                            + " nobody meant to publish (docs/RULES.md); change it only with a"
                            + " rebuild");
    public static final Param<Boolean> ACCEPT_OPTION_CHANGE =
            Param.bool(
                    "semantics.accept-change",
                    false,
                    "restore state recorded with other semantic options (lateness, dedup, silence, skew, limits, rules);"
                            + " the change is logged and recorded");
    public static final Param<Duration> MAX_FUTURE_SKEW =
            Param.duration(
                    "max.future.skew",
                    EventContract.DEFAULT_MAX_FUTURE_SKEW,
                    "events further ahead of their record's timestamp are dead letters (<= allowed.lateness)");
    public static final Param<Integer> MAX_ID_LENGTH =
            Param.integer(
                    "limits.max-id-length",
                    EventLimits.DEFAULT_MAX_ID_LENGTH,
                    "longest eventId or deviceId, in characters");
    public static final Param<Integer> MAX_NAME_LENGTH =
            Param.integer(
                    "limits.max-name-length",
                    EventLimits.DEFAULT_MAX_NAME_LENGTH,
                    "longest metric name or tag name");
    public static final Param<Integer> MAX_TEXT_LENGTH =
            Param.integer(
                    "limits.max-text-length",
                    EventLimits.DEFAULT_MAX_TEXT_LENGTH,
                    "longest model, firmware version, tag value or decommission reason");
    public static final Param<Integer> MAX_METRICS_PER_EVENT =
            Param.integer(
                    "limits.max-metrics-per-event",
                    EventLimits.DEFAULT_MAX_METRICS_PER_EVENT,
                    "readings in one telemetry event");
    public static final Param<Integer> MAX_TAGS =
            Param.integer(
                    "limits.max-tags", EventLimits.DEFAULT_MAX_TAGS, "tags of one registration");
    public static final Param<Integer> MAX_METRICS_PER_DEVICE =
            Param.integer(
                    "limits.max-metrics-per-device",
                    FoldSettings.DEFAULT_MAX_METRICS_PER_DEVICE,
                    "distinct metrics a twin keeps; telemetry adding more is rejected");
    public static final Param<Integer> SINK_MAX_RECORD_BYTES =
            Param.integer(
                    "sink.max-record-bytes",
                    OutputSizes.DEFAULT_MAX_RECORD_BYTES,
                    "the producers' max.request.size; every output topic must accept"
                            + " records this large (max.message.bytes)");
    public static final Param<Integer> SINK_BATCH_BYTES =
            Param.integer(
                    "sink.batch-bytes",
                    256 * 1024,
                    "the producers' batch.size (Kafka's default: 16384); larger batches cost the"
                            + " broker less CPU per record");
    public static final Param<Duration> SINK_LINGER =
            Param.duration(
                    "sink.linger",
                    Duration.ofMillis(100),
                    "the producers' linger.ms under exactly-once, where outputs wait for the"
                            + " checkpoint anyway (at-least-once: Kafka's default, 5 ms)");
    public static final Param<Duration> OUT_OF_ORDERNESS =
            Param.duration(
                    "watermark.out-of-orderness",
                    Duration.ofSeconds(5),
                    "watermark delay per partition (drives silence timers only)");
    public static final Param<Duration> IDLE_TIMEOUT =
            Param.duration(
                    "source.idle-timeout",
                    Duration.ofSeconds(30),
                    "a partition without records this long does not hold back watermarks");
    public static final Param<Duration> CHECKPOINT_INTERVAL =
            Param.duration(
                    "checkpoint.interval",
                    Duration.ofSeconds(10),
                    "outputs become visible to read_committed consumers at each checkpoint");
    public static final Param<String> TRANSACTIONAL_ID_PREFIX =
            Param.string(
                    "transactional.id.prefix",
                    "twinlog-device-twin",
                    "unique per job on the Kafka cluster");
    public static final Param<Duration> TRANSACTION_TIMEOUT =
            Param.duration(
                    "transaction.timeout",
                    Duration.ofMinutes(10),
                    "must not exceed the brokers' transaction.max.timeout.ms");
    public static final Param<String> DELIVERY_GUARANTEE =
            Param.choice(
                    "delivery.guarantee",
                    "exactly-once",
                    List.of("exactly-once", "at-least-once"),
                    "outputs and checkpoints; at-least-once may repeat outputs"
                            + " after a failure and is there for comparison");
    public static final Param<String> STATE_BACKEND =
            Param.choice(
                    "state.backend",
                    "cluster",
                    List.of("cluster", "rocksdb", "hashmap"),
                    "keyed state backend; cluster keeps the cluster's setting");
    public static final Param<Integer> PARALLELISM =
            Param.integer("parallelism", 0, "job parallelism; 0 takes the cluster's default");

    public static final List<Param<?>> ALL =
            List.of(
                    BOOTSTRAP_SERVERS,
                    REGISTRY_URL,
                    REGISTRY_TIMEOUT,
                    REGISTRY_USER_INFO,
                    REGISTRY_TRUSTSTORE,
                    TOPIC_EVENTS,
                    TOPIC_TWINS,
                    TOPIC_TWIN_EVENTS,
                    TOPIC_ALERTS,
                    TOPIC_LATE,
                    TOPIC_DLQ,
                    GROUP_ID,
                    ALLOWED_LATENESS,
                    DEDUP_WINDOW,
                    DEDUP_MAX_IDS,
                    SILENCE_TIMEOUT,
                    SILENCE_OBSERVATIONS,
                    RULES_FILE,
                    RULES_JSON,
                    RULES_REFUSED_MARKERS,
                    ACCEPT_OPTION_CHANGE,
                    MAX_FUTURE_SKEW,
                    MAX_ID_LENGTH,
                    MAX_NAME_LENGTH,
                    MAX_TEXT_LENGTH,
                    MAX_METRICS_PER_EVENT,
                    MAX_TAGS,
                    MAX_METRICS_PER_DEVICE,
                    SINK_MAX_RECORD_BYTES,
                    SINK_BATCH_BYTES,
                    SINK_LINGER,
                    OUT_OF_ORDERNESS,
                    IDLE_TIMEOUT,
                    CHECKPOINT_INTERVAL,
                    TRANSACTIONAL_ID_PREFIX,
                    TRANSACTION_TIMEOUT,
                    DELIVERY_GUARANTEE,
                    STATE_BACKEND,
                    PARALLELISM);

    private final ParsedParams params;
    private final TopicNames topics;
    private final FoldSettings foldSettings;
    private final EventLimits limits;
    private final AlertRules rules;
    private final Duration maxFutureSkew;
    private final RefusedMarkers refusedMarkers;

    private DeviceTwinJobOptions(ParsedParams params) throws IOException {
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
                        get(TOPIC_EVENTS),
                        get(TOPIC_TWINS),
                        get(TOPIC_TWIN_EVENTS),
                        get(TOPIC_ALERTS),
                        get(TOPIC_LATE),
                        get(TOPIC_DLQ));
        this.foldSettings =
                new FoldSettings(
                        get(ALLOWED_LATENESS),
                        get(DEDUP_WINDOW),
                        get(DEDUP_MAX_IDS),
                        get(SILENCE_TIMEOUT),
                        get(MAX_METRICS_PER_DEVICE));
        this.limits =
                new EventLimits(
                        get(MAX_ID_LENGTH),
                        get(MAX_NAME_LENGTH),
                        get(MAX_TEXT_LENGTH),
                        get(MAX_METRICS_PER_EVENT),
                        get(MAX_TAGS));
        this.rules = rules(params);
        this.maxFutureSkew = maxFutureSkew(params);
        this.refusedMarkers = RefusedMarkers.parse(get(RULES_REFUSED_MARKERS));
        OutputSizes.check(limits, foldSettings, rules, topics, get(SINK_MAX_RECORD_BYTES));
        if (get(CHECKPOINT_INTERVAL).compareTo(get(TRANSACTION_TIMEOUT)) >= 0) {
            throw new IllegalArgumentException(
                    "--"
                            + TRANSACTION_TIMEOUT.key()
                            + " ("
                            + Durations.format(get(TRANSACTION_TIMEOUT))
                            + ") must be well above --"
                            + CHECKPOINT_INTERVAL.key()
                            + " ("
                            + Durations.format(get(CHECKPOINT_INTERVAL))
                            + "): a transaction stays open from one checkpoint to the next");
        }
    }

    private static AlertRules rules(ParsedParams params) throws IOException {
        String file = params.get(RULES_FILE);
        String json = params.get(RULES_JSON);
        if (file != null && json != null) {
            throw new IllegalArgumentException(
                    "give --" + RULES_FILE.key() + " or --" + RULES_JSON.key() + ", not both");
        }
        if (json != null) {
            try {
                return AlertRulesFile.parse(json);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(
                        "--" + RULES_JSON.key() + ": " + e.getMessage(), e);
            }
        }
        return file == null ? AlertRules.none() : AlertRulesFile.read(Path.of(file));
    }

    /**
     * The skew as given, or its default capped at the allowed lateness: a skew beyond the lateness
     * would let an event from a clock running ahead make the device's next honest events late.
     */
    private static Duration maxFutureSkew(ParsedParams params) {
        Duration skew = params.get(MAX_FUTURE_SKEW);
        Duration lateness = params.get(ALLOWED_LATENESS);
        if (!params.isSet(MAX_FUTURE_SKEW)) {
            return skew.compareTo(lateness) > 0 ? lateness : skew;
        }
        if (skew.compareTo(lateness) > 0) {
            throw new IllegalArgumentException(
                    "--"
                            + MAX_FUTURE_SKEW.key()
                            + " ("
                            + Durations.format(skew)
                            + ") must not exceed --"
                            + ALLOWED_LATENESS.key()
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
                ParsedParams.parseWithPassThrough(ALL, KAFKA_PROPERTIES_PREFIX, args));
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
                + ParsedParams.usage(ALL)
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
        return new RegistryAuth(get(REGISTRY_USER_INFO), get(REGISTRY_TRUSTSTORE));
    }

    public <T> T get(Param<T> param) {
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
    public boolean isSet(Param<?> param) {
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
        text.put(MAX_FUTURE_SKEW.key(), Durations.format(maxFutureSkew));
        text.put(RULES_REFUSED_MARKERS.key(), refusedMarkers.toString());
        Secrets.shown(params.passThrough())
                .forEach((name, value) -> text.put(KAFKA_PROPERTIES_PREFIX + name, value));
        return text;
    }

    public boolean exactlyOnce() {
        return get(DELIVERY_GUARANTEE).equals("exactly-once");
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
