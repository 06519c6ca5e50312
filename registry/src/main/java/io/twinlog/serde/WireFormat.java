package io.twinlog.serde;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * The Confluent Schema Registry wire format: byte 0 is the magic byte 0x00, bytes 1-4 the schema id
 * (big-endian int), then the Avro binary body.
 */
public final class WireFormat {

    public static final byte MAGIC_BYTE = 0x00;
    public static final int HEADER_LENGTH = 5;

    private WireFormat() {}

    public static void writeHeader(OutputStream out, int schemaId) throws IOException {
        out.write(MAGIC_BYTE);
        out.write(schemaId >>> 24);
        out.write(schemaId >>> 16);
        out.write(schemaId >>> 8);
        out.write(schemaId);
    }

    /** Reads the header from the stream, leaving it at the first byte of the Avro body. */
    public static int readSchemaId(InputStream in) throws IOException {
        int magic = in.read();
        if (magic < 0) {
            throw new WireFormatException(
                    "empty record: expected the magic byte 0x00 and a 4-byte schema id");
        }
        checkMagic((byte) magic);
        int id = 0;
        for (int i = 0; i < 4; i++) {
            int b = in.read();
            if (b < 0) {
                throw new WireFormatException(
                        "record ends inside the schema id (" + (i + 1) + " of 5 header bytes)");
            }
            id = (id << 8) | b;
        }
        return id;
    }

    /** The schema id of a framed record; the Avro body starts at {@link #HEADER_LENGTH}. */
    public static int schemaId(byte[] record) throws WireFormatException {
        if (record == null || record.length == 0) {
            throw new WireFormatException(
                    "empty record: expected the magic byte 0x00 and a 4-byte schema id");
        }
        checkMagic(record[0]);
        if (record.length < HEADER_LENGTH) {
            throw new WireFormatException(
                    "record of " + record.length + " bytes is shorter than the 5-byte header");
        }
        return ((record[1] & 0xff) << 24)
                | ((record[2] & 0xff) << 16)
                | ((record[3] & 0xff) << 8)
                | (record[4] & 0xff);
    }

    private static void checkMagic(byte magic) throws WireFormatException {
        if (magic != MAGIC_BYTE) {
            throw new WireFormatException(
                    String.format(
                            "unknown magic byte 0x%02x: not in the Confluent wire format (expected 0x00)",
                            magic & 0xff));
        }
    }
}
