package io.twinlog.twin;

import io.twinlog.schema.state.DeviceState;
import io.twinlog.schema.state.SeenIds;
import io.twinlog.schema.state.SpilledIds;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A device's dedup memory laid out so that an event costs no state access of its own: the newest
 * ids are kept in the device's state ({@link SeenIds}), which the fold reads and writes anyway.
 * Every {@value #SPILL_AT} ids move together into a bucket of a keyed map, one entry per bucket,
 * and the state keeps the bucket's event-time range and a Bloom filter of its ids ({@link
 * SeenIdFilter}). Looking an id up reads a bucket only when its filter lets the id through: a
 * re-sent event, or about 1 % of the others per bucket. Pruning drops buckets wholly older than the
 * cutoff without reading them.
 *
 * <p>The answers are those of a plain map from id to event time: every id is in one place only (a
 * remembered id that was spilled moves back to the state). The layout decides only the cost.
 * docs/FOLD.md, "Dedup memory layout".
 */
public final class BucketedSeenEventIds implements SeenEventIds {

    /** The spilled buckets of the current device, by number. */
    public interface Buckets {

        /** The ids of the bucket with their event times; a map the caller may change. */
        Map<String, Long> get(int bucket);

        void put(int bucket, Map<String, Long> ids);

        void remove(int bucket);
    }

    /** Ids kept in the state before they move to a bucket together. */
    public static final int SPILL_AT = 32;

    private final SeenIds memory;
    private final Buckets buckets;
    private final int spillAt;

    // Where the last lookup found its id outside the state: the fold remembers the id it just
    // looked up, and must not read the bucket twice.
    private String lookedUp;
    private SpilledIds foundIn;
    private Map<String, Long> foundBucket;

    private BucketedSeenEventIds(SeenIds memory, Buckets buckets, int spillAt) {
        this.memory = memory;
        this.buckets = buckets;
        this.spillAt = spillAt;
    }

    /**
     * The dedup memory of a device.
     *
     * @param state the device's state, or null for a device without one (its memory starts empty)
     */
    public static BucketedSeenEventIds of(DeviceState state, Buckets buckets) {
        return of(state, buckets, SPILL_AT);
    }

    /** As {@link #of(DeviceState, Buckets)}, spilling every {@code spillAt} ids (tests). */
    public static BucketedSeenEventIds of(DeviceState state, Buckets buckets, int spillAt) {
        SeenIds memory = state == null ? null : state.getSeenIds();
        return new BucketedSeenEventIds(memory == null ? empty() : memory, buckets, spillAt);
    }

    /**
     * True for a state written before 0.4.0 whose ids are still in the map state of that layout:
     * {@link #adopt} them before the device's event is folded.
     */
    public static boolean holdsOlderLayout(DeviceState state) {
        return state != null && state.getSeenIds() == null && state.getSeenIdCount() > 0;
    }

    /** Takes over the ids of the layout before 0.4.0 (one map entry per id). */
    public void adopt(Iterable<Map.Entry<String, Long>> ids) {
        for (Map.Entry<String, Long> id : ids) {
            remember(id.getKey(), id.getValue());
        }
    }

    /** What the device's state keeps of its memory: store it with the state after each event. */
    public SeenIds memory() {
        return memory;
    }

    private static SeenIds empty() {
        return new SeenIds(new HashMap<>(), 0, new ArrayList<>());
    }

    @Override
    public Long timeOf(String eventId) {
        clearLookup();
        lookedUp = eventId;
        Long time = memory.getRecent().get(eventId);
        if (time != null) {
            return time;
        }
        for (SpilledIds spilled : memory.getSpilled()) {
            if (SeenIdFilter.mightContain(spilled.getFilter(), eventId)) {
                Map<String, Long> ids = buckets.get(spilled.getBucket());
                time = ids.get(eventId);
                if (time != null) {
                    foundIn = spilled;
                    foundBucket = ids;
                    return time;
                }
            }
        }
        return null;
    }

    @Override
    public void remember(String eventId, long eventTime) {
        Map<String, Long> recent = memory.getRecent();
        if (!recent.containsKey(eventId)) {
            if (!eventId.equals(lookedUp)) {
                timeOf(eventId);
            }
            if (foundIn != null) {
                foundBucket.remove(eventId);
                rewrite(foundIn, foundBucket);
            }
        }
        clearLookup();
        recent.put(eventId, eventTime);
        if (recent.size() >= spillAt) {
            spill();
        }
    }

    @Override
    public int forgetBefore(long cutoff) {
        clearLookup();
        memory.getRecent().values().removeIf(time -> time < cutoff);
        int kept = memory.getRecent().size();
        for (SpilledIds spilled : new ArrayList<>(memory.getSpilled())) {
            if (spilled.getMaxTime() < cutoff) {
                drop(spilled);
            } else if (spilled.getMinTime() < cutoff) {
                Map<String, Long> ids = buckets.get(spilled.getBucket());
                ids.values().removeIf(time -> time < cutoff);
                rewrite(spilled, ids);
                kept += ids.size();
            } else {
                kept += spilled.getCount();
            }
        }
        return kept;
    }

    @Override
    public void forget(Collection<String> eventIds) {
        clearLookup();
        Set<String> forgotten = new HashSet<>(eventIds);
        memory.getRecent().keySet().removeAll(forgotten);
        for (SpilledIds spilled : new ArrayList<>(memory.getSpilled())) {
            if (forgotten.stream()
                    .anyMatch(id -> SeenIdFilter.mightContain(spilled.getFilter(), id))) {
                Map<String, Long> ids = buckets.get(spilled.getBucket());
                if (ids.keySet().removeAll(forgotten)) {
                    rewrite(spilled, ids);
                }
            }
        }
    }

    @Override
    public Iterable<Map.Entry<String, Long>> entries() {
        List<Map.Entry<String, Long>> entries = new ArrayList<>(memory.getRecent().entrySet());
        for (SpilledIds spilled : memory.getSpilled()) {
            entries.addAll(buckets.get(spilled.getBucket()).entrySet());
        }
        return entries;
    }

    @Override
    public void clear() {
        clearLookup();
        for (SpilledIds spilled : memory.getSpilled()) {
            buckets.remove(spilled.getBucket());
        }
        memory.getSpilled().clear();
        memory.getRecent().clear();
    }

    private void spill() {
        Map<String, Long> ids = new HashMap<>(memory.getRecent());
        int bucket = memory.getNextBucket();
        memory.setNextBucket(bucket + 1);
        buckets.put(bucket, ids);
        memory.getSpilled().add(describe(bucket, ids));
        memory.getRecent().clear();
    }

    /** Writes a bucket back after a change, or removes it once empty. */
    private void rewrite(SpilledIds spilled, Map<String, Long> ids) {
        if (ids.isEmpty()) {
            drop(spilled);
            return;
        }
        buckets.put(spilled.getBucket(), ids);
        SpilledIds now = describe(spilled.getBucket(), ids);
        spilled.setCount(now.getCount());
        spilled.setMinTime(now.getMinTime());
        spilled.setMaxTime(now.getMaxTime());
        spilled.setFilter(now.getFilter());
    }

    /**
     * Removes a bucket and its description. The list of descriptions is replaced, never changed
     * through an iterator: read back from state it is Avro's {@code GenericData.Array}, whose
     * iterator cannot remove.
     */
    private void drop(SpilledIds spilled) {
        buckets.remove(spilled.getBucket());
        List<SpilledIds> kept = new ArrayList<>(memory.getSpilled().size());
        for (SpilledIds other : memory.getSpilled()) {
            if (other.getBucket() != spilled.getBucket()) {
                kept.add(other);
            }
        }
        memory.setSpilled(kept);
    }

    private static SpilledIds describe(int bucket, Map<String, Long> ids) {
        long min = Long.MAX_VALUE;
        long max = Long.MIN_VALUE;
        for (long time : ids.values()) {
            min = Math.min(min, time);
            max = Math.max(max, time);
        }
        return new SpilledIds(bucket, ids.size(), min, max, SeenIdFilter.of(ids.keySet()));
    }

    private void clearLookup() {
        lookedUp = null;
        foundIn = null;
        foundBucket = null;
    }
}
