package io.twinlog.readside;

import io.twinlog.readside.group.Placement;
import io.twinlog.readside.query.HistoryFold;
import io.twinlog.readside.query.Page;
import io.twinlog.readside.query.StateCheck;
import io.twinlog.readside.views.FleetEntry;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * Every device's published twin against the read side's fold of its log (or about {@code sample} of
 * them, spread over the fleet), with the devices that mismatch, are split over partitions or were
 * too large to fold. What {@code twinlog verify-read-side} prints and {@code /api/verify} answers.
 *
 * @param devices the fleet's size
 * @param counts devices per verdict
 * @param mismatches at most {@code max} of them, in fleet order (also for split and not checked)
 */
public record FleetCheck(
        int devices,
        Map<StateCheck.Verdict, Integer> counts,
        List<String> mismatches,
        List<String> split,
        List<String> notChecked) {

    /** The most devices one check folds: a bound on the time of one request. */
    public static final int MAX_SAMPLE = 10_000;

    public static FleetCheck run(ReadSide readSide, int sample, int max) {
        int devices = readSide.fleet().size();
        int wanted = sample <= 0 ? Math.min(devices, MAX_SAMPLE) : Math.min(sample, MAX_SAMPLE);
        int step = wanted >= devices ? 1 : Math.max(1, devices / Math.max(1, wanted));
        Map<StateCheck.Verdict, Integer> counts = new EnumMap<>(StateCheck.Verdict.class);
        List<String> mismatches = new ArrayList<>();
        List<String> split = new ArrayList<>();
        List<String> notChecked = new ArrayList<>();
        String cursor = null;
        int seen = 0;
        int checked = 0;
        do {
            Page<FleetEntry> page = readSide.fleet().page(null, null, cursor, 1_000);
            for (FleetEntry entry : page.items()) {
                if (seen++ % step != 0 || checked >= wanted) {
                    continue;
                }
                Placement.Kind placement = readSide.placement(entry.deviceId()).kind();
                if (placement == Placement.Kind.REMOTE) {
                    // In a group the owner of the device's partition checks it (docs/READ-SIDE.md).
                    continue;
                }
                if (placement != Placement.Kind.LOCAL) {
                    // Its partition changes hands: nobody can check it now, and the answer says so.
                    add(notChecked, entry.deviceId(), max);
                    continue;
                }
                checked++;
                StateCheck.Verdict verdict;
                try {
                    verdict = readSide.verify(entry.deviceId());
                } catch (HistoryFold.TooLongException e) {
                    add(notChecked, entry.deviceId(), max);
                    continue;
                }
                counts.merge(verdict, 1, Integer::sum);
                if (verdict == StateCheck.Verdict.MISMATCH) {
                    add(mismatches, entry.deviceId(), max);
                } else if (verdict == StateCheck.Verdict.SPLIT) {
                    add(split, entry.deviceId(), max);
                }
            }
            cursor = page.next();
        } while (cursor != null && checked < wanted);
        return new FleetCheck(
                devices, Map.copyOf(counts), List.copyOf(mismatches), split, notChecked);
    }

    /**
     * This check and another instance's of the same read-side group: each checked the devices of
     * its own partitions among the same sample, so together they checked the whole sample.
     */
    public FleetCheck with(FleetCheck other, int max) {
        Map<StateCheck.Verdict, Integer> sum = new EnumMap<>(StateCheck.Verdict.class);
        sum.putAll(counts);
        other.counts.forEach((verdict, n) -> sum.merge(verdict, n, Integer::sum));
        return new FleetCheck(
                Math.max(devices, other.devices),
                Map.copyOf(sum),
                joined(mismatches, other.mismatches, max),
                joined(split, other.split, max),
                joined(notChecked, other.notChecked, max));
    }

    /** Both lists, each device once (a device on the move is not checked by any instance). */
    private static List<String> joined(List<String> a, List<String> b, int max) {
        List<String> all = new ArrayList<>(a);
        b.stream().filter(device -> !all.contains(device)).forEach(device -> add(all, device, max));
        return List.copyOf(all);
    }

    private static void add(List<String> devices, String device, int max) {
        if (devices.size() < max) {
            devices.add(device);
        }
    }

    public int checked() {
        return counts.values().stream().mapToInt(Integer::intValue).sum();
    }

    public int count(StateCheck.Verdict verdict) {
        return counts.getOrDefault(verdict, 0);
    }

    /** Whether the job and the read side agree on every device checked. */
    public boolean agrees() {
        return count(StateCheck.Verdict.MISMATCH) == 0 && count(StateCheck.Verdict.SPLIT) == 0;
    }
}
