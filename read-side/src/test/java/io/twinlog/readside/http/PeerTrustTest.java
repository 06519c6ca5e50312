package io.twinlog.readside.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An instance of a group reaches another that serves the same self-signed certificate (as the
 * secured local stack and a Kubernetes Secret give them), which the JVM's trust store refuses.
 */
class PeerTrustTest {

    @TempDir Path dir;

    @Test
    void anInstanceTrustsThePeersThatServeItsOwnCertificate() throws Exception {
        Path keystore = dir.resolve("server.p12");
        Process keytool =
                new ProcessBuilder(
                                Path.of(System.getProperty("java.home"), "bin", "keytool")
                                        .toString(),
                                "-genkeypair",
                                "-alias",
                                "localhost",
                                "-keyalg",
                                "RSA",
                                "-keysize",
                                "2048",
                                "-validity",
                                "2",
                                "-dname",
                                "CN=localhost",
                                "-ext",
                                "SAN=dns:localhost,ip:127.0.0.1",
                                "-keystore",
                                keystore.toString(),
                                "-storetype",
                                "PKCS12",
                                "-storepass",
                                "peer-secret")
                        .redirectErrorStream(true)
                        .start();
        assertThat(keytool.waitFor())
                .as(new String(keytool.getInputStream().readAllBytes()))
                .isZero();
        ReadSideAccess.Tls tls = new ReadSideAccess.Tls(keystore, "peer-secret");

        HttpsServer peer = HttpsServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        peer.setHttpsConfigurator(new HttpsConfigurator(serving(tls)));
        peer.createContext(
                "/api/info",
                exchange -> {
                    byte[] body = "{}".getBytes(StandardCharsets.UTF_8);
                    exchange.sendResponseHeaders(200, body.length);
                    exchange.getResponseBody().write(body);
                    exchange.close();
                });
        peer.start();
        try {
            URI uri = URI.create("https://localhost:" + peer.getAddress().getPort() + "/api/info");
            HttpRequest request = HttpRequest.newBuilder(uri).build();

            HttpClient trusting = HttpClient.newBuilder().sslContext(PeerTrust.of(tls)).build();
            assertThat(trusting.send(request, HttpResponse.BodyHandlers.ofString()).statusCode())
                    .isEqualTo(200);

            HttpClient jvm = HttpClient.newHttpClient();
            assertThatThrownBy(() -> jvm.send(request, HttpResponse.BodyHandlers.ofString()))
                    .as("the JVM's trust store does not know the certificate")
                    .isInstanceOf(SSLHandshakeException.class);
        } finally {
            peer.stop(0);
        }
    }

    @Test
    void anUnreadableKeystoreIsNamed() {
        Path missing = dir.resolve("missing.p12");
        assertThatThrownBy(() -> PeerTrust.of(new ReadSideAccess.Tls(missing, "x")))
                .hasMessageContaining(missing.toString());
    }

    private static SSLContext serving(ReadSideAccess.Tls tls) throws Exception {
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(tls.keystore())) {
            store.load(in, tls.password().toCharArray());
        }
        KeyManagerFactory keys =
                KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keys.init(store, tls.password().toCharArray());
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(keys.getKeyManagers(), null, null);
        return context;
    }
}
