package io.twinlog.options;

import java.util.Map;
import java.util.Properties;

/**
 * Kafka client properties given by a user, made ready for a client: when values reference secrets
 * ({@code ${env:NAME}}, {@code ${file:path:key}}, {@code ${directory:dir:file}}) Kafka's own
 * configuration providers are declared, so that Kafka resolves them where the client runs and the
 * secret itself never travels (not in the job graph, not in program arguments).
 */
public final class KafkaClientProperties {

    static final String CONFIG_PROVIDERS = "config.providers";

    private KafkaClientProperties() {}

    public static Properties of(Map<String, String> given) {
        Properties properties = new Properties();
        properties.putAll(given);
        boolean references = given.values().stream().anyMatch(v -> v.contains("${"));
        if (references && !given.containsKey(CONFIG_PROVIDERS)) {
            properties.put(CONFIG_PROVIDERS, "env,file,directory");
            properties.put(
                    CONFIG_PROVIDERS + ".env.class",
                    "org.apache.kafka.common.config.provider.EnvVarConfigProvider");
            properties.put(
                    CONFIG_PROVIDERS + ".file.class",
                    "org.apache.kafka.common.config.provider.FileConfigProvider");
            properties.put(
                    CONFIG_PROVIDERS + ".directory.class",
                    "org.apache.kafka.common.config.provider.DirectoryConfigProvider");
        }
        return properties;
    }
}
