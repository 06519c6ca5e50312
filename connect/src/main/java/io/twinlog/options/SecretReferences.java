package io.twinlog.options;

import io.twinlog.registry.SecretResolver;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import org.apache.kafka.common.config.ConfigTransformer;
import org.apache.kafka.common.config.provider.ConfigProvider;
import org.apache.kafka.common.config.provider.DirectoryConfigProvider;
import org.apache.kafka.common.config.provider.EnvVarConfigProvider;
import org.apache.kafka.common.config.provider.FileConfigProvider;

/**
 * References to secrets in twinlog's own settings (the registry's user info, the read side's
 * keystore password), resolved by Kafka's {@link ConfigTransformer} with the providers Kafka
 * clients get for the same text ({@link KafkaClientProperties}): {@code ${env:NAME}}, {@code
 * ${file:path:key}}, {@code ${directory:dir:file}}. One syntax, one implementation, whether Kafka
 * or twinlog reads the setting.
 *
 * <p>Kafka leaves a reference it cannot resolve as it is; here that is an error naming the setting
 * and the reference, so that a missing secret never goes out as the text {@code ${env:...}}.
 */
public final class SecretReferences implements SecretResolver {

    private static final long serialVersionUID = 1L;

    /** Resolves against the process's environment and files. */
    public static final SecretReferences INSTANCE = new SecretReferences(null);

    private final Map<String, String> environment;

    private SecretReferences(Map<String, String> environment) {
        this.environment = environment == null ? null : Map.copyOf(environment);
    }

    /** With this environment instead of the process's (tests). */
    static SecretReferences withEnvironment(Map<String, String> environment) {
        return new SecretReferences(environment);
    }

    @Override
    public String resolve(String setting, String value) {
        if (value == null || !value.contains("${")) {
            return value;
        }
        Matcher reference = ConfigTransformer.DEFAULT_PATTERN.matcher(value);
        while (reference.find()) {
            String provider = reference.group(1);
            if (!KafkaClientProperties.PROVIDERS.containsKey(provider)) {
                throw new IllegalArgumentException(
                        setting
                                + ": "
                                + reference.group()
                                + ": unknown provider '"
                                + provider
                                + "' (env, file or directory)");
            }
        }
        Map<String, ConfigProvider> providers = providers();
        try {
            String resolved =
                    new ConfigTransformer(providers)
                            .transform(Map.of(setting, value))
                            .data()
                            .get(setting);
            Matcher left = ConfigTransformer.DEFAULT_PATTERN.matcher(resolved);
            if (left.find()) {
                throw new IllegalArgumentException(setting + ": " + left.group() + " is not set");
            }
            return resolved;
        } catch (org.apache.kafka.common.config.ConfigException e) {
            throw new IllegalArgumentException(
                    setting + ": " + value + " cannot be read: " + e.getMessage(), e);
        } finally {
            for (ConfigProvider provider : providers.values()) {
                try {
                    provider.close();
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
        }
    }

    private Map<String, ConfigProvider> providers() {
        Map<String, ConfigProvider> providers = new LinkedHashMap<>();
        EnvVarConfigProvider env =
                environment == null
                        ? new EnvVarConfigProvider()
                        : new EnvVarConfigProvider(environment);
        env.configure(Map.of());
        providers.put("env", env);
        FileConfigProvider file = new FileConfigProvider();
        file.configure(Map.of());
        providers.put("file", file);
        DirectoryConfigProvider directory = new DirectoryConfigProvider();
        directory.configure(Map.of());
        providers.put("directory", directory);
        return providers;
    }

    private Object readResolve() {
        return environment == null ? INSTANCE : this;
    }
}
