package io.twinlog.cli.options;

import io.twinlog.cli.output.CliException;
import io.twinlog.config.Secrets;
import io.twinlog.options.SecretReferences;
import io.twinlog.readside.http.JwtVerifier;
import io.twinlog.readside.http.PasswordFile;
import io.twinlog.readside.http.ReadSideAccess;
import java.io.IOException;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import picocli.CommandLine.Option;

/**
 * Who may reach {@code twinlog serve} (docs/SECURITY.md, "The read side"): TLS, authentication by a
 * password file or JWT bearer tokens, the Host names it answers to. {@code --secure} refuses to
 * start without TLS and an authentication.
 */
public final class ServeAccessOptions {

    @Option(
            names = "--password-file",
            paramLabel = "<file>",
            description =
                    "users for HTTP Basic and the console's login, one per line"
                            + " (name:scopes:hash; --hash-password makes a line)")
    public Path passwordFile;

    @Option(
            names = "--jwks",
            paramLabel = "<file|url>",
            description = "keys that sign bearer tokens (a JWKS file, or the issuer's JWKS URL)")
    String jwks;

    @Option(names = "--jwt-issuer", description = "the tokens' iss (with --jwks)")
    String issuer;

    @Option(names = "--jwt-audience", description = "the tokens' aud (with --jwks)")
    String audience;

    @Option(
            names = "--tls-keystore",
            paramLabel = "<file>",
            description = "a PKCS12 keystore with the service's key and certificate: HTTPS")
    public Path keystore;

    @Option(
            names = "--tls-keystore-password",
            paramLabel = "<reference>",
            description =
                    "its password, by reference only: $${env:NAME}, $${file:path:key} or"
                            + " $${directory:dir:file}")
    public String keystorePassword;

    @Option(
            names = "--allowed-hosts",
            split = ",",
            paramLabel = "<name>",
            description =
                    "the names the service is reached by (its Host header); default: localhost"
                            + " names and --host; * for any")
    public List<String> allowedHosts;

    @Option(
            names = "--secure",
            description =
                    "refuse to start without TLS and an authentication (--password-file or --jwks)")
    public boolean secure;

    public ReadSideAccess access(String host, int port) throws IOException {
        ReadSideAccess.Authentication authentication =
                new ReadSideAccess.Authentication(
                        passwordFile == null ? null : PasswordFile.read(passwordFile), tokens());
        ReadSideAccess.Tls tls = null;
        if (keystore != null) {
            if (keystorePassword == null || !Secrets.isReference(keystorePassword)) {
                throw new CliException(
                        "--tls-keystore-password must be a reference (${env:NAME},"
                                + " ${file:path:key}), never the password itself");
            }
            tls =
                    new ReadSideAccess.Tls(
                            keystore,
                            SecretReferences.INSTANCE.resolve(
                                    "--tls-keystore-password", keystorePassword));
        }
        if (secure && (tls == null || authentication.none())) {
            throw new CliException(
                    "--secure: the read side serves twins, history and alerts, so it needs"
                            + (tls == null ? " --tls-keystore" : "")
                            + (tls == null && authentication.none() ? " and" : "")
                            + (authentication.none() ? " --password-file or --jwks" : ""));
        }
        Set<String> hosts =
                allowedHosts == null
                        ? ReadSideAccess.localNames(host)
                        : new HashSet<>(
                                allowedHosts.stream()
                                        .map(h -> h.toLowerCase(Locale.ROOT))
                                        .toList());
        return new ReadSideAccess(host, port, hosts, authentication, tls);
    }

    private JwtVerifier tokens() throws IOException {
        if (jwks == null) {
            return null;
        }
        if (issuer == null || audience == null) {
            throw new CliException("--jwks needs --jwt-issuer and --jwt-audience");
        }
        return new JwtVerifier(jwks, issuer, audience);
    }
}
