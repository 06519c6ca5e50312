package io.twinlog.cli.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The CLI's --command-config file: Kafka's properties and the registry's two settings. */
public class ClientConfigTest {

    @TempDir Path dir;

    private ClientConfig read(String text) throws Exception {
        Path file = dir.resolve("client.properties");
        Files.writeString(file, text);
        return ClientConfig.read(file);
    }

    @Test
    void splitsKafkasPropertiesFromTheRegistrysAndDeclaresProvidersForReferences()
            throws Exception {
        ClientConfig config =
                read(
                        """
                        security.protocol=SASL_SSL
                        sasl.jaas.config=${file:/secrets/gateway.secret:sasl.jaas.config}
                        schema.registry.basic.auth.user.info=${env:REGISTRY_USER_INFO}
                        schema.registry.ssl.truststore.location=/secrets/ca.pem
                        """);

        assertThat(config.kafka()).containsOnlyKeys("security.protocol", "sasl.jaas.config");
        assertThat(config.kafkaProperties())
                .containsEntry("config.providers", "env,file,directory")
                .containsEntry("security.protocol", "SASL_SSL");
        assertThat(config.registry().userInfo()).isEqualTo("${env:REGISTRY_USER_INFO}");
        assertThat(config.registry().trustedCertificates()).isEqualTo("/secrets/ca.pem");
    }

    @Test
    void refusesWhatItWouldOtherwiseIgnoreOrOverride() {
        assertThatThrownBy(() -> read("schema.registry.url=https://r:8081\n"))
                .hasMessageContaining("unknown registry setting schema.registry.url");
        assertThatThrownBy(() -> read("bootstrap.servers=elsewhere:9092\n"))
                .hasMessageContaining("give Kafka's address with --bootstrap-servers");
        assertThatThrownBy(() -> ClientConfig.read(dir.resolve("missing.properties")))
                .hasMessageContaining("--command-config: cannot read");
    }

    @Test
    void noFileIsNoSettings() {
        assertThat(ClientConfig.read(null)).isEqualTo(ClientConfig.none());
        assertThat(ClientConfig.none().kafkaProperties()).isEmpty();
    }
}
