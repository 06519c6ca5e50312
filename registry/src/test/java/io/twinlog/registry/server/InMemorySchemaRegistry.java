package io.twinlog.registry.server;

import io.twinlog.registry.SchemaRegistry;
import java.io.IOException;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.avro.Schema;

/**
 * The development registry's store without HTTP, for unit tests of serializers. Counts the calls,
 * so tests can check what is cached.
 */
public final class InMemorySchemaRegistry implements SchemaRegistry {

    private final SchemaStore store;
    private final AtomicInteger calls = new AtomicInteger();

    public InMemorySchemaRegistry() {
        try {
            this.store = new SchemaStore(null);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public Schema schemaById(int id) throws IOException {
        calls.incrementAndGet();
        return new Schema.Parser().parse(store.schemaById(id));
    }

    @Override
    public int register(String subject, Schema schema) throws IOException {
        calls.incrementAndGet();
        return store.register(subject, schema.toString());
    }

    public int calls() {
        return calls.get();
    }
}
