package io.twinlog.jobs;

import io.twinlog.registry.SchemaRegistry;
import io.twinlog.schema.TopicNames;
import io.twinlog.schema.Topics;
import io.twinlog.schema.alert.Alert;
import io.twinlog.schema.common.EventRef;
import io.twinlog.schema.common.LogPosition;
import io.twinlog.schema.derived.TwinEvent;
import io.twinlog.schema.twin.DeviceTwin;
import io.twinlog.serde.ConfluentAvroDeserializer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.UnaryOperator;
import org.apache.kafka.common.header.Header;

/**
 * The job's outputs in a form that compares exactly: per device, the decoded records of the twin,
 * derived-event and alert topics in topic order (one device always maps to one partition, so its
 * order is defined); late events and dead letters as sorted lists of raw key, value and headers.
 */
public final class OutputRecords {

    /** A record forwarded unchanged, with its headers. */
    public record Forwarded(String key, String value, Map<String, String> headers) {}

    private final TopicNames topics;
    private final Map<Topics.Topic<?>, ConfluentAvroDeserializer<?>> readers = new HashMap<>();

    final Map<String, List<DeviceTwin>> twins = new TreeMap<>();
    final Map<String, List<TwinEvent>> twinEvents = new TreeMap<>();
    final Map<String, List<Alert>> alerts = new TreeMap<>();
    final List<Forwarded> late = new ArrayList<>();
    final List<Forwarded> deadLetters = new ArrayList<>();

    public OutputRecords(TopicNames topics, SchemaRegistry registry) {
        this.topics = topics;
        for (Topics.Topic<?> topic : List.of(Topics.TWINS, Topics.TWIN_EVENTS, Topics.ALERTS)) {
            readers.put(topic, new ConfluentAvroDeserializer<>(registry, topic.valueType()));
        }
    }

    /** A record of one of the output topics, decoded by the type {@link Topics} declares for it. */
    @SuppressWarnings({"unchecked", "rawtypes"})
    public void add(String topic, byte[] key, byte[] value, Iterable<Header> headers)
            throws IOException {
        Topics.Topic<?> output = Topics.named(topics, topic);
        if (output.forwarded()) {
            (output == Topics.LATE ? late : deadLetters).add(forwarded(key, value, headers));
            return;
        }
        Map byDevice =
                Map.of(Topics.TWINS, twins, Topics.TWIN_EVENTS, twinEvents, Topics.ALERTS, alerts)
                        .get(output);
        if (byDevice == null) {
            throw new IllegalArgumentException("not an output topic: " + topic);
        }
        Object decoded = readers.get(output).deserialize(value);
        ((List<Object>) byDevice.computeIfAbsent(output.keyOf(decoded), d -> new ArrayList<>()))
                .add(decoded);
    }

    public int size() {
        return twins.values().stream().mapToInt(List::size).sum()
                + twinEvents.values().stream().mapToInt(List::size).sum()
                + alerts.values().stream().mapToInt(List::size).sum()
                + late.size()
                + deadLetters.size();
    }

    /**
     * A copy without log positions (offsets and partitions): for logs holding the same per-device
     * sequences in another interleaving, where events stand elsewhere but keep their ids.
     */
    public OutputRecords withoutPositions() {
        return mapped(OutputRecords::erase, OutputRecords::erase);
    }

    /**
     * A copy in which the event log is called {@code name}: to compare runs that used different
     * topics.
     */
    public OutputRecords withEventTopic(String name) {
        return mapped(ref -> rename(ref, name), forwarded -> rename(forwarded, name));
    }

    /** A copy with every reference to the log, and every forwarded record, mapped. */
    private OutputRecords mapped(UnaryOperator<EventRef> refs, UnaryOperator<Forwarded> records) {
        OutputRecords copy = new OutputRecords(topics, null);
        twins.forEach(
                (k, v) ->
                        copy.twins.put(
                                k,
                                v.stream()
                                        .map(
                                                t ->
                                                        DeviceTwin.newBuilder(t)
                                                                .setLastEvent(
                                                                        refs.apply(
                                                                                t.getLastEvent()))
                                                                .build())
                                        .toList()));
        twinEvents.forEach(
                (k, v) ->
                        copy.twinEvents.put(
                                k,
                                v.stream()
                                        .map(
                                                e ->
                                                        TwinEvent.newBuilder(e)
                                                                .setCause(refs.apply(e.getCause()))
                                                                .build())
                                        .toList()));
        alerts.forEach(
                (k, v) ->
                        copy.alerts.put(
                                k,
                                v.stream()
                                        .map(
                                                a ->
                                                        Alert.newBuilder(a)
                                                                .setCause(refs.apply(a.getCause()))
                                                                .build())
                                        .toList()));
        late.forEach(f -> copy.late.add(records.apply(f)));
        deadLetters.forEach(f -> copy.deadLetters.add(records.apply(f)));
        return copy;
    }

    private static EventRef rename(EventRef ref, String topic) {
        LogPosition position = ref.getPosition();
        return new EventRef(
                ref.getEventId(),
                new LogPosition(topic, position.getPartition(), position.getOffset()));
    }

    private static Forwarded rename(Forwarded forwarded, String topic) {
        Map<String, String> headers = new TreeMap<>(forwarded.headers());
        headers.replaceAll((key, value) -> key.endsWith(".topic") ? topic : value);
        return new Forwarded(forwarded.key(), forwarded.value(), headers);
    }

    private static EventRef erase(EventRef ref) {
        return new EventRef(
                ref.getEventId(), new LogPosition(ref.getPosition().getTopic(), -1, -1L));
    }

    private static Forwarded erase(Forwarded forwarded) {
        Map<String, String> headers = new TreeMap<>(forwarded.headers());
        headers.keySet().removeIf(key -> key.endsWith(".partition") || key.endsWith(".offset"));
        return new Forwarded(forwarded.key(), forwarded.value(), headers);
    }

    private static Forwarded forwarded(byte[] key, byte[] value, Iterable<Header> headers) {
        Map<String, String> map = new TreeMap<>();
        for (Header header : headers) {
            map.put(header.key(), new String(header.value(), StandardCharsets.UTF_8));
        }
        return new Forwarded(
                key == null ? null : HexFormat.of().formatHex(key),
                value == null ? null : HexFormat.of().formatHex(value),
                map);
    }

    private static List<Forwarded> sorted(List<Forwarded> records) {
        List<Forwarded> sorted = new ArrayList<>(records);
        sorted.sort(java.util.Comparator.comparing(Forwarded::toString));
        return sorted;
    }

    /**
     * The records that follow {@code before}: what a job resumed after {@code before} was written
     * must write. Per device, {@code before} must be a prefix of these records.
     */
    public OutputRecords after(OutputRecords before) {
        OutputRecords rest = new OutputRecords(topics, null);
        suffix(twins, before.twins, rest.twins);
        suffix(twinEvents, before.twinEvents, rest.twinEvents);
        suffix(alerts, before.alerts, rest.alerts);
        List<Forwarded> late = new ArrayList<>(this.late);
        before.late.forEach(late::remove);
        rest.late.addAll(late);
        List<Forwarded> deadLetters = new ArrayList<>(this.deadLetters);
        before.deadLetters.forEach(deadLetters::remove);
        rest.deadLetters.addAll(deadLetters);
        return rest;
    }

    private static <T> void suffix(
            Map<String, List<T>> all, Map<String, List<T>> prefix, Map<String, List<T>> into) {
        all.forEach(
                (key, records) -> {
                    List<T> head = prefix.getOrDefault(key, List.of());
                    if (!records.subList(0, Math.min(head.size(), records.size())).equals(head)) {
                        throw new IllegalArgumentException(
                                "the records of " + key + " do not start with the earlier ones");
                    }
                    if (records.size() > head.size()) {
                        into.put(
                                key, new ArrayList<>(records.subList(head.size(), records.size())));
                    }
                });
    }

    /**
     * Where the two differ, one line per topic and device, naming the first differing record; empty
     * if equal.
     */
    public List<String> differencesFrom(OutputRecords expected) {
        List<String> differences = new ArrayList<>();
        compare("twins", twins, expected.twins, differences);
        compare("twin-events", twinEvents, expected.twinEvents, differences);
        compare("alerts", alerts, expected.alerts, differences);
        compare("late", Map.of("*", sorted(late)), Map.of("*", sorted(expected.late)), differences);
        compare(
                "dead-letters",
                Map.of("*", sorted(deadLetters)),
                Map.of("*", sorted(expected.deadLetters)),
                differences);
        return differences;
    }

    private static <T> void compare(
            String topic,
            Map<String, List<T>> actual,
            Map<String, List<T>> expected,
            List<String> differences) {
        java.util.Set<String> keys =
                new java.util.TreeSet<>(
                        java.util.Comparator.nullsFirst(java.util.Comparator.naturalOrder()));
        keys.addAll(actual.keySet());
        keys.addAll(expected.keySet());
        for (String key : keys) {
            List<T> a = actual.getOrDefault(key, List.of());
            List<T> e = expected.getOrDefault(key, List.of());
            if (a.equals(e)) {
                continue;
            }
            int i = 0;
            while (i < a.size() && i < e.size() && a.get(i).equals(e.get(i))) {
                i++;
            }
            differences.add(
                    topic
                            + " of "
                            + key
                            + ": "
                            + a.size()
                            + " records, expected "
                            + e.size()
                            + "; first difference at #"
                            + i
                            + ":\n    actual   "
                            + (i < a.size() ? a.get(i) : "(none)")
                            + "\n    expected "
                            + (i < e.size() ? e.get(i) : "(none)"));
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof OutputRecords other
                && twins.equals(other.twins)
                && twinEvents.equals(other.twinEvents)
                && alerts.equals(other.alerts)
                && sorted(late).equals(sorted(other.late))
                && sorted(deadLetters).equals(sorted(other.deadLetters));
    }

    @Override
    public int hashCode() {
        return twins.hashCode();
    }

    @Override
    public String toString() {
        return "twins="
                + twins
                + "\ntwinEvents="
                + twinEvents
                + "\nalerts="
                + alerts
                + "\nlate="
                + sorted(late)
                + "\ndeadLetters="
                + sorted(deadLetters);
    }
}
