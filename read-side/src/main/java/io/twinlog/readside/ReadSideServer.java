package io.twinlog.readside;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.twinlog.alerts.PublishedVersions;
import io.twinlog.schema.alert.Alert;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The query service over HTTP: JSON under {@code /api}, the live alert stream as Server-Sent
 * Events, health, readiness and Prometheus metrics, and the web console's static files. The JDK's
 * own HTTP server: the service needs routing of a dozen paths and streaming, nothing a framework
 * would add is used, and the CLI's class path stays free of a second Jetty beside Flink's.
 */
public final class ReadSideServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ReadSideServer.class);

    /** Live streams hold a thread each; more clients than this are refused (503). */
    static final int MAX_STREAMS = 16;

    private static final Map<String, String> CONTENT_TYPES =
            Map.of(
                    "html", "text/html; charset=utf-8",
                    "js", "text/javascript; charset=utf-8",
                    "css", "text/css; charset=utf-8",
                    "svg", "image/svg+xml");

    private final ReadSide readSide;
    private final HttpServer server;
    private final ExecutorService executor;
    private final Semaphore streams = new Semaphore(MAX_STREAMS);
    private volatile boolean closing;

    private ReadSideServer(ReadSide readSide, String host, int port) throws IOException {
        this.readSide = readSide;
        // The JDK server closes keep-alive connections beyond 200 idle ones, and a client that
        // sends on one it is closing sees a reset: at a thousand requests a second that happened.
        System.setProperty(
                "sun.net.httpserver.maxIdleConnections",
                System.getProperty("sun.net.httpserver.maxIdleConnections", "2000"));
        this.server = HttpServer.create(new InetSocketAddress(host, port), 1024);
        this.executor = Executors.newFixedThreadPool(MAX_STREAMS + 16, daemon());
        server.setExecutor(executor);
        server.createContext("/", this::handle);
    }

    public static ReadSideServer start(ReadSide readSide, String host, int port)
            throws IOException {
        ReadSideServer server = new ReadSideServer(readSide, host, port);
        server.server.start();
        return server;
    }

    public int port() {
        return server.getAddress().getPort();
    }

    private void handle(HttpExchange exchange) throws IOException {
        long began = System.nanoTime();
        String route = "static";
        int status;
        try {
            if (!exchange.getRequestMethod().equals("GET")) {
                status = send(exchange, 405, ReadSideJson.error(405, "only GET is served"));
            } else {
                List<String> path = segments(exchange);
                route = route(path);
                status = dispatch(exchange, route, path, query(exchange));
            }
        } catch (IllegalArgumentException e) {
            status = send(exchange, 400, ReadSideJson.error(400, e.getMessage()));
        } catch (UnknownDeviceException e) {
            status = send(exchange, 404, ReadSideJson.error(404, e.getMessage()));
        } catch (TooManyRecordsException e) {
            status = send(exchange, 413, ReadSideJson.error(413, e.getMessage()));
        } catch (SplitDeviceException e) {
            status = send(exchange, 409, ReadSideJson.error(409, e.getMessage()));
        } catch (IOException e) {
            // The client went away: nothing to answer.
            status = 499;
        } catch (RuntimeException e) {
            LOG.warn("{} failed", exchange.getRequestURI(), e);
            status =
                    send(
                            exchange,
                            500,
                            ReadSideJson.error(
                                    500,
                                    "the read side failed to answer; its log says why ("
                                            + e.getClass().getSimpleName()
                                            + ")"));
        } finally {
            exchange.close();
        }
        readSide.metrics().request(route, status, System.nanoTime() - began);
    }

    /** The route's name, for metrics: the path with its variable parts replaced. */
    private static String route(List<String> path) {
        if (path.isEmpty() || !path.get(0).equals("api")) {
            return path.size() == 1 && List.of("health", "ready", "metrics").contains(path.get(0))
                    ? "/" + path.get(0)
                    : "static";
        }
        if (path.size() >= 3 && path.get(1).equals("devices")) {
            return "/api/devices/{id}" + (path.size() > 3 ? "/" + path.get(3) : "");
        }
        return "/" + String.join("/", path);
    }

    private int dispatch(
            HttpExchange exchange, String route, List<String> path, Map<String, String> query)
            throws IOException {
        switch (route) {
            case "/health":
                return health(exchange);
            case "/ready":
                return ready(exchange);
            case "/metrics":
                return sendText(exchange, 200, "text/plain; version=0.0.4", metrics());
            case "/api/info":
                return send(exchange, 200, info());
            case "/api/fleet":
                return send(
                        exchange,
                        200,
                        ReadSideJson.fleet(
                                readSide.fleet().counts(),
                                readSide.fleet()
                                        .page(
                                                status(query.get("status")),
                                                blankToNull(query.get("q")),
                                                blankToNull(query.get("cursor")),
                                                limit(query, 50)),
                                readSide));
            case "/api/alerts":
                return send(exchange, 200, alerts(query));
            case "/api/alerts/stream":
                return stream(exchange);
            case "/api/devices/{id}":
                return device(exchange, path.get(2));
            case "/api/devices/{id}/history":
                return history(exchange, path.get(2), query);
            case "/api/devices/{id}/as-of":
                return asOf(exchange, path.get(2), query);
            case "/api/devices/{id}/alerts":
                return send(
                        exchange,
                        200,
                        ReadSideJson.alerts(readSide.alerts(known(path.get(2))), readSide));
            case "static":
                return file(exchange, path);
            default:
                return send(exchange, 404, ReadSideJson.error(404, "no such resource: " + route));
        }
    }

    private int device(HttpExchange exchange, String device) throws IOException {
        PublishedTwin twin = readSide.twin(device);
        if (twin == null) {
            // A device the job has not published yet may still be in the log.
            readSide.history(device);
        }
        List<Alert> open = readSide.alertBoard().openOf(device);
        return send(exchange, 200, ReadSideJson.device(device, twin, open, readSide));
    }

    private int history(HttpExchange exchange, String device, Map<String, String> query)
            throws IOException {
        HistoryQuery request =
                new HistoryQuery(
                        time(query.get("from")),
                        time(query.get("to")),
                        query.containsKey("cursor") ? Position.parse(query.get("cursor")) : null,
                        limit(query, 100));
        Replay replay = readSide.history(device);
        Page<HistoryEntry> page = request.apply(replay.entries());
        return send(
                exchange,
                200,
                ReadSideJson.history(
                        device,
                        page.items(),
                        request.total(replay.entries()),
                        page.next(),
                        readSide));
    }

    private int asOf(HttpExchange exchange, String device, Map<String, String> query)
            throws IOException {
        String time = query.get("time");
        String position = query.get("position");
        if ((time == null) == (position == null)) {
            throw new IllegalArgumentException(
                    "give exactly one of time=<ISO-8601> or position=<partition:offset>");
        }
        Replay replay =
                time != null
                        ? readSide.asOf(device, Instants.parse(time))
                        : readSide.asOf(device, Position.parse(position));
        if (replay.twin() == null) {
            return send(
                    exchange,
                    404,
                    ReadSideJson.error(
                            404,
                            "device "
                                    + device
                                    + " had no state yet at "
                                    + (time != null ? time : position)));
        }
        return send(
                exchange,
                200,
                ReadSideJson.asOf(device, time != null ? time : position, replay, readSide));
    }

    private ObjectNode alerts(Map<String, String> query) {
        String state = query.getOrDefault("state", "open");
        String rule = blankToNull(query.get("rule"));
        String device = blankToNull(query.get("device"));
        List<Alert> alerts =
                switch (state) {
                    case "open" -> readSide.alertBoard().open(rule);
                    case "recent" -> readSide.alertBoard().recent(rule, limit(query, 100));
                    default ->
                            throw new IllegalArgumentException(
                                    "state must be open or recent, not '" + state + "'");
                };
        if (device != null) {
            alerts =
                    alerts.stream().filter(a -> a.getDeviceId().toString().equals(device)).toList();
        }
        return ReadSideJson.alerts(alerts, readSide);
    }

    /** The live alert stream: each alert the job commits from now on, as an SSE event. */
    private int stream(HttpExchange exchange) throws IOException {
        if (!streams.tryAcquire()) {
            return send(
                    exchange,
                    503,
                    ReadSideJson.error(503, "too many live streams open (" + MAX_STREAMS + ")"));
        }
        LinkedBlockingQueue<Alert> queue = new LinkedBlockingQueue<>(10_000);
        Consumer<Alert> listener = queue::offer;
        readSide.alertBoard().subscribe(listener);
        try {
            exchange.getResponseHeaders().set("Content-Type", "text/event-stream; charset=utf-8");
            exchange.getResponseHeaders().set("Cache-Control", "no-cache");
            exchange.sendResponseHeaders(200, 0);
            OutputStream out = exchange.getResponseBody();
            out.write(": connected\n\n".getBytes(StandardCharsets.UTF_8));
            out.flush();
            while (!closing) {
                Alert alert = queue.poll(15, TimeUnit.SECONDS);
                String frame =
                        alert == null
                                ? ": keep-alive\n\n"
                                : "event: alert\ndata: "
                                        + ReadSideJson.MAPPER.writeValueAsString(AvroJson.of(alert))
                                        + "\n\n";
                out.write(frame.getBytes(StandardCharsets.UTF_8));
                out.flush();
            }
            return 200;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 200;
        } finally {
            readSide.alertBoard().unsubscribe(listener);
            streams.release();
        }
    }

    /** Down once the index no longer follows the log: its answers would only get older. */
    private int health(HttpExchange exchange) throws IOException {
        Throwable death = readSide.follower().death();
        if (death == null) {
            return send(exchange, 200, ReadSideJson.tree(Map.of("status", "UP")));
        }
        return send(
                exchange,
                503,
                ReadSideJson.tree(
                        Map.of(
                                "status",
                                "DOWN",
                                "reason",
                                "the index stopped following the log: " + death)));
    }

    private int ready(HttpExchange exchange) throws IOException {
        Map<String, Object> body = new HashMap<>();
        boolean ready = !readSide.lagging();
        body.put("ready", ready);
        body.put("caughtUp", readSide.follower().caughtUpOnce());
        Map<String, Long> lag = new java.util.TreeMap<>();
        readSide.follower().lag().forEach((p, n) -> lag.put(p.topic() + "/" + p.partition(), n));
        body.put("lag", lag);
        return send(exchange, ready ? 200 : 503, ReadSideJson.tree(body));
    }

    private String metrics() {
        StringBuilder out = new StringBuilder(readSide.metrics().prometheus());
        Map<String, Long> lag = new HashMap<>();
        for (Map.Entry<TopicPartition, Long> e : readSide.follower().lag().entrySet()) {
            lag.put(
                    "topic=\""
                            + e.getKey().topic()
                            + "\",partition=\""
                            + e.getKey().partition()
                            + "\"",
                    e.getValue());
        }
        ReadSideMetrics.labelled(
                out,
                "twinlog_readside_lag_records",
                "Records between the read side and the end of the log (last committed), per partition.",
                lag);
        return out.toString();
    }

    private ObjectNode info() {
        ObjectNode node = ReadSideJson.MAPPER.createObjectNode();
        node.put("eventsTopic", readSide.topics().events());
        node.put("twinsTopic", readSide.topics().twins());
        node.put("alertsTopic", readSide.topics().alerts());
        node.set(
                "semanticOptions",
                ReadSideJson.tree(readSide.config().job().get().semantics().values()));
        node.put("lagging", readSide.lagging());
        PublishedVersions versions = readSide.rulesVersions();
        node.set("rulesVersions", ReadSideJson.rulesVersions(versions.common()));
        // Partitions whose devices run other versions than the rest (docs/RULES.md).
        node.set("rulesPartitionsDiffering", ReadSideJson.tree(versions.differing()));
        return node;
    }

    private int file(HttpExchange exchange, List<String> path) throws IOException {
        String name = path.isEmpty() ? "index.html" : String.join("/", path);
        if (name.contains("..") || !name.matches("[a-z0-9-]+\\.(html|js|css|svg)")) {
            return send(exchange, 404, ReadSideJson.error(404, "no such page: /" + name));
        }
        try (InputStream in = ReadSideServer.class.getResourceAsStream("/console/" + name)) {
            if (in == null) {
                return send(exchange, 404, ReadSideJson.error(404, "no such page: /" + name));
            }
            String extension = name.substring(name.lastIndexOf('.') + 1);
            return sendBytes(exchange, 200, CONTENT_TYPES.get(extension), in.readAllBytes());
        }
    }

    private String known(String device) {
        if (readSide.twin(device) == null) {
            readSide.history(device); // 404 if the log has no record of it either
        }
        return device;
    }

    private static int send(HttpExchange exchange, int status, JsonNode body) throws IOException {
        return sendBytes(
                exchange, status, "application/json", ReadSideJson.MAPPER.writeValueAsBytes(body));
    }

    private static int sendText(HttpExchange exchange, int status, String type, String body)
            throws IOException {
        return sendBytes(exchange, status, type, body.getBytes(StandardCharsets.UTF_8));
    }

    private static int sendBytes(HttpExchange exchange, int status, String type, byte[] body)
            throws IOException {
        exchange.getResponseHeaders().set("Content-Type", type);
        exchange.sendResponseHeaders(status, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
        return status;
    }

    private static List<String> segments(HttpExchange exchange) {
        String raw = exchange.getRequestURI().getRawPath();
        return java.util.Arrays.stream(raw.split("/"))
                .filter(s -> !s.isEmpty())
                .map(s -> URLDecoder.decode(s, StandardCharsets.UTF_8))
                .toList();
    }

    private static Map<String, String> query(HttpExchange exchange) {
        Map<String, String> query = new HashMap<>();
        String raw = exchange.getRequestURI().getRawQuery();
        if (raw != null) {
            for (String pair : raw.split("&")) {
                int eq = pair.indexOf('=');
                String key =
                        URLDecoder.decode(
                                eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
                String value =
                        eq < 0
                                ? ""
                                : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
                query.put(key, value);
            }
        }
        return query;
    }

    private static int limit(Map<String, String> query, int fallback) {
        String text = query.get("limit");
        if (text == null) {
            return fallback;
        }
        try {
            int limit = Integer.parseInt(text);
            if (limit >= 1 && limit <= HistoryQuery.MAX_LIMIT) {
                return limit;
            }
        } catch (NumberFormatException e) {
            // the message below
        }
        throw new IllegalArgumentException(
                "limit must be a number from 1 to "
                        + HistoryQuery.MAX_LIMIT
                        + ", not '"
                        + text
                        + "'");
    }

    private static Instant time(String text) {
        return text == null || text.isBlank() ? null : Instants.parse(text);
    }

    private static String status(String text) {
        String status = blankToNull(text);
        if (status != null
                && !List.of("ACTIVE", "UNREGISTERED", "DECOMMISSIONED", "OFFLINE", "ALERTING")
                        .contains(status)) {
            throw new IllegalArgumentException(
                    "status must be ACTIVE, DECOMMISSIONED, UNREGISTERED, OFFLINE or ALERTING, not '"
                            + status
                            + "'");
        }
        return status;
    }

    private static String blankToNull(String text) {
        return text == null || text.isBlank() ? null : text;
    }

    private static java.util.concurrent.ThreadFactory daemon() {
        return runnable -> {
            Thread thread = new Thread(runnable, "read-side-http");
            thread.setDaemon(true);
            return thread;
        };
    }

    @Override
    public void close() {
        closing = true;
        server.stop(1);
        executor.shutdownNow();
    }
}
