package io.twinlog.schema;

import java.io.Serializable;
import java.util.List;
import java.util.Objects;

/**
 * The topics of twinlog (README, "Topics"). Names are configurable; the defaults and the subject
 * naming (TopicNameStrategy, {@code <topic>-value}) are defined here and nowhere else.
 */
public final class TopicNames implements Serializable {

    private static final long serialVersionUID = 1L;

    public static final String DEVICE_EVENTS = "device-events";
    public static final String DEVICE_TWINS = "device-twins";
    public static final String DEVICE_TWIN_EVENTS = "device-twin-events";
    public static final String DEVICE_ALERTS = "device-alerts";
    public static final String DEVICE_EVENTS_LATE = "device-events-late";
    public static final String DEVICE_EVENTS_DLQ = "device-events-dlq";

    private final String events;
    private final String twins;
    private final String twinEvents;
    private final String alerts;
    private final String late;
    private final String deadLetters;

    public TopicNames(
            String events,
            String twins,
            String twinEvents,
            String alerts,
            String late,
            String deadLetters) {
        this.events = requireName(events);
        this.twins = requireName(twins);
        this.twinEvents = requireName(twinEvents);
        this.alerts = requireName(alerts);
        this.late = requireName(late);
        this.deadLetters = requireName(deadLetters);
        if (all().stream().distinct().count() != 6) {
            throw new IllegalArgumentException("topic names must be distinct: " + all());
        }
    }

    public static TopicNames defaults() {
        return new TopicNames(
                DEVICE_EVENTS,
                DEVICE_TWINS,
                DEVICE_TWIN_EVENTS,
                DEVICE_ALERTS,
                DEVICE_EVENTS_LATE,
                DEVICE_EVENTS_DLQ);
    }

    /** The Confluent subject of a topic's values under TopicNameStrategy. */
    public static String valueSubject(String topic) {
        return topic + "-value";
    }

    public String events() {
        return events;
    }

    public String twins() {
        return twins;
    }

    public String twinEvents() {
        return twinEvents;
    }

    public String alerts() {
        return alerts;
    }

    public String late() {
        return late;
    }

    public String deadLetters() {
        return deadLetters;
    }

    public List<String> all() {
        return List.of(events, twins, twinEvents, alerts, late, deadLetters);
    }

    private static String requireName(String name) {
        if (name == null || name.isBlank() || !name.matches("[a-zA-Z0-9._-]{1,249}")) {
            throw new IllegalArgumentException("not a valid Kafka topic name: '" + name + "'");
        }
        return name;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TopicNames other && all().equals(other.all());
    }

    @Override
    public int hashCode() {
        return Objects.hash(all());
    }

    @Override
    public String toString() {
        return "TopicNames" + all();
    }
}
