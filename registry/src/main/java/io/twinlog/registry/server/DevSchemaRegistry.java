package io.twinlog.registry.server;

import io.javalin.Javalin;
import io.twinlog.http.JettyConnectors;
import java.io.IOException;
import java.nio.file.Path;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.ssl.SslContextFactory;

/**
 * twinlog's development schema registry: a stand-in for the Confluent Schema Registry on machines
 * without Docker, for the local stack and the tests. It implements the subset of the REST API that
 * twinlog uses, with BACKWARD compatibility checks by default and Confluent's error codes. It is
 * not a production registry: one role (every user may do everything), no clustering, Avro only;
 * production uses a real one. It can serve HTTPS and require HTTP basic authentication, so that
 * twinlog's secured local stack exercises the same client settings as a production registry.
 *
 * <pre>
 * java io.twinlog.registry.server.DevSchemaRegistry [--host 127.0.0.1] [--port 8085] [--data registry.jsonl]
 *     [--tls-keystore server.p12 --tls-keystore-password-file file] [--users file]
 * </pre>
 *
 * Passwords are read from files, never taken on the command line (which {@code ps} shows).
 */
public final class DevSchemaRegistry implements AutoCloseable {

    public static final int DEFAULT_PORT = 8085;

    /** How long a connection may stay silent, reading a request or writing an answer. */
    private static final long IDLE_TIMEOUT_MILLIS = 30_000;

    private final Javalin app;
    private final String host;
    private final boolean tls;

    private DevSchemaRegistry(Javalin app, String host, boolean tls) {
        this.app = app;
        this.host = host;
        this.tls = tls;
    }

    /**
     * Starts a registry; port 0 picks a free one.
     *
     * @param journal where schemas are kept across restarts, or null to keep them in memory only
     */
    public static DevSchemaRegistry start(String host, int port, Path journal) throws IOException {
        return start(host, port, journal, RegistrySecurity.none());
    }

    /** Starts a registry serving HTTPS and/or requiring basic authentication, as security says. */
    public static DevSchemaRegistry start(
            String host, int port, Path journal, RegistrySecurity security) throws IOException {
        RegistryHttpApi api = new RegistryHttpApi(new SchemaStore(journal), security);
        Javalin app =
                Javalin.create(
                        config -> {
                            config.startup.showJavalinBanner = false;
                            config.jetty.addConnector(
                                    (server, http) ->
                                            connector(server, http, host, port, security));
                            api.configure(config);
                        });
        app.start();
        return new DevSchemaRegistry(app, host, security.tls() != null);
    }

    private static ServerConnector connector(
            Server server,
            HttpConfiguration http,
            String host,
            int port,
            RegistrySecurity security) {
        SslContextFactory.Server tls = null;
        if (security.tls() != null) {
            tls = new SslContextFactory.Server();
            tls.setSslContext(security.tls());
        }
        return JettyConnectors.connector(server, http, host, port, tls, IDLE_TIMEOUT_MILLIS);
    }

    public String url() {
        int port = ((ServerConnector) app.jettyServer().server().getConnectors()[0]).getLocalPort();
        return (tls ? "https://" : "http://") + host + ":" + port;
    }

    @Override
    public void close() {
        app.stop();
    }

    public static void main(String[] args) throws IOException {
        String host = "127.0.0.1";
        int port = DEFAULT_PORT;
        Path journal = null;
        Path keystore = null;
        Path keystorePassword = null;
        Path users = null;
        for (int i = 0; i < args.length; i++) {
            String value = i + 1 < args.length ? args[i + 1] : null;
            switch (args[i]) {
                case "--host" -> host = require(args[i], value);
                case "--port" -> port = Integer.parseInt(require(args[i], value));
                case "--data" -> journal = Path.of(require(args[i], value));
                case "--tls-keystore" -> keystore = Path.of(require(args[i], value));
                case "--tls-keystore-password-file" ->
                        keystorePassword = Path.of(require(args[i], value));
                case "--users" -> users = Path.of(require(args[i], value));
                case "--help", "-h" -> {
                    System.out.println(
                            "usage: DevSchemaRegistry [--host 127.0.0.1] [--port "
                                    + DEFAULT_PORT
                                    + "] [--data <journal file>]"
                                    + " [--tls-keystore <PKCS12 file> --tls-keystore-password-file <file>]"
                                    + " [--users <file of user:password lines>]");
                    return;
                }
                default -> {
                    System.err.println("unknown option " + args[i] + " (try --help)");
                    System.exit(2);
                }
            }
            i++;
        }
        DevSchemaRegistry registry =
                start(host, port, journal, RegistrySecurity.of(keystore, keystorePassword, users));
        Runtime.getRuntime()
                .addShutdownHook(new Thread(registry::close, "dev-schema-registry-shutdown"));
        System.out.println(
                "twinlog development schema registry listening on "
                        + registry.url()
                        + (journal == null ? " (in memory)" : " (journal " + journal + ")")
                        + (users == null ? "" : ", basic authentication"));
    }

    private static String require(String option, String value) {
        if (value == null) {
            System.err.println(option + " needs a value");
            System.exit(2);
        }
        return value;
    }
}
