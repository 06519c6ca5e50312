package io.twinlog.readside.query;

import io.twinlog.readside.index.Position;
import io.twinlog.schema.state.DeviceState;
import io.twinlog.schema.twin.DeviceTwin;
import java.util.List;

/**
 * A device's records folded up to some point.
 *
 * @param state the device's state after the last record folded; null if it was not known yet
 * @param records how many of the device's records were folded, from its first
 * @param position the last record folded, or null if none
 * @param entries every record folded with what it did, for a fold of the whole history ({@link
 *     HistoryFold#all}); empty for an answer at a point, which keeps only the provenance's
 * @param provenance which events set what the twin holds
 */
public record Replay(
        String device,
        DeviceState state,
        long records,
        Position position,
        List<HistoryEntry> entries,
        Provenance provenance) {

    public DeviceTwin twin() {
        return state == null ? null : state.getTwin();
    }
}
