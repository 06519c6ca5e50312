package io.twinlog.jobs.serde;

import io.twinlog.registry.CachingSchemaRegistry;
import io.twinlog.registry.RegistryAuth;
import io.twinlog.registry.RegistryRestClient;
import java.time.Duration;
import java.util.Objects;
import org.apache.flink.formats.avro.SchemaCoder;

/**
 * Creates {@link ConfluentSchemaCoder}s on the task managers from the registry URL, so only the URL
 * travels with the job graph. Each coder gets its own cached client.
 */
public final class ConfluentSchemaCoderProvider implements SchemaCoder.SchemaCoderProvider {

    private static final long serialVersionUID = 1L;

    private final String registryUrl;
    private final String subject;
    private final Duration requestTimeout;
    private final RegistryAuth auth;

    public ConfluentSchemaCoderProvider(
            String registryUrl, String subject, Duration requestTimeout) {
        this(registryUrl, subject, requestTimeout, RegistryAuth.none());
    }

    /**
     * @param auth credentials by reference, resolved on the task manager when the coder is made
     */
    public ConfluentSchemaCoderProvider(
            String registryUrl, String subject, Duration requestTimeout, RegistryAuth auth) {
        this.registryUrl = Objects.requireNonNull(registryUrl);
        this.subject = subject;
        this.requestTimeout = requestTimeout;
        this.auth = Objects.requireNonNull(auth);
    }

    @Override
    public ConfluentSchemaCoder get() {
        return new ConfluentSchemaCoder(
                new CachingSchemaRegistry(
                        new RegistryRestClient(registryUrl, requestTimeout, auth)),
                subject);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ConfluentSchemaCoderProvider other
                && registryUrl.equals(other.registryUrl)
                && Objects.equals(subject, other.subject)
                && requestTimeout.equals(other.requestTimeout)
                && auth.equals(other.auth);
    }

    @Override
    public int hashCode() {
        return Objects.hash(registryUrl, subject, requestTimeout, auth);
    }
}
