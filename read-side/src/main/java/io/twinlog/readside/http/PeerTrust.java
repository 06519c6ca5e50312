package io.twinlog.readside.http;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.util.Collections;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * What an instance of a read-side group trusts when it sends a question on to another: the
 * certificates of its own keystore. Every instance of a group serves the same certificate (one
 * Secret on Kubernetes, one keystore on the local stack), which names them all, and it is rarely
 * signed by a CA the JVM trusts, so the JVM's own trust store would refuse every peer.
 */
final class PeerTrust {

    private PeerTrust() {}

    static SSLContext of(ReadSideAccess.Tls tls) {
        try {
            KeyStore own = KeyStore.getInstance("PKCS12");
            try (InputStream in = Files.newInputStream(tls.keystore())) {
                own.load(in, tls.password().toCharArray());
            }
            KeyStore trusted = KeyStore.getInstance(KeyStore.getDefaultType());
            trusted.load(null, null);
            for (String alias : Collections.list(own.aliases())) {
                Certificate[] chain = own.getCertificateChain(alias);
                if (chain == null && own.getCertificate(alias) != null) {
                    chain = new Certificate[] {own.getCertificate(alias)};
                }
                for (int i = 0; chain != null && i < chain.length; i++) {
                    trusted.setCertificateEntry(alias + "-" + i, chain[i]);
                }
            }
            TrustManagerFactory trust =
                    TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            trust.init(trusted);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, trust.getTrustManagers(), null);
            return context;
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalArgumentException(
                    "cannot read the certificates of " + tls.keystore() + ": " + e.getMessage(), e);
        }
    }
}
