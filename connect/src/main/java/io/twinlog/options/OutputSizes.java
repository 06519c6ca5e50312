package io.twinlog.options;

import io.twinlog.alerts.AlertRules;
import io.twinlog.alerts.ThresholdRule;
import io.twinlog.ingest.EventLimits;
import io.twinlog.schema.TopicNames;
import io.twinlog.twin.FoldSettings;

/**
 * Upper bounds of the size of every record the fold writes (twins, derived events, alerts, silence
 * observations), as Kafka's producer counts it, computed from the limits on what devices may send.
 * The job refuses to start when the largest could exceed the producers' {@code max.request.size}:
 * otherwise one device could make a record the sink cannot write and put the job into a restart
 * loop. Late events and dead letters forward records of any size; {@code ForwardedRecords} makes
 * them fit.
 */
public final class OutputSizes {

    /**
     * Kafka's own default for the producer's max.request.size and, roughly, the topics'
     * max.message.bytes.
     */
    public static final int DEFAULT_MAX_RECORD_BYTES = 1_048_576;

    /**
     * Below this the bounds leave no room for the limits' defaults; above it, records of any size
     * can be made to fit.
     */
    public static final int MIN_MAX_RECORD_BYTES = 65_536;

    /** A batch of one record: batch header (61 bytes) and the record's own framing, generously. */
    static final int RECORD_OVERHEAD = 128;

    private static final int WIRE_HEADER = 5;
    private static final int VARLONG = 10;
    private static final int UNION_INDEX = 1;
    private static final int COLLECTION = 2 * VARLONG;
    private static final int UUID = 36;

    /**
     * Fixed texts the fold writes itself: rejection details, alert messages without their names.
     */
    private static final int FIXED_TEXT = 256;

    private OutputSizes() {}

    /**
     * @throws IllegalArgumentException naming the options when the largest record could exceed
     *     {@code maxRecordBytes}
     */
    public static void check(
            EventLimits limits,
            FoldSettings fold,
            AlertRules rules,
            TopicNames topics,
            int maxRecordBytes) {
        if (maxRecordBytes < MIN_MAX_RECORD_BYTES) {
            throw new IllegalArgumentException(
                    "--sink.max-record-bytes must be at least " + MIN_MAX_RECORD_BYTES);
        }
        long largest = largestRecord(limits, fold, rules, topics);
        if (largest > maxRecordBytes) {
            throw new IllegalArgumentException(
                    "with these limits a twin could take "
                            + largest
                            + " bytes, more than"
                            + " --sink.max-record-bytes ("
                            + maxRecordBytes
                            + "): lower --limits.max-metrics-per-device,"
                            + " --limits.max-tags or the length limits, or raise --sink.max-record-bytes together with the"
                            + " topics' max.message.bytes (docs/LIMITS.md)");
        }
    }

    /** The largest key plus value plus framing that the fold can write with these limits. */
    public static long largestRecord(
            EventLimits limits, FoldSettings fold, AlertRules rules, TopicNames topics) {
        long value =
                Math.max(
                        Math.max(twin(limits, fold, rules, topics), derivedEvent(limits, topics)),
                        Math.max(alert(limits, rules, topics), silenceObservation(limits)));
        return 3L * limits.maxIdLength() + WIRE_HEADER + value + RECORD_OVERHEAD;
    }

    static long twin(EventLimits limits, FoldSettings fold, AlertRules rules, TopicNames topics) {
        long id = string(limits.maxIdLength());
        long name = string(limits.maxNameLength());
        long text = string(limits.maxTextLength());
        long optionalTime = UNION_INDEX + VARLONG;
        return id // deviceId
                + 2 // status, online
                + 3 * (UNION_INDEX + text) // model, firmware version, decommission reason
                + 3 * optionalTime // firmwareUpdatedAt, registeredAt, decommissionedAt
                + COLLECTION
                + (long) limits.maxTags() * (name + text)
                + COLLECTION
                + (long) fold.maxMetricsPerDevice() * (name + 8 + VARLONG + id)
                + 2 * VARLONG // firstSeen, lastSeen
                + 4 * VARLONG // counters
                + eventRef(limits, topics)
                + COLLECTION
                + (rules.all().size() + 1L) * string(longestRuleId(rules));
    }

    static long derivedEvent(EventLimits limits, TopicNames topics) {
        long payload =
                UNION_INDEX
                        + Math.max(
                                4 * (UNION_INDEX + string(limits.maxTextLength())),
                                VARLONG + string(FIXED_TEXT));
        return string(UUID)
                + string(limits.maxIdLength())
                + VARLONG
                + eventRef(limits, topics)
                + payload;
    }

    static long alert(EventLimits limits, AlertRules rules, TopicNames topics) {
        long metric = string(longestMetric(rules));
        return string(UUID)
                + string(limits.maxIdLength())
                + string(longestRuleId(rules))
                + 2
                + UNION_INDEX
                + metric
                + 2 * (UNION_INDEX + 8)
                + 2 * VARLONG
                + eventRef(limits, topics)
                + metric
                + string(FIXED_TEXT);
    }

    static long silenceObservation(EventLimits limits) {
        return string(UUID)
                + string(limits.maxIdLength())
                + VARLONG
                + UNION_INDEX
                + string(limits.maxIdLength());
    }

    private static long eventRef(EventLimits limits, TopicNames topics) {
        int topic = topics.all().stream().mapToInt(String::length).max().orElse(0);
        return string(limits.maxIdLength()) + string(topic) + VARLONG + VARLONG;
    }

    /**
     * An Avro string of this many UTF-16 characters: a length and at most three UTF-8 bytes each.
     */
    private static long string(int characters) {
        return VARLONG + 3L * characters;
    }

    private static int longestRuleId(AlertRules rules) {
        int longest = AlertRules.SILENCE_RULE_ID.length();
        for (ThresholdRule rule : rules.all()) {
            longest = Math.max(longest, rule.id().length());
        }
        return longest;
    }

    private static int longestMetric(AlertRules rules) {
        int longest = 0;
        for (ThresholdRule rule : rules.all()) {
            longest = Math.max(longest, rule.metric().length());
        }
        return longest;
    }
}
