package io.twinlog.serde;

import java.io.IOException;
import java.util.IdentityHashMap;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.io.DatumReader;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumReader;

/**
 * Decodes Avro binary bodies written with any compatible writer schema into one specific class.
 * Strict: a body that does not decode, or that has bytes left over after the record, is refused
 * with {@link MalformedAvroException} instead of being half-read.
 *
 * <p>Each call decodes from the given array alone; nothing is buffered between calls, so a bad
 * record can never spill into the next one. No length or count in the bytes can make it allocate
 * more than the bytes themselves ({@link BoundedBinaryDecoder}), so the bytes of any record Kafka
 * accepts end as a value or a {@link MalformedAvroException}, never as an {@code OutOfMemoryError}.
 * Not thread-safe: one instance per thread or operator.
 */
public final class AvroDatumDecoder<T> {

    private final Schema readerSchema;
    private final SpecificData data;
    // Keyed by identity: CachingSchemaRegistry returns one Schema instance per id.
    private final Map<Schema, DatumReader<T>> readers = new IdentityHashMap<>();
    private final Map<Schema, UnknownBranches> unknownBranches = new IdentityHashMap<>();
    private final BoundedBinaryDecoder decoder = new BoundedBinaryDecoder();

    public AvroDatumDecoder(Class<T> type) {
        this.data = SpecificData.getForClass(type);
        this.readerSchema = data.getSchema(type);
    }

    public Schema readerSchema() {
        return readerSchema;
    }

    public T decode(Schema writerSchema, byte[] bytes, int offset) throws MalformedAvroException {
        DatumReader<T> reader =
                readers.computeIfAbsent(
                        writerSchema,
                        writer -> new SpecificDatumReader<>(writer, readerSchema, data));
        UnknownBranches unknown =
                unknownBranches.computeIfAbsent(
                        writerSchema, writer -> UnknownBranches.of(writer, readerSchema));
        if (!unknown.none()) {
            refuseUnknownBranches(writerSchema, unknown, bytes, offset);
        }
        decoder.reset(bytes, offset, bytes.length - offset);
        T value;
        try {
            value = reader.read(null, decoder);
        } catch (IOException | RuntimeException e) {
            throw new MalformedAvroException(
                    "Avro body does not decode as "
                            + readerSchema.getFullName()
                            + " with writer schema "
                            + writerSchema.getFullName()
                            + ": "
                            + describe(e),
                    e);
        } catch (StackOverflowError e) {
            // A writer schema that nests itself (through a union or a collection) lets every byte
            // open
            // one more level; the stack is unwound by now and nothing is held, so this is bad data.
            throw new MalformedAvroException(
                    "Avro body nests deeper than this JVM's stack allows", null);
        }
        if (!decoder.isEnd()) {
            throw new MalformedAvroException(
                    "Avro body has bytes left over after the "
                            + readerSchema.getFullName()
                            + " record",
                    null);
        }
        return value;
    }

    /**
     * For a writer schema with union branches the reader lacks (rare: a producer that upgraded
     * before its readers), the value is first decoded with the writer's schema alone, bounded like
     * any decode, to see which branches it holds.
     */
    private void refuseUnknownBranches(
            Schema writerSchema, UnknownBranches unknown, byte[] bytes, int offset)
            throws MalformedAvroException {
        decoder.reset(bytes, offset, bytes.length - offset);
        Object asWritten;
        try {
            asWritten = unknown.asWritten().read(null, decoder);
        } catch (IOException | RuntimeException | StackOverflowError e) {
            return; // not decodable at all: the resolving decode below says why
        }
        unknown.check(writerSchema, asWritten);
    }

    private static String describe(Exception e) {
        return e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
    }
}
