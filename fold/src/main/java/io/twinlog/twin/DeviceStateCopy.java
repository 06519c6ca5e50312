package io.twinlog.twin;

import io.twinlog.schema.common.EventRef;
import io.twinlog.schema.common.LogPosition;
import io.twinlog.schema.state.DeviceState;
import io.twinlog.schema.state.RuleState;
import io.twinlog.schema.state.SeenIds;
import io.twinlog.schema.state.SpilledIds;
import io.twinlog.schema.twin.DeviceTwin;
import io.twinlog.schema.twin.Reading;
import io.twinlog.schema.twin.TwinCounters;
import java.nio.ByteBuffer;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;

/**
 * A deep copy of a device's state, for the engines that keep states on the heap and hand each fold
 * a copy (a fold changes its state in place). It builds what Avro's {@code deepCopy} builds (hash
 * maps, {@link GenericData.Array} lists, buffers of their own) through the records' constructors
 * instead of Avro's reflection, which cost ~30 µs per state with a full dedup memory: most of the
 * read side's fold of a record (docs/READ-SIDE.md, "Snapshots"). A field added to a schema changes
 * a constructor and stops this class from compiling until it copies the field.
 */
public final class DeviceStateCopy {

    private static final Schema ACTIVE_ALERTS =
            DeviceTwin.getClassSchema().getField("activeAlerts").schema();
    private static final Schema SPILLED = SeenIds.getClassSchema().getField("spilled").schema();

    private DeviceStateCopy() {}

    public static DeviceState of(DeviceState state) {
        if (state == null) {
            return null;
        }
        return new DeviceState(
                twin(state.getTwin()),
                state.getFirmwareEventId(),
                state.getOfflineSince(),
                map(state.getRules(), DeviceStateCopy::rule),
                state.getSeenIdCount(),
                state.getSeenIdsPrunedBelow(),
                state.getSilenceTimer(),
                seenIds(state.getSeenIds()),
                state.getRulesFingerprint());
    }

    private static DeviceTwin twin(DeviceTwin twin) {
        if (twin == null) {
            return null;
        }
        TwinCounters counters = twin.getCounters();
        EventRef lastEvent = twin.getLastEvent();
        return new DeviceTwin(
                twin.getDeviceId(),
                twin.getStatus(),
                twin.getOnline(),
                twin.getModel(),
                twin.getFirmwareVersion(),
                twin.getFirmwareUpdatedAt(),
                map(twin.getTags(), UnaryOperator.identity()),
                map(twin.getReadings(), DeviceStateCopy::reading),
                twin.getRegisteredAt(),
                twin.getDecommissionedAt(),
                twin.getDecommissionReason(),
                twin.getFirstSeen(),
                twin.getLastSeen(),
                counters == null
                        ? null
                        : new TwinCounters(
                                counters.getApplied(),
                                counters.getDuplicates(),
                                counters.getLate(),
                                counters.getRejected()),
                lastEvent == null
                        ? null
                        : new EventRef(lastEvent.getEventId(), position(lastEvent.getPosition())),
                list(ACTIVE_ALERTS, twin.getActiveAlerts(), UnaryOperator.identity()),
                twin.getRulesVersion());
    }

    private static Reading reading(Reading reading) {
        return reading == null
                ? null
                : new Reading(reading.getValue(), reading.getEventTime(), reading.getEventId());
    }

    private static LogPosition position(LogPosition position) {
        return position == null
                ? null
                : new LogPosition(
                        position.getTopic(), position.getPartition(), position.getOffset());
    }

    private static RuleState rule(RuleState rule) {
        return rule == null
                ? null
                : new RuleState(
                        rule.getPendingSince(), rule.getActiveAlertId(), rule.getRaisedAt());
    }

    private static SeenIds seenIds(SeenIds seenIds) {
        if (seenIds == null) {
            return null;
        }
        return new SeenIds(
                map(seenIds.getRecent(), UnaryOperator.identity()),
                seenIds.getNextBucket(),
                list(SPILLED, seenIds.getSpilled(), DeviceStateCopy::spilled));
    }

    private static SpilledIds spilled(SpilledIds spilled) {
        return spilled == null
                ? null
                : new SpilledIds(
                        spilled.getBucket(),
                        spilled.getCount(),
                        spilled.getMinTime(),
                        spilled.getMaxTime(),
                        bytes(spilled.getFilter()));
    }

    private static ByteBuffer bytes(ByteBuffer buffer) {
        if (buffer == null) {
            return null;
        }
        byte[] copy = new byte[buffer.remaining()];
        buffer.duplicate().get(copy);
        return ByteBuffer.wrap(copy);
    }

    private static <V> Map<String, V> map(Map<String, V> map, UnaryOperator<V> value) {
        if (map == null) {
            return null;
        }
        Map<String, V> copy = new HashMap<>(map.size()); // as Avro sizes it: the same order
        map.forEach((key, v) -> copy.put(key, value.apply(v)));
        return copy;
    }

    private static <T> List<T> list(Schema schema, List<T> list, UnaryOperator<T> item) {
        if (list == null) {
            return null;
        }
        GenericData.Array<T> copy = new GenericData.Array<>(list.size(), schema);
        for (T each : list) {
            copy.add(item.apply(each));
        }
        return copy;
    }
}
