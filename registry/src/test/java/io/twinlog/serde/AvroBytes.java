package io.twinlog.serde;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;

/**
 * Avro binary encoding by hand, piece by piece, for tests that build records no writer would
 * produce: a declared length with no bytes behind it, a count of 2^40, a schema id that lies.
 */
public final class AvroBytes {

    private AvroBytes() {}

    /** The Confluent wire-format header: magic byte 0, then the schema id big-endian. */
    public static byte[] header(int schemaId) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            WireFormat.writeHeader(out, schemaId);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /** An Avro {@code int} or {@code long}, also a length or a block count: zig-zag varint. */
    public static byte[] varint(long value) {
        return encoded(encoder -> encoder.writeLong(value));
    }

    /** An Avro {@code string}: its length, then UTF-8 bytes. */
    public static byte[] string(String value) {
        return encoded(encoder -> encoder.writeString(value));
    }

    /** An Avro {@code double}: eight bytes, little-endian. */
    public static byte[] doubleLe(double value) {
        return encoded(encoder -> encoder.writeDouble(value));
    }

    public static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            out.writeBytes(part);
        }
        return out.toByteArray();
    }

    private interface Write {
        void to(BinaryEncoder encoder) throws IOException;
    }

    private static byte[] encoded(Write write) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(out, null);
        try {
            write.to(encoder);
            encoder.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }
}
