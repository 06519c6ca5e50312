package io.twinlog.jobs.state;

import io.twinlog.schema.state.DeviceState;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Two sets of devices compared device by device: which match, which differ (field by field, see
 * {@link StateDiff}, and id by id in the dedup memory) and which exist on one side only.
 *
 * @param differences one line per differing field, prefixed with the device: {@code d1:
 *     twin.lastSeen: a != b}
 */
public record StateComparison(int matched, int mismatched, List<String> differences) {

    /** States and dedup memories. */
    public static StateComparison of(
            Map<String, DeviceSnapshot> left,
            Map<String, DeviceSnapshot> right,
            String leftName,
            String rightName) {
        return compare(left, right, leftName, rightName, StateComparison::differences);
    }

    /** States only, for savepoints written without a dedup memory. */
    public static StateComparison ofStates(
            Map<String, DeviceState> left,
            Map<String, DeviceState> right,
            String leftName,
            String rightName) {
        return compare(left, right, leftName, rightName, StateDiff::between);
    }

    private static List<String> differences(DeviceSnapshot left, DeviceSnapshot right) {
        List<String> differences = new ArrayList<>(StateDiff.between(left.state(), right.state()));
        TreeSet<String> ids = new TreeSet<>(left.seenEventIds().keySet());
        ids.addAll(right.seenEventIds().keySet());
        for (String id : ids) {
            Long l = left.seenEventIds().get(id);
            Long r = right.seenEventIds().get(id);
            if (!java.util.Objects.equals(l, r)) {
                differences.add(
                        "seenEventIds."
                                + id
                                + ": "
                                + (l == null ? "(not remembered)" : l)
                                + " != "
                                + (r == null ? "(not remembered)" : r));
            }
        }
        return differences;
    }

    private static <T> StateComparison compare(
            Map<String, T> left,
            Map<String, T> right,
            String leftName,
            String rightName,
            java.util.function.BiFunction<T, T, List<String>> diff) {
        TreeSet<String> devices = new TreeSet<>(left.keySet());
        devices.addAll(right.keySet());
        int matched = 0;
        int mismatched = 0;
        List<String> differences = new ArrayList<>();
        for (String device : devices) {
            T l = left.get(device);
            T r = right.get(device);
            List<String> fields =
                    l == null || r == null
                            ? List.of("only in " + (l == null ? rightName : leftName))
                            : diff.apply(l, r);
            if (fields.isEmpty()) {
                matched++;
            } else {
                mismatched++;
                fields.forEach(field -> differences.add(device + ": " + field));
            }
        }
        return new StateComparison(matched, mismatched, differences);
    }

    public boolean identical() {
        return mismatched == 0;
    }
}
