package io.twinlog.twin;

import java.nio.ByteBuffer;
import java.util.Collection;

/**
 * A Bloom filter of event ids, kept in the device's state beside each spilled bucket of its dedup
 * memory: a bucket is read only for an id its filter lets through. About 10 bits per id and 7
 * probes: a false positive (a needless read, never a wrong answer) for about 1 % of other ids.
 *
 * <p>The bytes are part of the savepoint format, so the hashes are fixed: {@link String#hashCode}
 * (defined by the Java Language Specification) and FNV-1a over the same UTF-16 chars, combined by
 * double hashing.
 */
final class SeenIdFilter {

    static final int BITS_PER_ID = 10;
    static final int PROBES = 7;
    private static final int MIN_BITS = 64;

    private SeenIdFilter() {}

    static ByteBuffer of(Collection<String> ids) {
        int bits = Math.max(MIN_BITS, ids.size() * BITS_PER_ID);
        byte[] filter = new byte[(bits + 7) / 8];
        int size = filter.length * 8;
        for (String id : ids) {
            int first = id.hashCode();
            int second = fnv1a(id);
            for (int i = 0; i < PROBES; i++) {
                int bit = Math.floorMod(first + i * second, size);
                filter[bit >>> 3] |= (byte) (1 << (bit & 7));
            }
        }
        return ByteBuffer.wrap(filter);
    }

    static boolean mightContain(ByteBuffer filter, String id) {
        int size = filter.remaining() * 8;
        int first = id.hashCode();
        int second = fnv1a(id);
        for (int i = 0; i < PROBES; i++) {
            int bit = Math.floorMod(first + i * second, size);
            if ((filter.get(filter.position() + (bit >>> 3)) & (1 << (bit & 7))) == 0) {
                return false;
            }
        }
        return true;
    }

    /** FNV-1a over the chars, odd so that the probes of double hashing differ. */
    private static int fnv1a(String id) {
        int hash = 0x811C9DC5;
        for (int i = 0; i < id.length(); i++) {
            hash ^= id.charAt(i);
            hash *= 0x01000193;
        }
        return hash | 1;
    }
}
