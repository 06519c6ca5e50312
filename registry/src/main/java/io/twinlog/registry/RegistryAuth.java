package io.twinlog.registry;

import io.twinlog.config.Secrets;
import java.io.IOException;
import java.io.InputStream;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.util.Base64;
import java.util.Collection;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * How to authenticate to the schema registry and which certificates to trust, beyond the URL: HTTP
 * basic authentication ({@code user:password}, usually a {@code ${env:...}} or {@code ${file:...}}
 * reference resolved where the client is made, so that only the reference travels) and a PEM file
 * of the certificates to trust for {@code https} URLs (the JVM's trust store when absent).
 *
 * <p>The names are those of Confluent's clients: {@value #USER_INFO} and {@value #TRUSTSTORE}.
 */
public record RegistryAuth(String userInfo, String trustedCertificates, SecretResolver secrets)
        implements Serializable {

    public static final String USER_INFO = "schema.registry.basic.auth.user.info";
    public static final String TRUSTSTORE = "schema.registry.ssl.truststore.location";

    /** Literal settings: a reference in them is refused (see {@link SecretResolver#LITERAL}). */
    public RegistryAuth(String userInfo, String trustedCertificates) {
        this(userInfo, trustedCertificates, SecretResolver.LITERAL);
    }

    public static RegistryAuth none() {
        return new RegistryAuth(null, null);
    }

    /** The Authorization header's value, or null without user info. */
    String authorization() {
        if (userInfo == null || userInfo.isBlank()) {
            return null;
        }
        String resolved = secrets.resolve(USER_INFO, userInfo);
        if (!resolved.contains(":")) {
            throw new IllegalArgumentException(USER_INFO + " must be user:password");
        }
        return "Basic "
                + Base64.getEncoder().encodeToString(resolved.getBytes(StandardCharsets.UTF_8));
    }

    /** An SSL context trusting the given certificates, or null for the JVM's default. */
    SSLContext sslContext() {
        if (trustedCertificates == null || trustedCertificates.isBlank()) {
            return null;
        }
        Path file = Path.of(trustedCertificates);
        try (InputStream in = Files.newInputStream(file)) {
            Collection<? extends Certificate> certificates =
                    CertificateFactory.getInstance("X.509").generateCertificates(in);
            if (certificates.isEmpty()) {
                throw new IllegalArgumentException(
                        TRUSTSTORE + ": no certificate in " + file + " (expected PEM)");
            }
            KeyStore trusted = KeyStore.getInstance(KeyStore.getDefaultType());
            trusted.load(null, null);
            int i = 0;
            for (Certificate certificate : certificates) {
                trusted.setCertificateEntry("registry-" + i++, certificate);
            }
            TrustManagerFactory trust =
                    TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            trust.init(trusted);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, trust.getTrustManagers(), null);
            return context;
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalArgumentException(
                    TRUSTSTORE + ": cannot read certificates from " + file + ": " + e.getMessage(),
                    e);
        }
    }

    @Override
    public String toString() {
        return "RegistryAuth[userInfo="
                + Secrets.shown(USER_INFO, userInfo)
                + ", trustedCertificates="
                + trustedCertificates
                + "]";
    }
}
