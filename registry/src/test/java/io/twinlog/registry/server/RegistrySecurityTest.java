package io.twinlog.registry.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.twinlog.registry.RegistryAuth;
import io.twinlog.registry.RegistryException;
import io.twinlog.registry.RegistryRestClient;
import io.twinlog.registry.RegistryUnavailableException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The development registry on HTTPS with basic authentication, and the client's settings for it.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RegistrySecurityTest {

    private Path dir;
    private DevSchemaRegistry registry;
    private Path certificate;

    @BeforeAll
    void start(@TempDir Path tempDir) throws Exception {
        dir = tempDir;
        Path keystore = dir.resolve("server.p12");
        Path password = dir.resolve("keystore.password");
        Files.writeString(password, "store-pass\n");
        keytool(
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
                "store-pass");
        certificate = dir.resolve("ca.pem");
        keytool(
                "-exportcert",
                "-rfc",
                "-alias",
                "localhost",
                "-keystore",
                keystore.toString(),
                "-storepass",
                "store-pass",
                "-file",
                certificate.toString());
        Path users = dir.resolve("users");
        Files.writeString(users, "# user:password\ngateway:g-pass\njob:j-pass\n");
        registry =
                DevSchemaRegistry.start(
                        "127.0.0.1", 0, null, RegistrySecurity.of(keystore, password, users));
    }

    @AfterAll
    void stop() {
        registry.close();
    }

    private String url() {
        return registry.url().replace("127.0.0.1", "localhost");
    }

    @Test
    void servesHttpsToAClientTrustingItsCertificateWithCredentials() throws Exception {
        assertThat(registry.url()).startsWith("https://");
        RegistryRestClient client =
                new RegistryRestClient(
                        url(),
                        Duration.ofSeconds(5),
                        new RegistryAuth("job:j-pass", certificate.toString()));
        assertThat(client.subjects()).isEqualTo(List.of());
    }

    @Test
    void credentialsMayBeAReferenceResolvedWhenTheClientIsMade() throws Exception {
        List<String> asked = new java.util.ArrayList<>();
        RegistryRestClient client =
                new RegistryRestClient(
                        url(),
                        Duration.ofSeconds(5),
                        new RegistryAuth(
                                "${env:JOB_REGISTRY}",
                                certificate.toString(),
                                (setting, value) -> {
                                    asked.add(setting + "=" + value);
                                    return "job:j-pass";
                                }));
        assertThat(client.subjects()).isEmpty();
        assertThat(asked).containsExactly(RegistryAuth.USER_INFO + "=${env:JOB_REGISTRY}");
    }

    @Test
    void aReferenceWithoutAResolverIsRefusedRatherThanSentAsItIs() {
        assertThatThrownBy(
                        () ->
                                new RegistryRestClient(
                                        url(),
                                        Duration.ofSeconds(5),
                                        new RegistryAuth("${env:JOB_REGISTRY}", null)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(RegistryAuth.USER_INFO);
    }

    @Test
    void missingOrWrongCredentialsAre401NamingTheSetting() {
        for (String userInfo : new String[] {null, "job:wrong", "nobody:j-pass"}) {
            RegistryRestClient client =
                    new RegistryRestClient(
                            url(),
                            Duration.ofSeconds(5),
                            new RegistryAuth(userInfo, certificate.toString()));
            assertThatThrownBy(client::subjects)
                    .as("user info %s", userInfo)
                    .isInstanceOf(RegistryException.class)
                    .hasMessageContaining("HTTP 401")
                    .hasMessageContaining(RegistryAuth.USER_INFO)
                    .satisfies(e -> assertThat(((RegistryException) e).status()).isEqualTo(401));
        }
    }

    @Test
    void aClientThatDoesNotTrustTheCertificateCannotConnect() {
        RegistryRestClient client =
                new RegistryRestClient(
                        url(), Duration.ofSeconds(5), new RegistryAuth("job:j-pass", null));
        assertThatThrownBy(client::subjects)
                .isInstanceOf(RegistryUnavailableException.class)
                .hasMessageContaining("SSLHandshakeException");
    }

    @Test
    void theAuthSettingsPrintWithoutTheirSecret() {
        assertThat(new RegistryAuth("job:j-pass", "/ca.pem").toString())
                .doesNotContain("j-pass")
                .contains("[hidden]");
    }

    private static void keytool(String... args) throws Exception {
        List<String> command = new java.util.ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes());
        assertThat(process.waitFor()).as(output).isZero();
    }
}
