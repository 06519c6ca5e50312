package io.twinlog.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SecretsTest {

    @Test
    void namesThatHoldSecrets() {
        assertThat(Secrets.isSecret("sasl.jaas.config")).isTrue();
        assertThat(Secrets.isSecret("ssl.keystore.password")).isTrue();
        assertThat(Secrets.isSecret("ssl.key.password")).isTrue();
        assertThat(Secrets.isSecret("ssl.keystore.key")).isTrue();
        assertThat(Secrets.isSecret("schema.registry.basic.auth.user.info")).isTrue();
        assertThat(Secrets.isSecret("sasl.oauthbearer.client.credentials.client.secret")).isTrue();
        assertThat(Secrets.isSecret("security.protocol")).isFalse();
        assertThat(Secrets.isSecret("ssl.truststore.location")).isFalse();
        assertThat(Secrets.isSecret("sasl.mechanism")).isFalse();
        assertThat(Secrets.isSecret("api.token")).isTrue();
        assertThat(Secrets.isSecret("sasl.oauthbearer.token.endpoint.url")).isFalse();
    }

    @Test
    void literalSecretsAreHiddenReferencesAndOtherValuesShown() {
        assertThat(Secrets.shown("sasl.jaas.config", "ScramLoginModule required password=\"x\";"))
                .isEqualTo("[hidden]");
        assertThat(Secrets.shown("sasl.jaas.config", "${file:/etc/k.properties:jaas}"))
                .isEqualTo("${file:/etc/k.properties:jaas}");
        assertThat(Secrets.shown("security.protocol", "SASL_SSL")).isEqualTo("SASL_SSL");
        assertThat(Secrets.shown("schema.registry.url", "https://bob:s3cret@r1:8081,http://r2"))
                .isEqualTo("https://bob:[hidden]@r1:8081,http://r2");
        assertThat(Secrets.shown(Map.of("ssl.key.password", "p")))
                .containsEntry("ssl.key.password", "[hidden]");
    }

    @Test
    void aReferenceIsOnlyReferences() {
        assertThat(Secrets.isReference("${env:A}")).isTrue();
        assertThat(Secrets.isReference("${env:A}${file:/f:k}")).isTrue();
        assertThat(Secrets.isReference("user:${env:A}")).isFalse();
        assertThat(Secrets.isReference("plain")).isFalse();
        assertThat(Secrets.isReference("")).isFalse();
    }

    @Test
    void resolvesEnvironmentFileAndDirectoryReferences(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("client.properties");
        Files.writeString(file, "registry.user.info=bob:s3cret\n");
        Files.writeString(dir.resolve("password"), "pw\n");

        assertThat(Secrets.resolve("x", "${env:TOKEN}", Map.of("TOKEN", "t0k")::get))
                .isEqualTo("t0k");
        assertThat(Secrets.resolve("x", "${file:" + file + ":registry.user.info}"))
                .isEqualTo("bob:s3cret");
        assertThat(Secrets.resolve("x", "alice:${directory:" + dir + ":password}"))
                .isEqualTo("alice:pw");
        assertThat(Secrets.resolve("x", "no reference")).isEqualTo("no reference");
    }

    @Test
    void anUnresolvableReferenceNamesTheSettingAndTheReference(@TempDir Path dir) {
        assertThatThrownBy(() -> Secrets.resolve("user.info", "${env:NOPE}", name -> null))
                .hasMessage("user.info: ${env:NOPE} is not set");
        assertThatThrownBy(
                        () ->
                                Secrets.resolve(
                                        "user.info", "${file:" + dir.resolve("missing") + ":k}"))
                .hasMessageContaining("user.info: ${file:")
                .hasMessageContaining("cannot be read");
        assertThatThrownBy(() -> Secrets.resolve("user.info", "${vault:a:b}"))
                .hasMessageContaining("unknown provider 'vault'");
    }
}
