package io.twinlog.cli.readside;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.twinlog.cli.output.CliException;
import io.twinlog.readside.api.Answers;
import java.io.IOException;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import javax.net.ssl.HttpsURLConnection;
import javax.net.ssl.SSLContext;

/**
 * The running read side's API ({@code twinlog serve}), its answers read into the read side's own
 * answer records. The service keeps its index up to date with the log, so a question costs one
 * request instead of a catch-up of the CLI's own index.
 *
 * <p>It asks through {@link HttpURLConnection}, not {@code java.net.http.HttpClient}: building an
 * HttpClient sets up TLS and a selector thread even for an http URL, 0.4 s of CPU of a command that
 * is otherwise over in about as much (docs/READ-SIDE.md, "The CLI").
 */
public final class ReadSideClient {

    private static final ObjectMapper JSON =
            new ObjectMapper().disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    private final String url;
    private final Duration timeout;
    private final String authorization;
    private final SSLContext tls;

    /**
     * @param authorization the Authorization header's value, or null
     * @param tls the certificates to trust for an https URL, or null for the JVM's
     */
    public ReadSideClient(String url, Duration timeout, String authorization, SSLContext tls) {
        this.url = url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
        this.timeout = timeout;
        this.authorization = authorization;
        this.tls = tls;
    }

    public String url() {
        return url;
    }

    /** Every entry of the device's history in the time range, all pages. */
    public Answers.HistoryAnswer history(String device, String from, String to) {
        List<Answers.EntryView> entries = new ArrayList<>();
        String cursor = null;
        Answers.HistoryAnswer page;
        do {
            Map<String, String> query = new LinkedHashMap<>();
            query.put("from", from);
            query.put("to", to);
            query.put("cursor", cursor);
            query.put("limit", "1000");
            page = get(devicePath(device, "history"), query, Answers.HistoryAnswer.class, timeout);
            entries.addAll(page.entries());
            cursor = page.next();
        } while (cursor != null);
        return new Answers.HistoryAnswer(
                device,
                page.lagging(),
                page.indexedThrough(),
                page.gaps(),
                page.total(),
                entries,
                null);
    }

    /** The twin at an event time, or at a position ({@code partition:offset}). */
    public Answers.AsOfAnswer asOf(String device, String at, boolean byPosition) {
        return get(
                devicePath(device, "as-of"),
                Map.of(byPosition ? "position" : "time", at),
                Answers.AsOfAnswer.class,
                timeout);
    }

    /** The service's check of the published twins against its fold (it may take minutes). */
    public Answers.VerifyAnswer verify(int sample, int max) {
        return get(
                "/api/verify",
                Map.of("sample", Integer.toString(sample), "max", Integer.toString(max)),
                Answers.VerifyAnswer.class,
                timeout.plus(Duration.ofMinutes(10)));
    }

    private static int millis(Duration duration) {
        return (int) Math.min(Integer.MAX_VALUE, Math.max(1, duration.toMillis()));
    }

    private static String devicePath(String device, String what) {
        return "/api/devices/" + URLEncoder.encode(device, StandardCharsets.UTF_8) + "/" + what;
    }

    private <T> T get(String path, Map<String, String> query, Class<T> type, Duration wait) {
        String parameters =
                query.entrySet().stream()
                        .filter(e -> e.getValue() != null)
                        .map(
                                e ->
                                        e.getKey()
                                                + "="
                                                + URLEncoder.encode(
                                                        e.getValue(), StandardCharsets.UTF_8))
                        .collect(Collectors.joining("&"));
        URI uri = URI.create(url + path + (parameters.isEmpty() ? "" : "?" + parameters));
        int status;
        String body;
        try {
            HttpURLConnection connection = (HttpURLConnection) uri.toURL().openConnection();
            if (tls != null && connection instanceof HttpsURLConnection https) {
                https.setSSLSocketFactory(tls.getSocketFactory());
            }
            connection.setInstanceFollowRedirects(false);
            connection.setConnectTimeout(millis(timeout));
            connection.setReadTimeout(millis(wait));
            connection.setRequestProperty("Accept", "application/json");
            if (authorization != null) {
                connection.setRequestProperty("Authorization", authorization);
            }
            status = connection.getResponseCode();
            try (InputStream stream =
                    status >= 400 ? connection.getErrorStream() : connection.getInputStream()) {
                body =
                        stream == null
                                ? ""
                                : new String(stream.readAllBytes(), StandardCharsets.UTF_8);
            }
        } catch (IOException e) {
            throw new CliException(
                    "cannot reach the read side at "
                            + url
                            + " ("
                            + e.getClass().getSimpleName()
                            + "; is it running? scripts/stack status; or give --read-side-url, or"
                            + " --offline to index the log in this process)");
        }
        try {
            if (status != 200) {
                JsonNode error = JSON.readTree(body);
                String message = error.path("error").asText(error.path("message").asText(""));
                throw new CliException(
                        "the read side answered "
                                + status
                                + (message.isEmpty() ? "" : ": " + message)
                                + (status == 401
                                        ? " (give --read-side-user-info, or set"
                                                + " TWINLOG_READ_SIDE_USER_INFO)"
                                        : ""));
            }
            return JSON.readValue(body, type);
        } catch (IOException e) {
            throw new CliException(
                    "the read side at "
                            + url
                            + " answered "
                            + status
                            + " with what is not its API's JSON: "
                            + e.getMessage());
        }
    }
}
