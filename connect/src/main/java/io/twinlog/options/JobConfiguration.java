package io.twinlog.options;

import io.twinlog.config.Durations;
import io.twinlog.config.Secrets;
import java.io.IOException;
import java.io.Reader;
import java.io.Serializable;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.description.TextElement;

/**
 * The values of a fixed list of Flink {@link ConfigOption}s, from a properties file ({@code
 * --config <file>}) and then command-line arguments ({@code --key value} or {@code --key=value}),
 * which win. Flink's {@link Configuration} converts the text (durations by {@code TimeUtils}:
 * {@code 500ms}, {@code 30s}, {@code 5min}, {@code 1h}, {@code 2d}); what it does not check is
 * checked here: unknown keys are errors that list the known ones, so a typo never falls back to a
 * default silently; a value of a choice must be one of its choices; a secret is never literal on
 * the command line.
 *
 * <p>Keys under a pass-through prefix (like Flink SQL's {@code properties.*}) are kept as they are,
 * for a client library to check. Secrets (see {@link Secrets}) are hidden in every printout, and a
 * literal secret on the command line is refused: program arguments are shown by the Flink web UI
 * and by {@code ps}. Give it by reference ({@code ${env:NAME}}, {@code ${file:path:key}}) or in the
 * config file.
 *
 * <p>Only the parsed values are kept (Flink's options are not serializable; the job's options
 * travel with its operators).
 */
public final class JobConfiguration implements Serializable {

    private static final long serialVersionUID = 1L;
    public static final String CONFIG_FILE = "config";

    private final Map<String, Object> values;
    private final Set<String> given;
    private final Map<String, String> passThrough;

    private JobConfiguration(
            Map<String, Object> values, Set<String> given, Map<String, String> passThrough) {
        this.values = values;
        this.given = given;
        this.passThrough = passThrough;
    }

    /**
     * @param choices the allowed values of options that take one of a few (compared ignoring case,
     *     kept in lower case)
     * @param passThroughPrefix keys starting with it are kept by the rest of their name (see {@link
     *     #passThrough()}); null for none
     */
    public static JobConfiguration parse(
            List<ConfigOption<?>> options,
            Map<ConfigOption<String>, List<String>> choices,
            String passThroughPrefix,
            String... args) {
        Map<String, ConfigOption<?>> known = new LinkedHashMap<>();
        options.forEach(o -> known.put(o.key(), o));
        Map<String, String> raw = new LinkedHashMap<>();
        Map<String, String> fromArgs = arguments(args);
        String file = fromArgs.remove(CONFIG_FILE);
        if (file != null) {
            raw.putAll(propertiesFile(Path.of(file)));
        }
        raw.putAll(fromArgs);
        fromArgs.forEach(JobConfiguration::refuseLiteralSecret);

        Map<String, String> ours = new LinkedHashMap<>();
        Map<String, String> passThrough = new TreeMap<>();
        for (Map.Entry<String, String> entry : raw.entrySet()) {
            String key = entry.getKey();
            if (passThroughPrefix != null
                    && key.startsWith(passThroughPrefix)
                    && key.length() > passThroughPrefix.length()) {
                passThrough.put(key.substring(passThroughPrefix.length()), entry.getValue());
            } else if (known.containsKey(key)) {
                ours.put(key, entry.getValue().trim());
            } else {
                throw new IllegalArgumentException(
                        "unknown option --"
                                + key
                                + " (known: "
                                + new TreeSet<>(known.keySet())
                                + (passThroughPrefix == null
                                        ? ""
                                        : " and " + passThroughPrefix + "<client property>")
                                + ")");
            }
        }
        Configuration configuration = Configuration.fromMap(ours);
        Map<String, Object> values = new LinkedHashMap<>();
        for (ConfigOption<?> option : options) {
            String text = ours.get(option.key());
            if (text != null && text.isEmpty() && option.hasDefaultValue()) {
                throw new IllegalArgumentException("--" + option.key() + ": must not be empty");
            }
            Object value;
            try {
                value = configuration.get(option);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(
                        "--" + option.key() + ": not " + typeName(option) + ": '" + text + "'", e);
            }
            List<String> allowed = choices.get(option);
            if (allowed != null && value != null) {
                value = ((String) value).toLowerCase(Locale.ROOT);
                if (!allowed.contains(value)) {
                    throw new IllegalArgumentException(
                            "--"
                                    + option.key()
                                    + ": '"
                                    + text
                                    + "' is not one of "
                                    + String.join(", ", allowed));
                }
            }
            values.put(option.key(), value);
        }
        return new JobConfiguration(values, new HashSet<>(ours.keySet()), Map.copyOf(passThrough));
    }

    private static String typeName(ConfigOption<?> option) {
        Object example = option.defaultValue();
        if (example instanceof Duration) {
            return "a duration (e.g. 500ms, 30s, 5min, 1h, 2d)";
        }
        if (example instanceof Boolean) {
            return "a boolean (true or false)";
        }
        if (example instanceof Integer) {
            return "an integer";
        }
        return "a valid value";
    }

    private static void refuseLiteralSecret(String key, String value) {
        boolean literalSecret = Secrets.isSecret(key) && !Secrets.isReference(value);
        if (literalSecret || Secrets.hasUrlPassword(value)) {
            throw new IllegalArgumentException(
                    "--"
                            + key
                            + ": a secret given on the command line shows in the Flink web UI and in"
                            + " ps; give a reference instead (${env:NAME}, ${file:path:key} or"
                            + " ${directory:dir:file}, resolved where the client runs) or put it in"
                            + " the --"
                            + CONFIG_FILE
                            + " file");
        }
    }

    /** The pass-through entries, by the rest of their key, sorted (values as given). */
    public Map<String, String> passThrough() {
        return passThrough;
    }

    @SuppressWarnings("unchecked")
    public <T> T get(ConfigOption<T> option) {
        if (!values.containsKey(option.key())) {
            throw new IllegalArgumentException(
                    "not an option of this configuration: " + option.key());
        }
        return (T) values.get(option.key());
    }

    /** Whether the option was given (in the file or on the command line), not left to default. */
    public boolean isSet(ConfigOption<?> option) {
        return given.contains(option.key());
    }

    /** An option's one line of help: the text it was declared with. */
    public static String description(ConfigOption<?> option) {
        StringBuilder text = new StringBuilder();
        option.description()
                .getBlocks()
                .forEach(block -> text.append(((TextElement) block).getFormat()));
        return text.toString();
    }

    /** The default as the option's value is written, or null for none. */
    public static String defaultText(ConfigOption<?> option) {
        return option.hasDefaultValue() ? format(option.defaultValue()) : null;
    }

    static String format(Object value) {
        return value instanceof Duration duration
                ? Durations.format(duration)
                : String.valueOf(value);
    }

    /** One line per option: key, default and description, for --help. */
    public static String usage(
            List<ConfigOption<?>> options, Map<ConfigOption<String>, List<String>> choices) {
        StringBuilder usage = new StringBuilder();
        usage.append(
                String.format(
                        "  --%-30s %s%n",
                        CONFIG_FILE + " <file>",
                        "a properties file with any of the options below"));
        for (ConfigOption<?> option : options) {
            String def = option.hasDefaultValue() ? format(option.defaultValue()) : "not set";
            List<String> allowed = choices.get(option);
            usage.append(
                    String.format(
                            "  --%-30s %s%s (default: %s)%n",
                            option.key(),
                            description(option),
                            allowed == null ? "" : " (" + String.join(" | ", allowed) + ")",
                            def));
        }
        return usage.toString();
    }

    /** The effective values as text, by key (unset optional ones left out). */
    public Map<String, String> asText(List<ConfigOption<?>> options) {
        Map<String, String> text = new LinkedHashMap<>();
        for (ConfigOption<?> option : options) {
            Object value = values.get(option.key());
            if (value != null) {
                text.put(option.key(), Secrets.shown(option.key(), format(value)));
            }
        }
        return text;
    }

    /** The effective values, for the job's log. */
    public String describe(List<ConfigOption<?>> options) {
        StringBuilder text = new StringBuilder();
        for (ConfigOption<?> option : options) {
            text.append(option.key())
                    .append('=')
                    .append(Secrets.shown(option.key(), format(values.get(option.key()))))
                    .append(' ');
        }
        return text.toString().trim();
    }

    private static Map<String, String> arguments(String... args) {
        Map<String, String> parsed = new LinkedHashMap<>();
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (!arg.startsWith("--") || arg.length() == 2) {
                throw new IllegalArgumentException("expected --option value, got '" + arg + "'");
            }
            String name = arg.substring(2);
            int equals = name.indexOf('=');
            if (equals >= 0) {
                parsed.put(name.substring(0, equals), name.substring(equals + 1));
            } else if (i + 1 < args.length && !args[i + 1].startsWith("--")) {
                parsed.put(name, args[++i]);
            } else {
                throw new IllegalArgumentException("--" + name + " needs a value");
            }
        }
        return parsed;
    }

    private static Map<String, String> propertiesFile(Path file) {
        Properties properties = new Properties();
        try (Reader reader = Files.newBufferedReader(file)) {
            properties.load(reader);
        } catch (IOException e) {
            throw new IllegalArgumentException(
                    "cannot read the config file " + file + ": " + e.getMessage(), e);
        }
        Map<String, String> values = new LinkedHashMap<>();
        properties.stringPropertyNames().stream()
                .sorted()
                .forEach(k -> values.put(k, properties.getProperty(k)));
        return values;
    }
}
