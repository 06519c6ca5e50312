package io.twinlog.connect;

import io.twinlog.schema.common.LogPosition;
import io.twinlog.schema.internal.RawRecord;
import java.nio.ByteBuffer;

/** Conversions between Kafka's byte arrays and the {@link RawRecord} envelope. */
public final class RawRecords {

    private RawRecords() {}

    public static RawRecord of(
            byte[] key, byte[] value, String topic, int partition, long offset, long timestamp) {
        return new RawRecord(
                key == null ? null : ByteBuffer.wrap(key),
                value == null ? null : ByteBuffer.wrap(value),
                new LogPosition(topic, partition, offset),
                timestamp);
    }

    /** The bytes of a buffer, without copying when the buffer is a whole array. */
    public static byte[] bytes(ByteBuffer buffer) {
        if (buffer == null) {
            return null;
        }
        if (buffer.hasArray()
                && buffer.arrayOffset() == 0
                && buffer.position() == 0
                && buffer.remaining() == buffer.array().length) {
            return buffer.array();
        }
        byte[] copy = new byte[buffer.remaining()];
        buffer.duplicate().get(copy);
        return copy;
    }
}
