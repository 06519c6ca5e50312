package io.twinlog.registry;

import java.io.IOException;
import org.apache.avro.Schema;

/**
 * What the serializers need from a schema registry. Errors the registry answers with are {@link
 * RegistryException}s; a registry that cannot be reached throws {@link
 * RegistryUnavailableException}, which is worth retrying.
 */
public interface SchemaRegistry {

    /** The schema with this global id; {@link RegistryException#SCHEMA_NOT_FOUND} when unknown. */
    Schema schemaById(int id) throws IOException;

    /**
     * Registers the schema under the subject (or finds it there if it is already registered) and
     * returns its id; {@link RegistryException#INCOMPATIBLE} when the subject's compatibility
     * policy refuses it.
     */
    int register(String subject, Schema schema) throws IOException;
}
