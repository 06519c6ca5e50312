package io.twinlog.serde;

import io.twinlog.registry.SchemaRegistry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import org.apache.avro.Schema;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.avro.specific.SpecificRecord;

/**
 * Writes specific records in the Confluent wire format under one subject. The schema is registered
 * (or found) once, on first use. Not thread-safe.
 */
public final class ConfluentAvroSerializer<T extends SpecificRecord> {

    private final SchemaRegistry registry;
    private final String subject;
    private final Schema schema;
    private final SpecificDatumWriter<T> writer;
    private final ByteArrayOutputStream buffer = new ByteArrayOutputStream(256);
    private BinaryEncoder encoder;
    private int schemaId = -1;

    public ConfluentAvroSerializer(SchemaRegistry registry, String subject, Class<T> type) {
        this.registry = registry;
        this.subject = subject;
        SpecificData data = SpecificData.getForClass(type);
        this.schema = data.getSchema(type);
        this.writer = new SpecificDatumWriter<>(schema, data);
    }

    /** Registers the schema now instead of on the first record, to fail fast. */
    public int schemaId() throws IOException {
        if (schemaId < 0) {
            schemaId = registry.register(subject, schema);
        }
        return schemaId;
    }

    public byte[] serialize(T record) throws IOException {
        int id = schemaId();
        buffer.reset();
        WireFormat.writeHeader(buffer, id);
        encoder = EncoderFactory.get().binaryEncoder(buffer, encoder);
        writer.write(record, encoder);
        encoder.flush();
        return buffer.toByteArray();
    }
}
