package io.twinlog.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

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
    void aUserInfoHidesItsPasswordWhenThePasswordIsAReference() {
        assertThat(Secrets.isPasswordByReference("${env:USER_INFO}")).isTrue();
        assertThat(Secrets.isPasswordByReference("console:${file:/s/console.secret:password}"))
                .isTrue();
        assertThat(Secrets.isPasswordByReference("console:hunter2")).isFalse();
        assertThat(Secrets.isPasswordByReference("console:pw${env:SUFFIX}")).isFalse();
        assertThat(Secrets.isPasswordByReference("${env:USER}:hunter2")).isFalse();
        assertThat(Secrets.isPasswordByReference(null)).isFalse();
    }
}
