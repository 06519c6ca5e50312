package io.twinlog.twin;

import io.twinlog.schema.state.DeviceState;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * The dedup memory of one device: which ids count as seen, and how the memory is kept bounded.
 *
 * <p>An id counts as seen while its event time is within the dedup window of the device's last seen
 * time. Expired ids are pruned lazily, in one pass each time the window has moved on by half its
 * length, so each id is visited a few times in its life. When more than {@code maxSeenIdsPerDevice}
 * ids are within the window, the oldest of them (by event time, then id) are forgotten down to
 * three quarters of the bound. Expired ids are pruned before the bound is applied, so whether an id
 * was pruned yet never changes an answer: the answers are a function of the device's applied
 * events.
 */
final class SeenIdsPolicy {

    private final long windowMillis;
    private final int maxIds;

    SeenIdsPolicy(FoldSettings settings) {
        this.windowMillis = settings.dedupWindow().toMillis();
        this.maxIds = settings.maxSeenIdsPerDevice();
    }

    boolean isDuplicate(Long seenAt, long lastSeen) {
        return seenAt != null && seenAt >= lastSeen - windowMillis;
    }

    void remember(
            DeviceState state,
            SeenEventIds seen,
            String eventId,
            long eventTime,
            boolean alreadyPresent) {
        seen.remember(eventId, eventTime);
        if (!alreadyPresent) {
            state.setSeenIdCount(state.getSeenIdCount() + 1);
        }
        long cutoff = state.getTwin().getLastSeen().toEpochMilli() - windowMillis;
        if (cutoff - state.getSeenIdsPrunedBelow() >= Math.max(windowMillis / 2, 1)) {
            prune(state, seen, cutoff);
        }
        if (state.getSeenIdCount() > maxIds) {
            // Only ids within the window count toward the bound: expired ones go first, so an id is
            // forgotten early only when more than the bound are within the window at this event.
            prune(state, seen, cutoff);
            if (state.getSeenIdCount() > maxIds) {
                forgetOldest(state, seen, state.getSeenIdCount() - maxIds * 3 / 4);
            }
        }
    }

    void forgetAll(DeviceState state, SeenEventIds seen) {
        seen.clear();
        state.setSeenIdCount(0);
    }

    private static void prune(DeviceState state, SeenEventIds seen, long cutoff) {
        state.setSeenIdCount(seen.forgetBefore(cutoff));
        state.setSeenIdsPrunedBelow(cutoff);
    }

    private static void forgetOldest(DeviceState state, SeenEventIds seen, int count) {
        List<Map.Entry<String, Long>> all = new ArrayList<>();
        for (Map.Entry<String, Long> entry : seen.entries()) {
            all.add(Map.entry(entry.getKey(), entry.getValue()));
        }
        all.sort(
                Map.Entry.<String, Long>comparingByValue()
                        .thenComparing(Map.Entry.comparingByKey(Comparator.naturalOrder())));
        int forgotten = Math.min(count, all.size());
        seen.forget(all.subList(0, forgotten).stream().map(Map.Entry::getKey).toList());
        state.setSeenIdCount(all.size() - forgotten);
    }
}
