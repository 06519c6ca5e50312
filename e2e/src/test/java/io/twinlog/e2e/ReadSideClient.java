package io.twinlog.e2e;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Base64;
import java.util.Set;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;

/** HTTPS requests to the secured read side, trusting the stack's own certificate only. */
final class ReadSideClient {

    /** The routes anyone may call: the probe, the API's description and the login. */
    static final Set<String> PUBLIC =
            Set.of("get /health", "get /api/openapi.json", "post /api/session");

    final String base;
    private final X509Certificate certificate;
    private final SSLContext tls;
    private final HttpClient http;

    ReadSideClient(String base, Path caPem) throws IOException, GeneralSecurityException {
        this.base = base;
        try (InputStream in = Files.newInputStream(caPem)) {
            certificate =
                    (X509Certificate)
                            CertificateFactory.getInstance("X.509").generateCertificate(in);
        }
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("stack", certificate);
        TrustManagerFactory factory =
                TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        factory.init(trust);
        tls = SSLContext.getInstance("TLS");
        tls.init(null, factory.getTrustManagers(), null);
        http =
                HttpClient.newBuilder()
                        .sslContext(tls)
                        .connectTimeout(Duration.ofSeconds(10))
                        .build();
    }

    HttpResponse<String> get(String path, String authorization) throws Exception {
        return call("get " + path, authorization);
    }

    /** {@code method path} of the OpenAPI document, a device id put in for {@code {id}}. */
    HttpResponse<String> call(String route, String authorization) throws Exception {
        String[] parts = route.split(" ", 2);
        HttpRequest.Builder request =
                HttpRequest.newBuilder(URI.create(base + parts[1].replace("{id}", "sim-00001")))
                        .timeout(Duration.ofSeconds(20))
                        .header(
                                "Accept",
                                parts[1].endsWith("/stream") ? "text/event-stream" : "*/*");
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        if (parts[0].equals("post")) {
            request.header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{}"));
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** The status of a request with this Host header (which Java's client does not let set). */
    int statusWithHost(String path, String host, String authorization) throws IOException {
        URI uri = URI.create(base);
        try (SSLSocket socket =
                (SSLSocket) tls.getSocketFactory().createSocket(uri.getHost(), uri.getPort())) {
            socket.setSoTimeout(20_000);
            OutputStream out = socket.getOutputStream();
            out.write(
                    ("GET "
                                    + path
                                    + " HTTP/1.1\r\nHost: "
                                    + host
                                    + "\r\nAuthorization: "
                                    + authorization
                                    + "\r\nConnection: close\r\n\r\n")
                            .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            String status =
                    new String(socket.getInputStream().readNBytes(12), StandardCharsets.US_ASCII);
            return Integer.parseInt(status.substring(9, 12));
        }
    }

    /** Whether the TLS port answers a plain HTTP request with a page (it must not). */
    boolean plainHttpAnswers() throws IOException {
        URI uri = URI.create(base);
        try (Socket socket = new Socket(uri.getHost(), uri.getPort())) {
            socket.setSoTimeout(20_000);
            socket.getOutputStream()
                    .write(
                            "GET /api/info HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n"
                                    .getBytes(StandardCharsets.US_ASCII));
            String answer =
                    new String(socket.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
            return answer.contains("\"indexedThrough\"");
        } catch (java.net.SocketException e) {
            return false;
        }
    }

    /** The base64 SHA-256 of the certificate's public key: what Chromium is told to trust. */
    String spki() throws GeneralSecurityException {
        return Base64.getEncoder()
                .encodeToString(
                        MessageDigest.getInstance("SHA-256")
                                .digest(certificate.getPublicKey().getEncoded()));
    }
}
