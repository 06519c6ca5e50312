package io.twinlog.twin;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class SeenIdFilterTest {

    @Test
    void everyIdPutInIsLetThrough() {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            ids.add(UUID.nameUUIDFromBytes(new byte[] {(byte) i, (byte) (i >> 8)}).toString());
        }
        ByteBuffer filter = SeenIdFilter.of(ids);

        assertThat(filter.remaining()).isEqualTo(1000 * SeenIdFilter.BITS_PER_ID / 8);
        assertThat(ids).allMatch(id -> SeenIdFilter.mightContain(filter, id));
    }

    @Test
    void aboutOnePercentOfOtherIdsAreLetThrough() {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 32; i++) {
            ids.add("dev-00042-" + i);
        }
        ByteBuffer filter = SeenIdFilter.of(ids);

        int passed = 0;
        int tries = 100_000;
        for (int i = 0; i < tries; i++) {
            if (SeenIdFilter.mightContain(filter, "dev-00042-other-" + i)) {
                passed++;
            }
        }
        // 10 bits per id and 7 probes: 0.8 % in theory.
        assertThat(passed).isBetween(tries / 400, tries / 40);
    }

    @Test
    void aFilterReadBackFromAnotherBufferPositionAnswersTheSame() {
        ByteBuffer filter = SeenIdFilter.of(List.of("a", "b"));
        ByteBuffer shifted = ByteBuffer.allocate(filter.remaining() + 3);
        shifted.position(3);
        shifted.put(filter.duplicate());
        shifted.position(3);

        assertThat(SeenIdFilter.mightContain(shifted, "a")).isTrue();
        assertThat(SeenIdFilter.mightContain(shifted, "b")).isTrue();
    }

    /**
     * The bytes are in savepoints: the hashes may never change. These are the bits of two ids from
     * String.hashCode and FNV-1a as another implementation computes them: a change breaks this
     * test.
     */
    @Test
    void theBitsAreFixedBecauseSavepointsHoldThem() {
        ByteBuffer filter = SeenIdFilter.of(List.of("e-1", "e-2"));

        assertThat(HexFormat.of().formatHex(filter.array())).isEqualTo(EXPECTED_E1_E2);
    }

    // From an implementation of the same hashes written apart from this one (Python, int32
    // arithmetic).
    static final String EXPECTED_E1_E2 = "50072000a4820018";
}
