package io.twinlog.registry;

import java.io.IOException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.apache.avro.Schema;

/**
 * Caches the answers that never change: a schema id always names the same schema, and a schema
 * registered under a subject keeps its id. Errors are not cached, so an unknown id is asked again
 * (it may have been registered since) and an unreachable registry is retried by the caller.
 *
 * <p>The same {@link Schema} instance is returned for an id every time, which lets Avro reuse its
 * resolving decoders.
 */
public final class CachingSchemaRegistry implements SchemaRegistry {

    private final SchemaRegistry delegate;
    private final Map<Integer, Schema> byId = new ConcurrentHashMap<>();
    private final Map<SubjectSchema, Integer> ids = new ConcurrentHashMap<>();

    public CachingSchemaRegistry(SchemaRegistry delegate) {
        this.delegate = delegate;
    }

    @Override
    public Schema schemaById(int id) throws IOException {
        Schema cached = byId.get(id);
        if (cached != null) {
            return cached;
        }
        Schema fetched = delegate.schemaById(id);
        Schema previous = byId.putIfAbsent(id, fetched);
        return previous == null ? fetched : previous;
    }

    @Override
    public int register(String subject, Schema schema) throws IOException {
        SubjectSchema key = new SubjectSchema(subject, schema);
        Integer cached = ids.get(key);
        if (cached != null) {
            return cached;
        }
        int id = delegate.register(subject, schema);
        ids.put(key, id);
        byId.putIfAbsent(id, schema);
        return id;
    }

    /** Number of schemas known by id; for tests and metrics. */
    public int cachedSchemas() {
        return byId.size();
    }

    private record SubjectSchema(String subject, Schema schema) {}
}
