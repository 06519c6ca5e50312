package io.twinlog.serde;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.apache.avro.io.Decoder;
import org.apache.avro.util.Utf8;

/**
 * Avro binary decoding of one record held in a byte array, where no length or count in the input
 * can make it allocate or loop more than the bytes it was given.
 *
 * <p>Avro's {@code BinaryDecoder} allocates a string, a byte buffer, an array or a map of the size
 * the input declares before reading it: five bytes declaring a 1.5 GB string end in an {@code
 * OutOfMemoryError}, which no dead-letter path catches. Its bounds ({@code
 * org.apache.avro.limits.*}) are JVM-wide system properties read once, when the class is first
 * loaded. Here the bound is the input itself: a string, bytes or fixed value longer than the bytes
 * left is refused before anything is allocated, and all the collections of one record together may
 * declare at most as many items as the record has bytes (every item of an event encodes in at least
 * one byte), which also bounds the work of skipping fields the reader does not know.
 *
 * <p>Every refusal is a {@link MalformedAvroException}. Not thread-safe; reuse it with {@link
 * #reset}.
 */
public final class BoundedBinaryDecoder extends Decoder {

    private byte[] bytes = new byte[0];
    private int position;
    private int limit;
    private long itemBudget;

    /** Decodes {@code length} bytes of {@code bytes} from {@code offset}. */
    public BoundedBinaryDecoder reset(byte[] bytes, int offset, int length) {
        if (offset < 0 || length < 0 || offset > bytes.length - length) {
            throw new IndexOutOfBoundsException(
                    "offset " + offset + ", length " + length + " of " + bytes.length);
        }
        this.bytes = bytes;
        this.position = offset;
        this.limit = offset + length;
        this.itemBudget = length;
        return this;
    }

    /** Whether every byte was consumed. */
    public boolean isEnd() {
        return position == limit;
    }

    private int remaining() {
        return limit - position;
    }

    @Override
    public void readNull() {}

    @Override
    public boolean readBoolean() throws IOException {
        int value = nextByte();
        if (value > 1) {
            throw new MalformedAvroException("a boolean is encoded as 0 or 1, not " + value, null);
        }
        return value == 1;
    }

    @Override
    public int readInt() throws IOException {
        long value = readVarLong(5);
        if (value < Integer.MIN_VALUE || value > Integer.MAX_VALUE) {
            throw new MalformedAvroException("int out of range: " + value, null);
        }
        return (int) value;
    }

    @Override
    public long readLong() throws IOException {
        return readVarLong(10);
    }

    /** A zig-zag varint of at most {@code maxBytes} bytes. */
    private long readVarLong(int maxBytes) throws IOException {
        long raw = 0;
        for (int i = 0; i < maxBytes; i++) {
            int b = nextByte();
            raw |= (long) (b & 0x7f) << (7 * i);
            if ((b & 0x80) == 0) {
                return (raw >>> 1) ^ -(raw & 1);
            }
        }
        throw new MalformedAvroException("varint longer than " + maxBytes + " bytes", null);
    }

    @Override
    public float readFloat() throws IOException {
        require(4, "a float");
        int bits =
                (bytes[position] & 0xff)
                        | (bytes[position + 1] & 0xff) << 8
                        | (bytes[position + 2] & 0xff) << 16
                        | (bytes[position + 3] & 0xff) << 24;
        position += 4;
        return Float.intBitsToFloat(bits);
    }

    @Override
    public double readDouble() throws IOException {
        require(8, "a double");
        long bits = 0;
        for (int i = 7; i >= 0; i--) {
            bits = bits << 8 | (bytes[position + i] & 0xff);
        }
        position += 8;
        return Double.longBitsToDouble(bits);
    }

    @Override
    public Utf8 readString(Utf8 old) throws IOException {
        int length = readLength("a string");
        Utf8 result = old != null ? old : new Utf8();
        result.setByteLength(length);
        System.arraycopy(bytes, position, result.getBytes(), 0, length);
        position += length;
        return result;
    }

    @Override
    public String readString() throws IOException {
        int length = readLength("a string");
        String value = new String(bytes, position, length, StandardCharsets.UTF_8);
        position += length;
        return value;
    }

    @Override
    public void skipString() throws IOException {
        // Not "position += readLength(...)": Java reads position before the call moves it past
        // the length, and the skip would land short by the length's own bytes.
        int length = readLength("a string");
        position += length;
    }

    @Override
    public ByteBuffer readBytes(ByteBuffer old) throws IOException {
        int length = readLength("a bytes value");
        ByteBuffer result;
        if (old != null && length <= old.capacity()) {
            result = old;
            result.clear();
        } else {
            result = ByteBuffer.allocate(length);
        }
        result.put(bytes, position, length).flip();
        position += length;
        return result;
    }

    @Override
    public void skipBytes() throws IOException {
        int length = readLength("a bytes value");
        position += length;
    }

    @Override
    public void readFixed(byte[] target, int start, int length) throws IOException {
        require(length, "a fixed value");
        System.arraycopy(bytes, position, target, start, length);
        position += length;
    }

    @Override
    public void skipFixed(int length) throws IOException {
        require(length, "a fixed value");
        position += length;
    }

    @Override
    public int readEnum() throws IOException {
        return readInt();
    }

    @Override
    public int readIndex() throws IOException {
        return readInt();
    }

    @Override
    public long readArrayStart() throws IOException {
        return readBlockCount();
    }

    @Override
    public long arrayNext() throws IOException {
        return readBlockCount();
    }

    @Override
    public long skipArray() throws IOException {
        return skipBlocks();
    }

    @Override
    public long readMapStart() throws IOException {
        return readBlockCount();
    }

    @Override
    public long mapNext() throws IOException {
        return readBlockCount();
    }

    @Override
    public long skipMap() throws IOException {
        return skipBlocks();
    }

    /**
     * The item count of the next block of an array or map. A negative count is followed by the
     * block's size in bytes (the encoder's way of making blocks skippable).
     */
    private long readBlockCount() throws IOException {
        long count = readLong();
        if (count < 0) {
            readBlockSize();
            count = -count;
        }
        return spend(count);
    }

    /**
     * Skips blocks that carry their size; returns the count of the first block that must be read
     * item by item.
     */
    private long skipBlocks() throws IOException {
        long count = readLong();
        while (count < 0) {
            spend(-count);
            int size = readBlockSize();
            position += size;
            count = readLong();
        }
        return spend(count);
    }

    private int readBlockSize() throws IOException {
        long size = readLong();
        if (size < 0 || size > remaining()) {
            throw new MalformedAvroException(
                    "a block of " + size + " bytes declared, " + remaining() + " left", null);
        }
        return (int) size;
    }

    private long spend(long items) throws IOException {
        if (items < 0 || items > itemBudget) {
            throw new MalformedAvroException(
                    "a collection declares "
                            + items
                            + " items where the record's size"
                            + " leaves room for "
                            + itemBudget,
                    null);
        }
        itemBudget -= items;
        return items;
    }

    private int readLength(String what) throws IOException {
        long length = readLong();
        if (length < 0 || length > remaining()) {
            throw new MalformedAvroException(
                    what + " of " + length + " bytes declared, " + remaining() + " left", null);
        }
        return (int) length;
    }

    private void require(int length, String what) throws IOException {
        if (length < 0 || length > remaining()) {
            throw new MalformedAvroException(
                    what + " of " + length + " bytes needs more than the " + remaining() + " left",
                    null);
        }
    }

    private int nextByte() throws IOException {
        if (position >= limit) {
            throw new MalformedAvroException("the record ends in the middle of a value", null);
        }
        return bytes[position++] & 0xff;
    }
}
