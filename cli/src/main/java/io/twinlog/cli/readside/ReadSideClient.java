package io.twinlog.cli.readside;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.twinlog.cli.output.CliException;
import io.twinlog.readside.api.Answers;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import javax.net.ssl.SSLContext;

/**
 * The running read side's API ({@code twinlog serve}), its answers read into the read side's own
 * answer records. The service keeps its index up to date with the log, so a question costs one
 * request instead of a catch-up of the CLI's own index.
 */
public final class ReadSideClient {

    private static final ObjectMapper JSON =
            new ObjectMapper().disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    private final String url;
    private final Duration timeout;
    private final String authorization;
    private final HttpClient http;

    /**
     * @param authorization the Authorization header's value, or null
     * @param tls the certificates to trust for an https URL, or null for the JVM's
     */
    public ReadSideClient(String url, Duration timeout, String authorization, SSLContext tls) {
        this.url = url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
        this.timeout = timeout;
        this.authorization = authorization;
        HttpClient.Builder builder = HttpClient.newBuilder().connectTimeout(timeout);
        if (tls != null) {
            builder.sslContext(tls);
        }
        this.http = builder.build();
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
        HttpRequest.Builder request =
                HttpRequest.newBuilder(
                                URI.create(
                                        url
                                                + path
                                                + (parameters.isEmpty() ? "" : "?" + parameters)))
                        .timeout(wait)
                        .header("Accept", "application/json")
                        .GET();
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        HttpResponse<String> response;
        try {
            response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new CliException(
                    "cannot reach the read side at "
                            + url
                            + " ("
                            + e.getClass().getSimpleName()
                            + "; is it running? scripts/stack status; or give --read-side-url, or"
                            + " --offline to index the log in this process)");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CliException("interrupted while asking the read side");
        }
        try {
            if (response.statusCode() != 200) {
                JsonNode error = JSON.readTree(response.body());
                String message = error.path("error").asText(error.path("message").asText(""));
                throw new CliException(
                        "the read side answered "
                                + response.statusCode()
                                + (message.isEmpty() ? "" : ": " + message)
                                + (response.statusCode() == 401
                                        ? " (give --read-side-user-info, or set"
                                                + " TWINLOG_READ_SIDE_USER_INFO)"
                                        : ""));
            }
            return JSON.readValue(response.body(), type);
        } catch (IOException e) {
            throw new CliException(
                    "the read side at "
                            + url
                            + " answered "
                            + response.statusCode()
                            + " with what is not its API's JSON: "
                            + e.getMessage());
        }
    }
}
