package io.twinlog.options;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The job's Kafka client pass-through and its secrets. */
class KafkaClientOptionsTest {

    private static final String JAAS =
            "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"job\""
                    + " password=\"pa55word\";";

    @Test
    void propertiesArePassedToTheClientsWithProvidersForReferences() throws Exception {
        DeviceTwinJobOptions options =
                DeviceTwinJobOptions.parse(
                        "--properties.security.protocol",
                        "SASL_SSL",
                        "--properties.sasl.jaas.config",
                        "${file:/etc/twinlog/job.secret:sasl.jaas.config}");

        Properties kafka = options.kafkaProperties();
        assertThat(kafka)
                .containsEntry("security.protocol", "SASL_SSL")
                .containsEntry(
                        "sasl.jaas.config", "${file:/etc/twinlog/job.secret:sasl.jaas.config}")
                .containsEntry("config.providers", "env,file,directory")
                .containsEntry(
                        "config.providers.file.class",
                        "org.apache.kafka.common.config.provider.FileConfigProvider");
        assertThat(options.asText())
                .containsEntry("properties.security.protocol", "SASL_SSL")
                .containsEntry(
                        "properties.sasl.jaas.config",
                        "${file:/etc/twinlog/job.secret:sasl.jaas.config}");
    }

    @Test
    void withoutReferencesNoProvidersAreDeclared() throws Exception {
        assertThat(
                        DeviceTwinJobOptions.parse("--properties.security.protocol", "SSL")
                                .kafkaProperties())
                .containsOnlyKeys("security.protocol");
        assertThat(DeviceTwinJobOptions.parse().kafkaProperties()).isEmpty();
    }

    @Test
    void aLiteralSecretOnTheCommandLineIsRefusedWithoutEchoingIt() {
        assertThatThrownBy(() -> DeviceTwinJobOptions.parse("--properties.sasl.jaas.config", JAAS))
                .hasMessageStartingWith(
                        "--properties.sasl.jaas.config: a secret given on the command line shows in the Flink web UI")
                .hasMessageNotContaining("pa55word");
        assertThatThrownBy(
                        () ->
                                DeviceTwinJobOptions.parse(
                                        "--schema.registry.basic.auth.user.info", "job:pa55word"))
                .hasMessageNotContaining("pa55word");
        assertThatThrownBy(
                        () ->
                                DeviceTwinJobOptions.parse(
                                        "--schema.registry.url",
                                        "https://job:pa55word@registry:8081"))
                .hasMessageContaining("--schema.registry.url: a secret")
                .hasMessageNotContaining("pa55word");
    }

    @Test
    void aLiteralSecretInTheConfigFileIsAcceptedAndHiddenEverywhereItIsPrinted(@TempDir Path dir)
            throws Exception {
        Path file = dir.resolve("job.conf");
        Properties conf = new Properties();
        conf.setProperty("properties.sasl.jaas.config", JAAS);
        conf.setProperty("schema.registry.basic.auth.user.info", "job:pa55word");
        conf.setProperty("schema.registry.url", "https://job:pa55word@registry:8081");
        try (var out = Files.newBufferedWriter(file)) {
            conf.store(out, null);
        }

        DeviceTwinJobOptions options = DeviceTwinJobOptions.parse("--config", file.toString());

        assertThat(options.kafkaProperties()).containsEntry("sasl.jaas.config", JAAS);
        assertThat(options.registryAuth().userInfo()).isEqualTo("job:pa55word");
        assertThat(options.asText().toString()).doesNotContain("pa55word").contains("[hidden]");
        assertThat(options.toString()).doesNotContain("pa55word");
        assertThat(options.registryAuth().toString()).doesNotContain("pa55word");
        assertThat(options.semantics().toString()).doesNotContain("pa55word");
    }

    @Test
    void propertiesTwinlogSetsItselfAreRefusedNamingTheOptionToUse() {
        assertThatThrownBy(
                        () ->
                                DeviceTwinJobOptions.parse(
                                        "--properties.isolation.level", "read_uncommitted"))
                .hasMessage(
                        "--properties.isolation.level: twinlog sets this client property itself"
                                + " (use none: the job reads committed records only)");
        assertThatThrownBy(
                        () ->
                                DeviceTwinJobOptions.parse(
                                        "--properties.bootstrap.servers", "x:9092"))
                .hasMessageContaining("(use --bootstrap.servers)");
        assertThatThrownBy(
                        () -> DeviceTwinJobOptions.parse("--propertiez.security.protocol", "SSL"))
                .hasMessageContaining("unknown option --propertiez.security.protocol")
                .hasMessageContaining("properties.<client property>");
    }

    @Test
    void usageNamesThePassThrough() {
        assertThat(DeviceTwinJobOptions.usage())
                .contains("--properties.<name>")
                .contains("--schema.registry.basic.auth.user.info");
    }
}
