package io.twinlog.http;

import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.util.ssl.SslContextFactory;

/** The one connector each of twinlog's HTTP services listens on: plain HTTP or TLS. */
public final class JettyConnectors {

    private JettyConnectors() {}

    /**
     * @param tls the TLS set-up, or null for plain HTTP
     * @param idleTimeoutMillis how long a connection that sends or reads nothing is kept: a client
     *     that sends half a request must not hold a thread
     */
    public static ServerConnector connector(
            Server server,
            HttpConfiguration http,
            String host,
            int port,
            SslContextFactory.Server tls,
            long idleTimeoutMillis) {
        ServerConnector connector;
        if (tls == null) {
            connector = new ServerConnector(server, new HttpConnectionFactory(http));
        } else {
            // SNI host checks are left to the services' own Host check
            http.addCustomizer(new SecureRequestCustomizer(false));
            connector =
                    new ServerConnector(
                            server,
                            new SslConnectionFactory(tls, "http/1.1"),
                            new HttpConnectionFactory(http));
        }
        connector.setHost(host);
        connector.setPort(port);
        connector.setIdleTimeout(idleTimeoutMillis);
        return connector;
    }
}
