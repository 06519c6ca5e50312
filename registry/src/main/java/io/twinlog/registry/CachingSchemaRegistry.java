package io.twinlog.registry;

import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;
import org.apache.avro.Schema;

/**
 * Caches the answers that never change: a schema id always names the same schema, and a schema
 * registered under a subject keeps its id. An unknown id is answered "not found" from memory for
 * {@link #NOT_FOUND_TTL} and then asked again (it may have been registered since): a stream of
 * records naming a bogus id would otherwise make one registry round trip each, which held a poison
 * storm to 1,600 records/s (docs/RELIABILITY.md). Other errors are not cached; an unreachable
 * registry is retried by the caller.
 *
 * <p>The same {@link Schema} instance is returned for an id every time, which lets Avro reuse its
 * resolving decoders.
 */
public final class CachingSchemaRegistry implements SchemaRegistry {

    public static final Duration NOT_FOUND_TTL = Duration.ofSeconds(1);

    /**
     * Bogus ids remembered at most; beyond, the memory starts over (random ids must not grow it).
     */
    private static final int MAX_NOT_FOUND = 10_000;

    private final SchemaRegistry delegate;
    private final LongSupplier clock;
    private final Map<Integer, Schema> byId = new ConcurrentHashMap<>();
    private final Map<SubjectSchema, Integer> ids = new ConcurrentHashMap<>();
    private final Map<Integer, Long> notFoundUntil = new ConcurrentHashMap<>();

    public CachingSchemaRegistry(SchemaRegistry delegate) {
        this(delegate, System::currentTimeMillis);
    }

    CachingSchemaRegistry(SchemaRegistry delegate, LongSupplier clock) {
        this.delegate = delegate;
        this.clock = clock;
    }

    @Override
    public Schema schemaById(int id) throws IOException {
        Schema cached = byId.get(id);
        if (cached != null) {
            return cached;
        }
        Long until = notFoundUntil.get(id);
        if (until != null && clock.getAsLong() < until) {
            throw new RegistryException(
                    404, RegistryException.SCHEMA_NOT_FOUND, "Schema " + id + " not found");
        }
        Schema fetched;
        try {
            fetched = delegate.schemaById(id);
        } catch (RegistryException e) {
            if (e.errorCode() == RegistryException.SCHEMA_NOT_FOUND) {
                if (notFoundUntil.size() >= MAX_NOT_FOUND) {
                    notFoundUntil.clear();
                }
                notFoundUntil.put(id, clock.getAsLong() + NOT_FOUND_TTL.toMillis());
            }
            throw e;
        }
        notFoundUntil.remove(id);
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
