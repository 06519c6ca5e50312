package io.twinlog.twin;

import static org.assertj.core.api.Assertions.assertThat;

import io.twinlog.schema.state.DeviceState;
import io.twinlog.schema.state.SpilledIds;
import io.twinlog.testing.StoredStates;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

class BucketedSeenEventIdsTest {

    private static final StoredStates STORED = new StoredStates();

    /** One operation on the memory: what the fold and the pruning policy do with it. */
    record Op(String kind, String id, long time, List<String> ids) {
        @Override
        public String toString() {
            return kind + "(" + (ids == null ? id + "@" + time : ids) + ")";
        }
    }

    /**
     * Any sequence of operations answers as a plain map from id to event time would, with every id
     * in one place, whatever the state was stored and loaded in between. Loading reads the state
     * back through the job's state serializer, as RocksDB does: the memory must work on the objects
     * Avro decodes, not only on those built on the heap.
     */
    @Property(tries = 500)
    void answersAsAMapWould(
            @ForAll("operations") @Size(max = 200) List<Op> ops,
            @ForAll @IntRange(min = 1, max = 6) int spillAt) {
        Map<String, Long> model = new HashMap<>();
        InMemoryBuckets buckets = new InMemoryBuckets();
        DeviceState state = DeviceStates.empty();
        BucketedSeenEventIds seen = BucketedSeenEventIds.of(state, buckets, spillAt);
        for (Op op : ops) {
            // The memory is loaded from and stored into the state around each event, as the jobs
            // do; one event may do several operations on it (a look-up, then remember, prune or
            // forget), here whenever the time is not a multiple of three.
            if (op.time() % 3 == 0) {
                state = STORED.reloaded(state);
                seen = BucketedSeenEventIds.of(state, buckets, spillAt);
            }
            switch (op.kind()) {
                case "timeOf" ->
                        assertThat(seen.timeOf(op.id())).as("%s", op).isEqualTo(model.get(op.id()));
                case "remember" -> {
                    seen.timeOf(op.id()); // the fold looks an id up before it remembers it
                    seen.remember(op.id(), op.time());
                    model.put(op.id(), op.time());
                }
                case "rememberUnseen" -> {
                    seen.remember(op.id(), op.time());
                    model.put(op.id(), op.time());
                }
                case "forgetBefore" -> {
                    model.values().removeIf(t -> t < op.time());
                    assertThat(seen.forgetBefore(op.time())).as("%s", op).isEqualTo(model.size());
                }
                case "forget" -> {
                    seen.forget(op.ids());
                    model.keySet().removeAll(op.ids());
                }
                case "clear" -> {
                    seen.clear();
                    model.clear();
                }
                default -> throw new IllegalStateException(op.kind());
            }
            state.setSeenIds(seen.memory());
            assertThat(contents(seen)).as("after %s", op).isEqualTo(new TreeMap<>(model));
            assertOnePlacePerId(state, buckets);
            assertThat(state.getSeenIds().getRecent()).hasSizeLessThan(spillAt);
        }
    }

    @Provide
    Arbitrary<List<Op>> operations() {
        Arbitrary<String> ids = Arbitraries.integers().between(0, 40).map(i -> "e-" + i);
        Arbitrary<Long> times = Arbitraries.longs().between(0, 100);
        Arbitrary<Op> single =
                Combinators.combine(
                                Arbitraries.of(
                                        "timeOf",
                                        "remember",
                                        "remember",
                                        "remember",
                                        "rememberUnseen",
                                        "forgetBefore",
                                        "forget",
                                        "clear"),
                                ids,
                                times,
                                ids.list().ofMaxSize(5))
                        .as(
                                (kind, id, time, some) ->
                                        new Op(kind, id, time, kind.equals("forget") ? some : null))
                        .filter(op -> !op.kind().equals("clear") || op.time() < 3);
        return single.list();
    }

    @Test
    void idsStayInTheStateUntilTheyAreSpilledTogether() {
        InMemoryBuckets buckets = new InMemoryBuckets();
        BucketedSeenEventIds seen = BucketedSeenEventIds.of(null, buckets);

        for (int i = 0; i < BucketedSeenEventIds.SPILL_AT - 1; i++) {
            assertThat(seen.timeOf("e-" + i)).isNull();
            seen.remember("e-" + i, i);
        }
        assertThat(buckets.reads + buckets.writes).isZero();

        seen.remember("e-last", 100);

        assertThat(buckets.writes).isEqualTo(1);
        assertThat(seen.memory().getRecent()).isEmpty();
        SpilledIds spilled = seen.memory().getSpilled().get(0);
        assertThat(spilled.getCount()).isEqualTo(BucketedSeenEventIds.SPILL_AT);
        assertThat(spilled.getMinTime()).isZero();
        assertThat(spilled.getMaxTime()).isEqualTo(100);
    }

    @Test
    void newIdsReadASpilledBucketOnlyWhenItsFilterLetsThemThrough() {
        InMemoryBuckets buckets = new InMemoryBuckets();
        BucketedSeenEventIds seen = BucketedSeenEventIds.of(null, buckets);
        for (int i = 0; i < 10 * BucketedSeenEventIds.SPILL_AT; i++) {
            seen.remember("old-" + i, i);
        }
        assertThat(seen.memory().getSpilled()).hasSize(10);
        int readsBefore = buckets.reads;

        int lookups = 10_000;
        for (int i = 0; i < lookups; i++) {
            assertThat(seen.timeOf("new-" + i)).isNull();
        }

        // Ten filters at about 1 % false positives each: about a tenth of the lookups read one.
        assertThat(buckets.reads - readsBefore).isLessThan(lookups / 5);
        assertThat(seen.timeOf("old-17")).isEqualTo(17L);
    }

    @Test
    void aReSentSpilledIdMovesBackToTheStateWithItsNewTime() {
        InMemoryBuckets buckets = new InMemoryBuckets();
        BucketedSeenEventIds seen = BucketedSeenEventIds.of(null, buckets, 2);
        seen.remember("a", 1);
        seen.remember("b", 2); // spills a and b
        seen.remember("c", 3);

        assertThat(seen.timeOf("a")).isEqualTo(1L);
        seen.remember("a", 50);

        assertThat(seen.memory().getRecent()).isEmpty(); // c and a spilled together
        assertThat(buckets.all().values())
                .containsExactlyInAnyOrder(Map.of("b", 2L), Map.of("c", 3L, "a", 50L));
    }

    @Test
    void pruningDropsBucketsWhollyBeforeTheCutoffWithoutReadingThem() {
        InMemoryBuckets buckets = new InMemoryBuckets();
        BucketedSeenEventIds seen = BucketedSeenEventIds.of(null, buckets, 3);
        for (int i = 0; i < 9; i++) {
            seen.remember("e-" + i, i * 10); // buckets [0,20], [30,50], [60,80]
        }
        int readsBefore = buckets.reads;

        assertThat(seen.forgetBefore(55)).isEqualTo(3);

        assertThat(buckets.reads - readsBefore).isZero();
        assertThat(buckets.size()).isEqualTo(1);
        assertThat(seen.forgetBefore(70)).isEqualTo(2); // one read: the bucket straddles 70
        assertThat(buckets.reads - readsBefore).isEqualTo(1);
    }

    @Test
    void anIdExactlyAtTheCutoffStaysInItsBucket() {
        InMemoryBuckets buckets = new InMemoryBuckets();
        BucketedSeenEventIds seen = BucketedSeenEventIds.of(null, buckets, 2);
        seen.remember("a", 5);
        seen.remember("b", 10);

        assertThat(seen.forgetBefore(10)).isEqualTo(1);

        assertThat(seen.timeOf("b")).isEqualTo(10L);
        assertThat(seen.timeOf("a")).isNull();
    }

    @Test
    void clearingRemovesEveryBucket() {
        InMemoryBuckets buckets = new InMemoryBuckets();
        BucketedSeenEventIds seen = BucketedSeenEventIds.of(null, buckets, 2);
        for (int i = 0; i < 7; i++) {
            seen.remember("e-" + i, i);
        }

        seen.clear();

        assertThat(buckets.size()).isZero();
        assertThat(seen.memory().getSpilled()).isEmpty();
        assertThat(seen.memory().getRecent()).isEmpty();
    }

    @Test
    void aStateOfTheLayoutBefore040IsAdoptedIdByIdAndThenNoLongerOlder() {
        DeviceState old = DeviceStates.empty();
        old.setSeenIds(null);
        old.setSeenIdCount(3);
        assertThat(BucketedSeenEventIds.holdsOlderLayout(old)).isTrue();
        InMemoryBuckets buckets = new InMemoryBuckets();
        BucketedSeenEventIds seen = BucketedSeenEventIds.of(old, buckets, 2);

        seen.adopt(Map.of("x", 1L, "y", 2L, "z", 3L).entrySet());
        old.setSeenIds(seen.memory());

        assertThat(contents(seen)).isEqualTo(Map.of("x", 1L, "y", 2L, "z", 3L));
        assertThat(BucketedSeenEventIds.holdsOlderLayout(old)).isFalse();
        DeviceState fresh = DeviceStates.empty();
        fresh.setSeenIds(null);
        assertThat(BucketedSeenEventIds.holdsOlderLayout(fresh)).as("nothing to adopt").isFalse();
        assertThat(BucketedSeenEventIds.holdsOlderLayout(null)).isFalse();
    }

    private static Map<String, Long> contents(SeenEventIds seen) {
        Map<String, Long> all = new TreeMap<>();
        seen.entries().forEach(e -> assertThat(all.put(e.getKey(), e.getValue())).isNull());
        return all;
    }

    private static void assertOnePlacePerId(DeviceState state, InMemoryBuckets buckets) {
        Set<String> seen = new HashSet<>(state.getSeenIds().getRecent().keySet());
        List<Integer> described = new ArrayList<>();
        for (SpilledIds spilled : state.getSeenIds().getSpilled()) {
            described.add(spilled.getBucket());
            Map<String, Long> ids = buckets.all().get(spilled.getBucket());
            assertThat(ids).as("bucket %d", spilled.getBucket()).isNotEmpty();
            assertThat(spilled.getCount()).isEqualTo(ids.size());
            for (Map.Entry<String, Long> id : ids.entrySet()) {
                assertThat(seen.add(id.getKey())).as("%s in one place", id.getKey()).isTrue();
            }
            assertThat(spilled.getMinTime()).isEqualTo(Collections.min(ids.values()));
            assertThat(spilled.getMaxTime()).isEqualTo(Collections.max(ids.values()));
            assertThat(spilled.getFilter()).isEqualTo(SeenIdFilter.of(ids.keySet()));
        }
        assertThat(buckets.all().keySet())
                .as("buckets the state knows")
                .containsExactlyInAnyOrderElementsOf(described);
    }
}
