package io.twinlog.readside.index;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * Keys of the index: a device's records sort together and in log order, so that one prefix scan
 * reads a device's history. {@code [u16 length][device id, UTF-8][i32 partition][i64 offset]}; the
 * length prefix keeps "dev-1" from being a prefix of "dev-10".
 */
final class IndexKeys {

    /** Longer keys are not device ids (admission refuses them): they are not indexed by device. */
    static final int MAX_DEVICE_BYTES = 1024;

    /**
     * The prefix of the rules markers (docs/RULES.md), all partitions together: a length no device
     * id has, so no device's records share it.
     */
    static final byte[] RULES_MARKERS = {(byte) 0xFF, (byte) 0xFF};

    /** After every position: the bound of a backwards seek over a device's records. */
    static final Position LAST = new Position(Integer.MAX_VALUE, Long.MAX_VALUE);

    private IndexKeys() {}

    /** {@code [i64 fingerprint][device key]}: a device's snapshots under one fingerprint. */
    static byte[] snapshotPrefix(long fingerprint, String device) {
        byte[] key = device(device);
        return ByteBuffer.allocate(8 + key.length).putLong(fingerprint).put(key).array();
    }

    static byte[] snapshot(long fingerprint, String device, Position position) {
        return record(snapshotPrefix(fingerprint, device), position);
    }

    /** The prefix, the clock in an order-preserving form (sign bit flipped), the position. */
    static byte[] snapshotClock(long fingerprint, String device, long lastSeen, Position position) {
        byte[] prefix = snapshotPrefix(fingerprint, device);
        return ByteBuffer.allocate(prefix.length + 8 + 12)
                .put(prefix)
                .putLong(lastSeen ^ Long.MIN_VALUE)
                .putInt(position.partition())
                .putLong(position.offset())
                .array();
    }

    static byte[] device(String device) {
        byte[] id = device.getBytes(StandardCharsets.UTF_8);
        return ByteBuffer.allocate(2 + id.length).putShort((short) id.length).put(id).array();
    }

    static byte[] record(byte[] deviceKey, Position position) {
        return ByteBuffer.allocate(deviceKey.length + 12)
                .put(deviceKey)
                .putInt(position.partition())
                .putLong(position.offset())
                .array();
    }

    /** The device part of a record key written from raw Kafka key bytes; null if not a device. */
    static byte[] deviceFromRecordKey(byte[] kafkaKey) {
        if (kafkaKey == null || kafkaKey.length == 0 || kafkaKey.length > MAX_DEVICE_BYTES) {
            return null;
        }
        return ByteBuffer.allocate(2 + kafkaKey.length)
                .putShort((short) kafkaKey.length)
                .put(kafkaKey)
                .array();
    }

    static String deviceOf(byte[] key) {
        int length = Short.toUnsignedInt(ByteBuffer.wrap(key).getShort());
        return new String(key, 2, length, StandardCharsets.UTF_8);
    }

    static Position positionOf(byte[] key) {
        ByteBuffer buffer = ByteBuffer.wrap(key, key.length - 12, 12);
        return new Position(buffer.getInt(), buffer.getLong());
    }
}
