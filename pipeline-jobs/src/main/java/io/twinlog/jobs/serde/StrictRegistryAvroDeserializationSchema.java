package io.twinlog.jobs.serde;

import io.twinlog.serde.AvroDatumDecoder;
import io.twinlog.serde.WireFormat;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import org.apache.avro.Schema;
import org.apache.avro.specific.SpecificRecordBase;
import org.apache.flink.api.common.serialization.DeserializationSchema;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.formats.avro.SchemaCoder;
import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;

/**
 * Reads registry-framed Avro through a flink-avro {@link SchemaCoder}, like flink-avro's {@code
 * RegistryAvroDeserializationSchema}, but strict about record boundaries: that class keeps one
 * buffered decoder across records, so the unread rest of a malformed record (or trailing bytes
 * after a valid one) is read as the start of the next record. Here each record is decoded from its
 * own bytes and must be consumed exactly (docs/SERDE.md).
 */
public final class StrictRegistryAvroDeserializationSchema<T extends SpecificRecordBase>
        implements DeserializationSchema<T> {

    private static final long serialVersionUID = 1L;

    private final Class<T> type;
    private final SchemaCoder.SchemaCoderProvider coderProvider;
    private transient SchemaCoder coder;
    private transient AvroDatumDecoder<T> decoder;

    public StrictRegistryAvroDeserializationSchema(
            Class<T> type, SchemaCoder.SchemaCoderProvider coderProvider) {
        this.type = type;
        this.coderProvider = coderProvider;
    }

    @Override
    public void open(InitializationContext context) {
        initialize();
    }

    @Override
    public T deserialize(byte[] message) throws IOException {
        initialize();
        ByteArrayInputStream in = new ByteArrayInputStream(message);
        Schema writer = coder.readSchema(in);
        return decoder.decode(writer, message, WireFormat.HEADER_LENGTH);
    }

    private void initialize() {
        if (coder == null) {
            coder = coderProvider.get();
            decoder = new AvroDatumDecoder<>(type);
        }
    }

    @Override
    public boolean isEndOfStream(T nextElement) {
        return false;
    }

    @Override
    public TypeInformation<T> getProducedType() {
        return new AvroTypeInfo<>(type);
    }
}
