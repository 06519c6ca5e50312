package io.twinlog.readside.query;

import io.twinlog.readside.index.Position;
import io.twinlog.schema.state.DeviceState;
import io.twinlog.schema.twin.DeviceTwin;
import java.util.List;

/**
 * A device's records folded up to some point.
 *
 * @param state the device's state after the last record folded; null if it was not known yet
 * @param entries every record folded, in log order, with what it did
 * @param provenance which events set what the twin holds
 */
public record Replay(
        String device, DeviceState state, List<HistoryEntry> entries, Provenance provenance) {

    public DeviceTwin twin() {
        return state == null ? null : state.getTwin();
    }

    /** The position of the last record folded, or null if none. */
    public Position position() {
        return entries.isEmpty() ? null : entries.get(entries.size() - 1).position();
    }
}
