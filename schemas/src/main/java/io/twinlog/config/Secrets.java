package io.twinlog.config;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Which settings are secrets, how they are shown, and how a reference to one is resolved.
 *
 * <p>A secret is given by reference, in the syntax of Kafka's configuration providers, so that the
 * same text works for Kafka client properties (which Kafka resolves itself) and for twinlog's own
 * settings (resolved here): {@code ${env:NAME}} an environment variable, {@code ${file:path:key}} a
 * key of a properties file, {@code ${directory:dir:name}} the content of a file in a directory (a
 * mounted Kubernetes Secret). A reference is not a secret and is shown as it is; a literal secret
 * is shown as {@value #HIDDEN}. Kafka's configuration providers resolve references, where the
 * secret is used ({@code io.twinlog.options.SecretReferences}).
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
     * Whether {@code user:password} gives its password by reference: the whole value is references,
     * or a literal user name, a colon, and references.
     */
    public static boolean isPasswordByReference(String userInfo) {
        if (userInfo == null || !userInfo.contains("${")) {
            return false;
        }
        String literal = REFERENCE.matcher(userInfo).replaceAll("");
        return literal.isEmpty() || literal.indexOf(':') == literal.length() - 1;
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
}
