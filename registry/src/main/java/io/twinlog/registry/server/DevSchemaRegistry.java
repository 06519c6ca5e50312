package io.twinlog.registry.server;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * twinlog's development schema registry: a stand-in for the Confluent Schema Registry on machines
 * without Docker, for the local stack and the tests. It implements the subset of the REST API that
 * twinlog uses, with BACKWARD compatibility checks by default and Confluent's error codes. It is
 * not a production registry: no authentication, no clustering, Avro only; production uses a real
 * one.
 *
 * <pre>
 * java io.twinlog.registry.server.DevSchemaRegistry [--host 127.0.0.1] [--port 8085] [--data registry.jsonl]
 * </pre>
 */
public final class DevSchemaRegistry implements AutoCloseable {

    public static final int DEFAULT_PORT = 8085;

    private final HttpServer server;
    private final ExecutorService executor;

    private DevSchemaRegistry(HttpServer server, ExecutorService executor) {
        this.server = server;
        this.executor = executor;
    }

    /**
     * Starts a registry; port 0 picks a free one.
     *
     * @param journal where schemas are kept across restarts, or null to keep them in memory only
     */
    public static DevSchemaRegistry start(String host, int port, Path journal) throws IOException {
        SchemaStore store = new SchemaStore(journal);
        HttpServer server = HttpServer.create(new InetSocketAddress(host, port), 64);
        ExecutorService executor =
                Executors.newFixedThreadPool(
                        4,
                        r -> {
                            Thread thread = new Thread(r, "dev-schema-registry");
                            thread.setDaemon(true);
                            return thread;
                        });
        server.createContext("/", new RegistryHttpApi(store));
        server.setExecutor(executor);
        server.start();
        return new DevSchemaRegistry(server, executor);
    }

    public String url() {
        return "http://"
                + server.getAddress().getHostString()
                + ":"
                + server.getAddress().getPort();
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }

    public static void main(String[] args) throws IOException {
        String host = "127.0.0.1";
        int port = DEFAULT_PORT;
        Path journal = null;
        for (int i = 0; i < args.length; i++) {
            String value = i + 1 < args.length ? args[i + 1] : null;
            switch (args[i]) {
                case "--host" -> host = require(args[i], value);
                case "--port" -> port = Integer.parseInt(require(args[i], value));
                case "--data" -> journal = Path.of(require(args[i], value));
                case "--help", "-h" -> {
                    System.out.println(
                            "usage: DevSchemaRegistry [--host 127.0.0.1] [--port "
                                    + DEFAULT_PORT
                                    + "] [--data <journal file>]");
                    return;
                }
                default -> {
                    System.err.println("unknown option " + args[i] + " (try --help)");
                    System.exit(2);
                }
            }
            i++;
        }
        DevSchemaRegistry registry = start(host, port, journal);
        Runtime.getRuntime()
                .addShutdownHook(new Thread(registry::close, "dev-schema-registry-shutdown"));
        System.out.println(
                "twinlog development schema registry listening on "
                        + registry.url()
                        + (journal == null ? " (in memory)" : " (journal " + journal + ")"));
    }

    private static String require(String option, String value) {
        if (value == null) {
            System.err.println(option + " needs a value");
            System.exit(2);
        }
        return value;
    }
}
