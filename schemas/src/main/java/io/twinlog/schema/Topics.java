package io.twinlog.schema;

import io.twinlog.schema.alert.Alert;
import io.twinlog.schema.derived.TwinEvent;
import io.twinlog.schema.event.DeviceEvent;
import io.twinlog.schema.twin.DeviceTwin;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Every topic of twinlog, declared once: where its name comes from, what its values are, how its
 * key is made, which compatibility its subject keeps, and how it is created. Serializers, readers,
 * the preflight check and {@code topics create} all work from this list instead of knowing the
 * topics each on their own (in the spirit of kafka-streams-examples' {@code Schemas.Topic}).
 */
public final class Topics {

    /**
     * One topic.
     *
     * @param valueType the Avro record its values hold, or null for topics that forward records
     *     unchanged
     * @param key the record key of a value: the device id
     * @param compatibility of its value subject; null for forwarded topics, which have no schema of
     *     their own
     * @param configs topic configs beyond the broker's defaults
     */
    public record Topic<V>(
            String role,
            Function<TopicNames, String> name,
            Class<V> valueType,
            Function<V, String> key,
            CompatibilityLevel compatibility,
            Map<String, String> configs,
            String purpose) {

        public String nameIn(TopicNames names) {
            return name.apply(names);
        }

        public boolean forwarded() {
            return valueType == null;
        }

        /**
         * The key of a value of this topic (values of other types are refused with a
         * ClassCastException).
         */
        public String keyOf(Object value) {
            return key.apply(valueType.cast(value));
        }
    }

    public static final Topic<DeviceEvent> EVENTS =
            new Topic<>(
                    "events",
                    TopicNames::events,
                    DeviceEvent.class,
                    DeviceEvent::getDeviceId,
                    CompatibilityLevel.BACKWARD_TRANSITIVE,
                    Map.of("retention.ms", "-1", "retention.bytes", "-1"),
                    "the event log: source of truth, kept forever");
    public static final Topic<DeviceTwin> TWINS =
            new Topic<>(
                    "twins",
                    TopicNames::twins,
                    DeviceTwin.class,
                    DeviceTwin::getDeviceId,
                    CompatibilityLevel.FULL_TRANSITIVE,
                    Map.of(
                            "cleanup.policy",
                            "compact",
                            "min.cleanable.dirty.ratio",
                            "0.1",
                            "segment.ms",
                            "3600000"),
                    "latest twin per device (compacted)");
    public static final Topic<TwinEvent> TWIN_EVENTS =
            new Topic<>(
                    "twin-events",
                    TopicNames::twinEvents,
                    TwinEvent.class,
                    TwinEvent::getDeviceId,
                    CompatibilityLevel.FULL_TRANSITIVE,
                    Map.of(),
                    "derived events with provenance");
    public static final Topic<Alert> ALERTS =
            new Topic<>(
                    "alerts",
                    TopicNames::alerts,
                    Alert.class,
                    Alert::getDeviceId,
                    CompatibilityLevel.FULL_TRANSITIVE,
                    Map.of(),
                    "alerts: RAISED / CLEARED");
    public static final Topic<Void> LATE =
            new Topic<>(
                    "late", TopicNames::late, null, null, null, Map.of(), "late events, unchanged");
    public static final Topic<Void> DEAD_LETTERS =
            new Topic<>(
                    "dlq",
                    TopicNames::deadLetters,
                    null,
                    null,
                    null,
                    Map.of(),
                    "dead letters with error headers");

    /** In the order {@code topics create} lists them. */
    public static final List<Topic<?>> ALL =
            List.of(EVENTS, TWINS, TWIN_EVENTS, ALERTS, LATE, DEAD_LETTERS);

    /** The topics whose values are Avro records under a subject of their own. */
    public static final List<Topic<?>> AVRO = ALL.stream().filter(t -> !t.forwarded()).toList();

    private Topics() {}

    /** The topic of this name among the given names. */
    public static Topic<?> named(TopicNames names, String name) {
        for (Topic<?> topic : ALL) {
            if (topic.nameIn(names).equals(name)) {
                return topic;
            }
        }
        throw new IllegalArgumentException(
                "not one of twinlog's topics " + names.all() + ": " + name);
    }

    /** The Avro topic whose values have this type. */
    public static Topic<?> forValue(Class<?> type) {
        for (Topic<?> topic : AVRO) {
            if (topic.valueType().equals(type)) {
                return topic;
            }
        }
        throw new IllegalArgumentException("no topic holds values of " + type);
    }
}
