package io.twinlog.registry.server;

import io.twinlog.http.BasicCredentials;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;

/**
 * The development registry's TLS (a PKCS12 key store) and users (HTTP basic authentication), each
 * optional.
 *
 * @param tls null for plain HTTP
 * @param users user name to password; empty for no authentication
 */
public record RegistrySecurity(SSLContext tls, Map<String, String> users) {

    public static RegistrySecurity none() {
        return new RegistrySecurity(null, Map.of());
    }

    /**
     * @param keystore a PKCS12 key store with the server's key and certificate, or null
     * @param keystorePassword a file holding its password
     * @param users a file of {@code user:password} lines, or null
     */
    public static RegistrySecurity of(Path keystore, Path keystorePassword, Path users)
            throws IOException {
        SSLContext tls = null;
        if (keystore != null) {
            if (keystorePassword == null) {
                throw new IllegalArgumentException(
                        "--tls-keystore needs --tls-keystore-password-file");
            }
            tls = tls(keystore, Files.readString(keystorePassword).strip().toCharArray());
        }
        return new RegistrySecurity(tls, users == null ? Map.of() : users(users));
    }

    /**
     * Whether a request with this {@code Authorization} header may use the registry: any request
     * without users, otherwise one with a user's HTTP basic credentials.
     */
    boolean allows(String authorization) {
        if (users.isEmpty()) {
            return true;
        }
        BasicCredentials credentials = BasicCredentials.parse(authorization);
        if (credentials == null) {
            return false;
        }
        String expected = users.get(credentials.user());
        // constant time: the comparison does not tell how much of a guess was right
        return expected != null
                && MessageDigest.isEqual(
                        expected.getBytes(StandardCharsets.UTF_8),
                        credentials.password().getBytes(StandardCharsets.UTF_8));
    }

    private static SSLContext tls(Path keystore, char[] password) throws IOException {
        try (InputStream in = Files.newInputStream(keystore)) {
            KeyStore keys = KeyStore.getInstance("PKCS12");
            keys.load(in, password);
            KeyManagerFactory factory =
                    KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            factory.init(keys, password);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(factory.getKeyManagers(), null, null);
            return context;
        } catch (GeneralSecurityException e) {
            throw new IOException(
                    "cannot load the key store " + keystore + ": " + e.getMessage(), e);
        }
    }

    private static Map<String, String> users(Path file) throws IOException {
        Map<String, String> users = new LinkedHashMap<>();
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        for (String line : lines) {
            String trimmed = line.strip();
            if (trimmed.isEmpty() || trimmed.startsWith("#")) {
                continue;
            }
            int colon = trimmed.indexOf(':');
            if (colon <= 0) {
                throw new IllegalArgumentException(
                        "--users " + file + ": expected user:password lines");
            }
            users.put(trimmed.substring(0, colon), trimmed.substring(colon + 1));
        }
        if (users.isEmpty()) {
            throw new IllegalArgumentException("--users " + file + ": no user in it");
        }
        return Map.copyOf(users);
    }
}
