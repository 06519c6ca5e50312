package io.twinlog.jobs.state;

import io.twinlog.schema.state.DeviceState;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;
import org.apache.avro.Schema;
import org.apache.avro.generic.IndexedRecord;

/**
 * Differences between two device states, field by field: {@code twin.readings.temperature.value:
 * 21.5 != 22.0}. The silence timer is left out: it records which Flink timer is registered, which
 * changes when the timer fires, not what the fold concluded.
 */
public final class StateDiff {

    private static final String IGNORED = "silenceTimer";

    private StateDiff() {}

    public static List<String> between(DeviceState left, DeviceState right) {
        List<String> differences = new ArrayList<>();
        compare("", left, right, differences);
        return differences;
    }

    private static void compare(String path, Object left, Object right, List<String> differences) {
        if (left instanceof IndexedRecord l
                && right instanceof IndexedRecord r
                && l.getSchema().equals(r.getSchema())) {
            for (Schema.Field field : l.getSchema().getFields()) {
                if (path.isEmpty() && field.name().equals(IGNORED)) {
                    continue;
                }
                compare(
                        path + (path.isEmpty() ? "" : ".") + field.name(),
                        l.get(field.pos()),
                        r.get(field.pos()),
                        differences);
            }
            return;
        }
        if (left instanceof Map<?, ?> l && right instanceof Map<?, ?> r) {
            TreeSet<String> keys = new TreeSet<>();
            l.keySet().forEach(k -> keys.add(k.toString()));
            r.keySet().forEach(k -> keys.add(k.toString()));
            for (String key : keys) {
                compare(path + "." + key, l.get(key), r.get(key), differences);
            }
            return;
        }
        if (!Objects.equals(left, right)) {
            differences.add(path + ": " + left + " != " + right);
        }
    }
}
