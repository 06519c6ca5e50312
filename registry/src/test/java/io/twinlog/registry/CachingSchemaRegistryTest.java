package io.twinlog.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.twinlog.registry.server.InMemorySchemaRegistry;
import java.io.IOException;
import org.apache.avro.Schema;
import org.junit.jupiter.api.Test;

class CachingSchemaRegistryTest {

    private static final Schema SCHEMA =
            new Schema.Parser()
                    .parse(
                            """
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
    void remembersAnUnknownIdForAMomentThenAsksAgain() throws IOException {
        long[] now = {1_000};
        CachingSchemaRegistry withClock = new CachingSchemaRegistry(backend, () -> now[0]);
        for (int i = 0; i < 3; i++) {
            assertThatThrownBy(() -> withClock.schemaById(1))
                    .isInstanceOf(RegistryException.class)
                    .extracting(e -> ((RegistryException) e).errorCode())
                    .isEqualTo(RegistryException.SCHEMA_NOT_FOUND);
        }
        assertThat(backend.calls())
                .as("one round trip for three records naming the id")
                .isEqualTo(1);

        int id = backend.register("s", SCHEMA);
        assertThatThrownBy(() -> withClock.schemaById(id))
                .as("still remembered as unknown")
                .isInstanceOf(RegistryException.class);
        now[0] += CachingSchemaRegistry.NOT_FOUND_TTL.toMillis();

        assertThat(withClock.schemaById(id)).isEqualTo(SCHEMA);
    }
}
