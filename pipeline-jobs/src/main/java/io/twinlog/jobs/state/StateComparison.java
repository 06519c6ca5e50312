package io.twinlog.jobs.state;

import io.twinlog.schema.state.DeviceState;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Two sets of device states compared device by device: which match, which differ (field by field,
 * see {@link StateDiff}) and which exist on one side only.
 *
 * @param differences one line per differing field, prefixed with the device: {@code d1:
 *     twin.lastSeen: a != b}
 */
public record StateComparison(int matched, int mismatched, List<String> differences) {

    public static StateComparison of(
            Map<String, DeviceState> left,
            Map<String, DeviceState> right,
            String leftName,
            String rightName) {
        TreeSet<String> devices = new TreeSet<>(left.keySet());
        devices.addAll(right.keySet());
        int matched = 0;
        int mismatched = 0;
        List<String> differences = new ArrayList<>();
        for (String device : devices) {
            DeviceState l = left.get(device);
            DeviceState r = right.get(device);
            List<String> fields =
                    l == null || r == null
                            ? List.of("only in " + (l == null ? rightName : leftName))
                            : StateDiff.between(l, r);
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
