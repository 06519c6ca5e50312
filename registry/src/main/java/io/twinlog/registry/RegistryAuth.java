package io.twinlog.registry;

import io.twinlog.config.Secrets;
import io.twinlog.http.BasicCredentials;
import io.twinlog.http.TrustedCertificates;
import java.io.Serializable;
import java.nio.file.Path;
import javax.net.ssl.SSLContext;

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
        return BasicCredentials.header(resolved);
    }

    /** An SSL context trusting the given certificates, or null for the JVM's default. */
    SSLContext sslContext() {
        return trustedCertificates == null || trustedCertificates.isBlank()
                ? null
                : TrustedCertificates.sslContext(TRUSTSTORE, Path.of(trustedCertificates));
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
