package io.twinlog.config;

import java.io.IOException;
import java.io.Reader;
import java.io.Serializable;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Values for a fixed list of {@link Param}s, from a properties file ({@code --config <file>}) and
 * then command-line arguments ({@code --key value} or {@code --key=value}), which win. Unknown keys
 * are errors that list the known ones, so a typo never falls back to a default silently.
 *
 * <p>Keys under a pass-through prefix (like Flink SQL's {@code properties.*}) are kept as they are,
 * for a client library to check. Secrets (see {@link Secrets}) are hidden in every printout, and a
 * literal secret on the command line is refused: program arguments are shown by the Flink web UI
 * and by {@code ps}. Give it by reference ({@code ${env:NAME}}, {@code ${file:path:key}}) or in the
 * config file.
 */
public final class ParsedParams implements Serializable {

    private static final long serialVersionUID = 1L;
    public static final String CONFIG_FILE = "config";

    private final Map<String, Object> values;
    private final Set<String> given;
    private final Map<String, String> passThrough;

    private ParsedParams(
            Map<String, Object> values, Set<String> given, Map<String, String> passThrough) {
        this.values = values;
        this.given = given;
        this.passThrough = passThrough;
    }

    public static ParsedParams parse(List<Param<?>> params, String... args) {
        return parseWithPassThrough(params, null, args);
    }

    /**
     * @param passThroughPrefix keys starting with it are kept by the rest of their name (see {@link
     *     #passThrough()}); null for none
     */
    public static ParsedParams parseWithPassThrough(
            List<Param<?>> params, String passThroughPrefix, String... args) {
        Map<String, Param<?>> known = new LinkedHashMap<>();
        params.forEach(p -> known.put(p.key(), p));
        Map<String, String> raw = new LinkedHashMap<>();
        Map<String, String> fromArgs = arguments(args);
        String file = fromArgs.remove(CONFIG_FILE);
        if (file != null) {
            raw.putAll(propertiesFile(Path.of(file)));
        }
        raw.putAll(fromArgs);
        fromArgs.forEach(ParsedParams::refuseLiteralSecret);

        Map<String, Object> values = new LinkedHashMap<>();
        Map<String, String> passThrough = new TreeMap<>();
        Set<String> given = new HashSet<>(raw.keySet());
        for (Map.Entry<String, String> entry : raw.entrySet()) {
            if (passThroughPrefix != null
                    && entry.getKey().startsWith(passThroughPrefix)
                    && entry.getKey().length() > passThroughPrefix.length()) {
                passThrough.put(
                        entry.getKey().substring(passThroughPrefix.length()), entry.getValue());
                continue;
            }
            Param<?> param = known.get(entry.getKey());
            if (param == null) {
                throw new IllegalArgumentException(
                        "unknown option --"
                                + entry.getKey()
                                + " (known: "
                                + new TreeSet<>(known.keySet())
                                + (passThroughPrefix == null
                                        ? ""
                                        : " and " + passThroughPrefix + "<client property>")
                                + ")");
            }
            values.put(param.key(), param.parse(entry.getValue()));
        }
        for (Param<?> param : params) {
            values.putIfAbsent(param.key(), param.defaultValue());
        }
        return new ParsedParams(values, given, Map.copyOf(passThrough));
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
    public <T> T get(Param<T> param) {
        if (!values.containsKey(param.key())) {
            throw new IllegalArgumentException("not an option of these parameters: " + param.key());
        }
        return (T) values.get(param.key());
    }

    /**
     * Whether the parameter was given (in the file or on the command line), rather than left to its
     * default.
     */
    public boolean isSet(Param<?> param) {
        return given.contains(param.key());
    }

    /** One line per parameter: key, default and description, for --help. */
    public static String usage(List<Param<?>> params) {
        StringBuilder usage = new StringBuilder();
        usage.append(
                String.format(
                        "  --%-30s %s%n",
                        CONFIG_FILE + " <file>",
                        "a properties file with any of the options below"));
        for (Param<?> param : params) {
            String def =
                    param.defaultValue() == null ? "not set" : param.format(param.defaultValue());
            usage.append(
                    String.format(
                            "  --%-30s %s (default: %s)%n", param.key(), param.description(), def));
        }
        return usage.toString();
    }

    /** The effective values as text, by key (unset optional ones left out). */
    public Map<String, String> asText(List<Param<?>> params) {
        Map<String, String> text = new LinkedHashMap<>();
        for (Param<?> param : params) {
            Object value = values.get(param.key());
            if (value != null) {
                text.put(param.key(), Secrets.shown(param.key(), param.format(value)));
            }
        }
        return text;
    }

    /** The effective values, for the job's log. */
    public String describe(List<Param<?>> params) {
        StringBuilder text = new StringBuilder();
        for (Param<?> param : params) {
            text.append(param.key())
                    .append('=')
                    .append(Secrets.shown(param.key(), param.format(values.get(param.key()))))
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
