package io.twinlog.cli.flink;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A Flink REST endpoint that answers GETs from a table of canned JSON bodies, for tests of the
 * CLI's job handling.
 */
public final class FakeFlink implements AutoCloseable {

    private final HttpServer server;
    private final Map<String, String> answers = new ConcurrentHashMap<>();
    private final List<String> jobs = new ArrayList<>();

    FakeFlink() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext(
                "/",
                exchange -> {
                    String body = answers.get(exchange.getRequestURI().getPath());
                    byte[] bytes =
                            (body == null
                                            ? "{\"errors\":[\"Not found: "
                                                    + exchange.getRequestURI()
                                                    + "\"]}"
                                            : body)
                                    .getBytes(StandardCharsets.UTF_8);
                    exchange.sendResponseHeaders(body == null ? 404 : 200, bytes.length);
                    try (OutputStream out = exchange.getResponseBody()) {
                        out.write(bytes);
                    }
                });
        answers.put("/jobs/overview", "{\"jobs\":[]}");
        server.start();
    }

    FakeFlink answer(String path, String json) {
        answers.put(path, json);
        return this;
    }

    /** A DeviceTwinJob in this state, publishing these options as its parameters. */
    FakeFlink job(String id, String state, Map<String, String> options) {
        jobs.add(
                "{\"jid\":\""
                        + id
                        + "\",\"name\":\"twinlog DeviceTwinJob\",\"state\":\""
                        + state
                        + "\"}");
        answers.put("/jobs/overview", "{\"jobs\":[" + String.join(",", jobs) + "]}");
        List<String> entries = new ArrayList<>();
        options.forEach((k, v) -> entries.add("\"" + k + "\":\"" + v + "\""));
        answers.put(
                "/jobs/" + id + "/config",
                "{\"jid\":\""
                        + id
                        + "\",\"execution-config\":{\"user-config\":{"
                        + String.join(",", entries)
                        + "}}}");
        return this;
    }

    FlinkRestClient client() {
        return new FlinkRestClient(
                "http://127.0.0.1:" + server.getAddress().getPort(),
                java.time.Duration.ofSeconds(5));
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
