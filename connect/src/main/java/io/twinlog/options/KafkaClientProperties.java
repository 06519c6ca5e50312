package io.twinlog.options;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.common.config.provider.ConfigProvider;
import org.apache.kafka.common.config.provider.DirectoryConfigProvider;
import org.apache.kafka.common.config.provider.EnvVarConfigProvider;
import org.apache.kafka.common.config.provider.FileConfigProvider;

/**
 * Kafka client properties given by a user, made ready for a client: when values reference secrets
 * ({@code ${env:NAME}}, {@code ${file:path:key}}, {@code ${directory:dir:file}}) Kafka's own
 * configuration providers are declared, so that Kafka resolves them where the client runs and the
 * secret itself never travels (not in the job graph, not in program arguments).
 */
public final class KafkaClientProperties {

    static final String CONFIG_PROVIDERS = "config.providers";

    /** Kafka's providers for the reference syntax twinlog documents, by their name in it. */
    static final Map<String, Class<? extends ConfigProvider>> PROVIDERS = providers();

    private static Map<String, Class<? extends ConfigProvider>> providers() {
        Map<String, Class<? extends ConfigProvider>> providers = new LinkedHashMap<>();
        providers.put("env", EnvVarConfigProvider.class);
        providers.put("file", FileConfigProvider.class);
        providers.put("directory", DirectoryConfigProvider.class);
        return Collections.unmodifiableMap(providers);
    }

    private KafkaClientProperties() {}

    public static Properties of(Map<String, String> given) {
        Properties properties = new Properties();
        properties.putAll(given);
        boolean references = given.values().stream().anyMatch(v -> v.contains("${"));
        if (references && !given.containsKey(CONFIG_PROVIDERS)) {
            properties.put(CONFIG_PROVIDERS, String.join(",", PROVIDERS.keySet()));
            PROVIDERS.forEach(
                    (name, type) ->
                            properties.put(
                                    CONFIG_PROVIDERS + "." + name + ".class", type.getName()));
        }
        return properties;
    }
}
