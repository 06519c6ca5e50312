package io.twinlog.jobs.serde;

import io.twinlog.registry.SchemaRegistry;
import io.twinlog.serde.WireFormat;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import org.apache.avro.Schema;
import org.apache.flink.formats.avro.SchemaCoder;

/**
 * flink-avro's {@link SchemaCoder} for the Confluent wire format: reading resolves the writer
 * schema by the id in the header; writing registers the schema under the subject (once) and writes
 * its id.
 */
public final class ConfluentSchemaCoder implements SchemaCoder {

    private final SchemaRegistry registry;
    private final String subject;
    // The serializers pass the same Schema instance for every record: skip even the cache lookup.
    private Schema lastWritten;
    private int lastWrittenId;

    /**
     * @param subject the subject to register under when writing; may be null for a coder that only
     *     reads
     */
    public ConfluentSchemaCoder(SchemaRegistry registry, String subject) {
        this.registry = registry;
        this.subject = subject;
    }

    @Override
    public Schema readSchema(InputStream in) throws IOException {
        return registry.schemaById(WireFormat.readSchemaId(in));
    }

    @Override
    public void writeSchema(Schema schema, OutputStream out) throws IOException {
        if (schema != lastWritten) {
            if (subject == null) {
                throw new IllegalStateException(
                        "this schema coder only reads: it has no subject to register under");
            }
            lastWrittenId = registry.register(subject, schema);
            lastWritten = schema;
        }
        WireFormat.writeHeader(out, lastWrittenId);
    }
}
