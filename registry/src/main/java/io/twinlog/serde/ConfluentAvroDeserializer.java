package io.twinlog.serde;

import io.twinlog.registry.SchemaRegistry;
import java.io.IOException;
import org.apache.avro.Schema;

/**
 * Reads Confluent-framed Avro records into a specific class, resolving the writer schema by its id,
 * so records written with an older compatible schema still decode. Not thread-safe.
 */
public final class ConfluentAvroDeserializer<T> {

    private final SchemaRegistry registry;
    private final AvroDatumDecoder<T> decoder;

    public ConfluentAvroDeserializer(SchemaRegistry registry, Class<T> type) {
        this.registry = registry;
        this.decoder = new AvroDatumDecoder<>(type);
    }

    /**
     * @throws WireFormatException the bytes are not framed
     * @throws io.twinlog.registry.RegistryException the registry does not know the schema id
     * @throws io.twinlog.registry.RegistryUnavailableException the registry cannot be reached
     * @throws MalformedAvroException the body does not decode
     */
    public T deserialize(byte[] bytes) throws IOException {
        int id = WireFormat.schemaId(bytes);
        Schema writer = registry.schemaById(id);
        return decoder.decode(writer, bytes, WireFormat.HEADER_LENGTH);
    }
}
