package io.twinlog.registry;

import io.twinlog.config.Secrets;
import java.io.Serializable;

/**
 * Turns a setting's value that references secrets ({@code ${env:NAME}}, {@code ${file:path:key}},
 * {@code ${directory:dir:file}}) into the secret, where the secret is used. The job's is Kafka's
 * configuration providers ({@code io.twinlog.options.SecretReferences}); this module has no Kafka.
 */
@FunctionalInterface
public interface SecretResolver extends Serializable {

    /**
     * @throws IllegalArgumentException naming the setting when a reference cannot be resolved
     */
    String resolve(String setting, String value);

    /** For literal values only: a value holding a reference is refused, never sent as it is. */
    SecretResolver LITERAL =
            (setting, value) -> {
                if (value != null && value.contains("${") && Secrets.isReference(value)) {
                    throw new IllegalArgumentException(
                            setting + ": a reference, but nothing here resolves references");
                }
                return value;
            };
}
