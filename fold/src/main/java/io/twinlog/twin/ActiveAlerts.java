package io.twinlog.twin;

import io.twinlog.schema.state.DeviceState;
import io.twinlog.schema.state.RuleState;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The twin's {@code activeAlerts}: the rules with an open alert episode, sorted. The episodes in
 * the device state are the truth and the field is derived from them, so a state written before the
 * field existed (restored from an older savepoint) gets it right as soon as it is read.
 */
public final class ActiveAlerts {

    private ActiveAlerts() {}

    /** Sets the twin's field from the episodes and returns the same state (null stays null). */
    public static DeviceState refresh(DeviceState state) {
        if (state != null) {
            state.getTwin().setActiveAlerts(of(state.getRules()));
        }
        return state;
    }

    static List<String> of(Map<String, RuleState> rules) {
        if (rules.isEmpty()) {
            return List.of(); // most devices, most of the time
        }
        List<String> active = new ArrayList<>();
        for (Map.Entry<String, RuleState> rule : new TreeMap<>(rules).entrySet()) {
            if (rule.getValue().getActiveAlertId() != null) {
                active.add(rule.getKey());
            }
        }
        return active;
    }
}
