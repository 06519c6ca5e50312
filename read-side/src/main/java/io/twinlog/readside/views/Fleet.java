package io.twinlog.readside.views;

import io.twinlog.readside.index.Position;
import io.twinlog.readside.query.Page;
import io.twinlog.schema.twin.DeviceTwin;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentSkipListMap;

/** The latest twin of every device, summarised, ordered by device id for paging. */
public final class Fleet {

    private final ConcurrentSkipListMap<String, FleetEntry> devices = new ConcurrentSkipListMap<>();

    public void update(DeviceTwin twin, Position position) {
        devices.put(twin.getDeviceId().toString(), FleetEntry.of(twin, position));
    }

    public void remove(String device) {
        devices.remove(device);
    }

    public void clear() {
        devices.clear();
    }

    /** Takes another fleet's devices (a rebuilt view), dropping devices it does not have. */
    public void replaceWith(Fleet other) {
        devices.putAll(other.devices);
        devices.keySet().retainAll(other.devices.keySet());
    }

    public FleetEntry get(String device) {
        return devices.get(device);
    }

    public int size() {
        return devices.size();
    }

    /** Devices per status, and how many are offline or have an open alert. */
    public Map<String, Long> counts() {
        Map<String, Long> counts = new TreeMap<>();
        for (FleetEntry entry : devices.values()) {
            counts.merge(entry.status().name(), 1L, Long::sum);
            for (FleetFilter derived : List.of(FleetFilter.OFFLINE, FleetFilter.ALERTING)) {
                if (derived.matches(entry)) {
                    counts.merge(derived.name(), 1L, Long::sum);
                }
            }
        }
        counts.put("TOTAL", (long) devices.size());
        return counts;
    }

    /**
     * A page of devices after {@code cursor} (a device id, exclusive; null for the first page),
     * filtered by status (null for all) and text.
     */
    public Page<FleetEntry> page(FleetFilter status, String text, String cursor, int limit) {
        List<FleetEntry> items = new ArrayList<>();
        Map<String, FleetEntry> rest = cursor == null ? devices : devices.tailMap(cursor, false);
        for (FleetEntry entry : rest.values()) {
            if ((status == null || status.matches(entry))
                    && (text == null || entry.matches(text))) {
                if (items.size() == limit) {
                    return new Page<>(items, items.get(limit - 1).deviceId());
                }
                items.add(entry);
            }
        }
        return new Page<>(items, null);
    }
}
