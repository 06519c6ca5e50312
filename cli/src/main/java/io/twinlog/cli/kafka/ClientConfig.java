package io.twinlog.cli.kafka;

import io.twinlog.cli.output.CliException;
import io.twinlog.options.KafkaClientProperties;
import io.twinlog.options.SecretReferences;
import io.twinlog.registry.RegistryAuth;
import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;

/**
 * The CLI's client properties file ({@code --command-config}, as Kafka's own tools take it): Kafka
 * client properties for every client the CLI makes ({@code security.protocol}, {@code sasl.*},
 * {@code ssl.*}), and the registry's {@value RegistryAuth#USER_INFO} and {@value
 * RegistryAuth#TRUSTSTORE}. Values may be references ({@code ${env:NAME}}, {@code
 * ${file:path:key}}) as in the job's options.
 */
public record ClientConfig(Map<String, String> kafka, RegistryAuth registry) {

    static final String REGISTRY_PREFIX = "schema.registry.";

    static ClientConfig none() {
        return new ClientConfig(Map.of(), RegistryAuth.none());
    }

    public static ClientConfig read(Path file) {
        if (file == null) {
            return none();
        }
        Properties properties = new Properties();
        try (Reader reader = Files.newBufferedReader(file)) {
            properties.load(reader);
        } catch (IOException e) {
            throw new CliException("--command-config: cannot read " + file + ": " + e.getMessage());
        }
        Map<String, String> kafka = new TreeMap<>();
        for (String name : properties.stringPropertyNames()) {
            if (!name.startsWith(REGISTRY_PREFIX)) {
                kafka.put(name, properties.getProperty(name));
            } else if (!name.equals(RegistryAuth.USER_INFO)
                    && !name.equals(RegistryAuth.TRUSTSTORE)) {
                throw new CliException(
                        "--command-config "
                                + file
                                + ": unknown registry setting "
                                + name
                                + " (known: "
                                + RegistryAuth.USER_INFO
                                + ", "
                                + RegistryAuth.TRUSTSTORE
                                + ")");
            }
        }
        if (kafka.containsKey("bootstrap.servers")) {
            throw new CliException(
                    "--command-config "
                            + file
                            + ": give Kafka's address with --bootstrap-servers (or"
                            + " TWINLOG_BOOTSTRAP), not in the file");
        }
        return new ClientConfig(
                Map.copyOf(kafka),
                new RegistryAuth(
                        properties.getProperty(RegistryAuth.USER_INFO),
                        properties.getProperty(RegistryAuth.TRUSTSTORE),
                        SecretReferences.INSTANCE));
    }

    /** The Kafka properties, with Kafka's configuration providers for the references in them. */
    public Properties kafkaProperties() {
        return KafkaClientProperties.of(kafka);
    }
}
