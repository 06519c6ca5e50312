package io.twinlog.config;

import java.io.Serializable;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;

/** A typed configuration parameter: its key, default, parser and one line of help. */
public final class Param<T> implements Serializable {

    private static final long serialVersionUID = 1L;

    private final String key;
    private final T defaultValue;
    private final transient Function<String, T> parser;
    private final String description;

    private Param(String key, T defaultValue, Function<String, T> parser, String description) {
        this.key = key;
        this.defaultValue = defaultValue;
        this.parser = parser;
        this.description = description;
    }

    public static Param<String> string(String key, String defaultValue, String description) {
        return new Param<>(
                key,
                defaultValue,
                value -> {
                    if (value.isBlank()) {
                        throw new IllegalArgumentException("must not be empty");
                    }
                    return value.trim();
                },
                description);
    }

    public static Param<Duration> duration(String key, Duration defaultValue, String description) {
        return new Param<>(key, defaultValue, Durations::parse, description);
    }

    public static Param<Integer> integer(String key, int defaultValue, String description) {
        return new Param<>(
                key,
                defaultValue,
                value -> {
                    try {
                        return Integer.parseInt(value.trim());
                    } catch (NumberFormatException e) {
                        throw new IllegalArgumentException("not an integer: '" + value + "'");
                    }
                },
                description);
    }

    public static Param<Boolean> bool(String key, boolean defaultValue, String description) {
        return new Param<>(
                key,
                defaultValue,
                value ->
                        switch (value.trim().toLowerCase()) {
                            case "true", "yes", "on" -> true;
                            case "false", "no", "off" -> false;
                            default ->
                                    throw new IllegalArgumentException(
                                            "not a boolean: '" + value + "' (true or false)");
                        },
                description);
    }

    /** One of a fixed set of values, compared ignoring case. */
    public static Param<String> choice(
            String key, String defaultValue, List<String> choices, String description) {
        return new Param<>(
                key,
                defaultValue,
                value -> {
                    String chosen = value.trim().toLowerCase(Locale.ROOT);
                    if (!choices.contains(chosen)) {
                        throw new IllegalArgumentException(
                                "'" + value + "' is not one of " + String.join(", ", choices));
                    }
                    return chosen;
                },
                description + " (" + String.join(" | ", choices) + ")");
    }

    /** A parameter without a default: absent means "not set". */
    public static Param<String> optionalString(String key, String description) {
        return new Param<>(key, null, String::trim, description);
    }

    public String key() {
        return key;
    }

    public T defaultValue() {
        return defaultValue;
    }

    public String description() {
        return description;
    }

    /** The default as an option's value is written, or null for none. */
    public String defaultText() {
        return defaultValue == null ? null : format(defaultValue);
    }

    T parse(String text) {
        try {
            return parser.apply(text);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--" + key + ": " + e.getMessage(), e);
        }
    }

    String format(Object value) {
        return value instanceof Duration duration
                ? Durations.format(duration)
                : String.valueOf(value);
    }
}
