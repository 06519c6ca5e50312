package io.twinlog.cli.options;

import io.twinlog.cli.output.CliException;
import io.twinlog.cli.readside.ReadSideClient;
import io.twinlog.config.Secrets;
import io.twinlog.http.BasicCredentials;
import io.twinlog.http.TrustedCertificates;
import io.twinlog.options.SecretReferences;
import java.nio.file.Path;
import java.time.Duration;
import picocli.CommandLine.Option;

/**
 * Where the running read side is, for the commands that ask it (history, as-of, verify-read-side),
 * or {@code --offline} to index the log in the CLI's own process instead.
 */
public final class ReadSideService {

    @Option(
            names = "--read-side-url",
            paramLabel = "<url>",
            defaultValue = "${env:TWINLOG_READ_SIDE_URL:-http://localhost:8090}",
            description = "the running read side (twinlog serve; default: ${DEFAULT-VALUE})")
    String url;

    // No defaultValue from the environment: picocli would interpolate the reference in it.
    @Option(
            names = "--read-side-user-info",
            paramLabel = "<reference>",
            description =
                    "user:password for its HTTP Basic authentication, as a reference"
                            + " ($${env:NAME}, $${file:path:key}); default: TWINLOG_READ_SIDE_USER_INFO")
    String userInfo;

    @Option(
            names = "--read-side-ca",
            paramLabel = "<pem file>",
            defaultValue = "${env:TWINLOG_READ_SIDE_CA}",
            description = "certificates to trust for an https read side (default: the JVM's)")
    Path certificates;

    @Option(
            names = "--offline",
            description =
                    "do not ask the running read side: index the log in this process first (slower:"
                            + " seconds to minutes; works with the stack's read side down)")
    public boolean offline;

    public ReadSideClient client(Duration timeout) {
        String userInfo =
                this.userInfo != null
                        ? this.userInfo
                        : System.getenv("TWINLOG_READ_SIDE_USER_INFO");
        String authorization = null;
        if (userInfo != null && !userInfo.isBlank()) {
            if (!Secrets.isPasswordByReference(userInfo)) {
                throw new CliException(
                        "--read-side-user-info must give the password by reference (user:${file:path:key},"
                                + " ${env:NAME}), never the password itself");
            }
            String resolved;
            try {
                resolved = SecretReferences.INSTANCE.resolve("--read-side-user-info", userInfo);
            } catch (IllegalArgumentException e) {
                throw new CliException(e.getMessage());
            }
            authorization = BasicCredentials.header(resolved);
        }
        try {
            return new ReadSideClient(
                    url,
                    timeout,
                    authorization,
                    certificates == null
                            ? null
                            : TrustedCertificates.sslContext("--read-side-ca", certificates));
        } catch (IllegalArgumentException e) {
            throw new CliException(e.getMessage());
        }
    }
}
