package io.twinlog.config;

import java.io.IOException;
import java.io.Reader;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Which settings are secrets, how they are shown, and how a reference to one is resolved.
 *
 * <p>A secret is given by reference, in the syntax of Kafka's configuration providers, so that the
 * same text works for Kafka client properties (which Kafka resolves itself) and for twinlog's own
 * settings (resolved here): {@code ${env:NAME}} an environment variable, {@code ${file:path:key}} a
 * key of a properties file, {@code ${directory:dir:name}} the content of a file in a directory (a
 * mounted Kubernetes Secret). A reference is not a secret and is shown as it is; a literal secret
 * is shown as {@value #HIDDEN}.
 */
public final class Secrets {

    public static final String HIDDEN = "[hidden]";

    /** Words in a setting's name that make its value a secret. */
    private static final List<String> SECRET_WORDS =
            List.of("password", "secret", "jaas", "user.info", "user-info");

    private static final Pattern REFERENCE =
            Pattern.compile("\\$\\{([^}:]+):(?:([^}]*):)?([^}]*)}");

    private Secrets() {}

    /** Whether the setting of this name holds a secret (Kafka's PASSWORD settings included). */
    public static boolean isSecret(String name) {
        String lower = name.toLowerCase(Locale.ROOT);
        // a token, not a token endpoint's URL
        return SECRET_WORDS.stream().anyMatch(lower::contains)
                || lower.endsWith("token")
                || lower.endsWith("keystore.key")
                || lower.endsWith("ssl.key");
    }

    /** Whether the value is only references (no literal text that could be a secret). */
    public static boolean isReference(String value) {
        return value != null
                && !value.isBlank()
                && REFERENCE.matcher(value).replaceAll("").isBlank();
    }

    /**
     * The value as it may be printed: hidden if it is a literal secret or holds URL credentials.
     */
    public static String shown(String name, String value) {
        if (value == null) {
            return null;
        }
        if (isSecret(name) && !isReference(value)) {
            return HIDDEN;
        }
        return withoutUrlPassword(value);
    }

    /** The settings as they may be printed. */
    public static Map<String, String> shown(Map<String, String> settings) {
        Map<String, String> shown = new java.util.LinkedHashMap<>();
        settings.forEach((name, value) -> shown.put(name, shown(name, value)));
        return shown;
    }

    /**
     * URLs in a comma-separated list with their password hidden: {@code
     * https://user:[hidden]@host}.
     */
    public static String withoutUrlPassword(String text) {
        StringBuilder out = new StringBuilder();
        String[] parts = text.split(",", -1);
        for (int i = 0; i < parts.length; i++) {
            out.append(i == 0 ? "" : ",").append(urlWithoutPassword(parts[i]));
        }
        return out.toString();
    }

    /** Whether any URL of a comma-separated list carries a literal password. */
    public static boolean hasUrlPassword(String text) {
        return !withoutUrlPassword(text).equals(text);
    }

    private static String urlWithoutPassword(String part) {
        String trimmed = part.trim();
        if (!trimmed.contains("://") || !trimmed.contains("@")) {
            return part;
        }
        try {
            URI uri = new URI(trimmed);
            String userInfo = uri.getRawUserInfo();
            if (userInfo == null || !userInfo.contains(":") || isReference(userInfo)) {
                return part;
            }
            String user = userInfo.substring(0, userInfo.indexOf(':'));
            return part.replace(userInfo + "@", user + ":" + HIDDEN + "@");
        } catch (URISyntaxException e) {
            return part;
        }
    }

    /**
     * Resolves every reference in the value (a value without references is returned as it is).
     *
     * @throws IllegalArgumentException naming the setting and the reference that cannot be resolved
     */
    public static String resolve(String name, String value) {
        return resolve(name, value, System::getenv);
    }

    static String resolve(String name, String value, Function<String, String> environment) {
        if (value == null) {
            return null;
        }
        Matcher matcher = REFERENCE.matcher(value);
        StringBuilder resolved = new StringBuilder();
        while (matcher.find()) {
            String text =
                    lookUp(name, matcher.group(1), matcher.group(2), matcher.group(3), environment);
            matcher.appendReplacement(resolved, Matcher.quoteReplacement(text));
        }
        matcher.appendTail(resolved);
        return resolved.toString();
    }

    private static String lookUp(
            String name,
            String provider,
            String path,
            String key,
            Function<String, String> environment) {
        String where =
                name + ": ${" + provider + ":" + (path == null ? "" : path + ":") + key + "}";
        try {
            String value =
                    switch (provider) {
                        case "env" -> environment.apply(key);
                        case "file" -> {
                            if (path == null) {
                                throw new IllegalArgumentException(
                                        where + " needs a file and a key: ${file:path:key}");
                            }
                            yield properties(Path.of(path)).getProperty(key);
                        }
                        case "directory" -> {
                            Path file = Path.of(path == null ? "" : path).resolve(key);
                            yield Files.isRegularFile(file)
                                    ? Files.readString(file, StandardCharsets.UTF_8).strip()
                                    : null;
                        }
                        default ->
                                throw new IllegalArgumentException(
                                        where
                                                + ": unknown provider '"
                                                + provider
                                                + "' (env, file or directory)");
                    };
            if (value == null) {
                throw new IllegalArgumentException(where + " is not set");
            }
            return value;
        } catch (IOException e) {
            throw new IllegalArgumentException(where + " cannot be read: " + e.getMessage(), e);
        }
    }

    private static Properties properties(Path file) throws IOException {
        Properties properties = new Properties();
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            properties.load(reader);
        }
        return properties;
    }
}
