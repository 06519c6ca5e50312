package io.twinlog.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.twinlog.registry.server.InMemorySchemaRegistry;

import java.io.IOException;

import org.apache.avro.Schema;
import org.junit.jupiter.api.Test;

class CachingSchemaRegistryTest {

    private static final Schema SCHEMA = new Schema.Parser().parse("""
            {"type":"record","name":"R","fields":[{"name":"a","type":"string"}]}""");

    private final InMemorySchemaRegistry backend = new InMemorySchemaRegistry();
    private final CachingSchemaRegistry cached = new CachingSchemaRegistry(backend);

    @Test
    void asksOncePerIdAndPerSubjectSchema() throws IOException {
        int id = cached.register("s", SCHEMA);
        cached.register("s", SCHEMA);
        Schema first = cached.schemaById(id);
        Schema second = cached.schemaById(id);

        assertThat(backend.calls()).as("only the registration went to the registry").isEqualTo(1);
        assertThat(second).isSameAs(first);
    }

    @Test
    void doesNotCacheErrors() throws IOException {
        assertThatThrownBy(() -> cached.schemaById(1)).isInstanceOf(RegistryException.class);
        int id = backend.register("s", SCHEMA);

        assertThat(cached.schemaById(id)).isEqualTo(SCHEMA);
    }
}
