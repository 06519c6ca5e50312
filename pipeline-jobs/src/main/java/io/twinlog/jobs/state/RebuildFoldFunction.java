package io.twinlog.jobs.state;

import io.twinlog.jobs.Descriptors;
import io.twinlog.jobs.functions.MapStateSeenEventIds;
import io.twinlog.jobs.functions.SilenceTimers;
import io.twinlog.schema.common.LogPosition;
import io.twinlog.schema.internal.SourcedEvent;
import io.twinlog.schema.state.DeviceState;
import io.twinlog.twin.DeviceFold;
import io.twinlog.twin.FoldResult;

import org.apache.flink.api.common.accumulators.LongCounter;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.state.api.functions.KeyedStateBootstrapFunction;

/**
 * The live fold, writing the same keyed state (and silence timers) into a new savepoint. It must see
 * each device's events in log order: the rebuild stamps every record with its offset, the batch
 * runtime sorts a key's records by timestamp, and this function checks the result.
 */
public final class RebuildFoldFunction extends KeyedStateBootstrapFunction<String, SourcedEvent> {

    private static final long serialVersionUID = 1L;
    public static final String FOLDED_ACCUMULATOR = "records-folded";

    private final DeviceFold fold;

    private transient ValueState<DeviceState> deviceState;
    private transient MapStateSeenEventIds seen;
    private transient LongCounter folded;
    private transient String lastDevice;
    private transient LogPosition lastPosition;

    public RebuildFoldFunction(DeviceFold fold) {
        this.fold = fold;
    }

    @Override
    public void open(OpenContext openContext) {
        deviceState = getRuntimeContext().getState(Descriptors.DEVICE_STATE);
        seen = new MapStateSeenEventIds(getRuntimeContext().getMapState(Descriptors.SEEN_EVENT_IDS));
        folded = new LongCounter();
        getRuntimeContext().addAccumulator(FOLDED_ACCUMULATOR, folded);
    }

    @Override
    public void processElement(SourcedEvent sourced, Context ctx) throws Exception {
        LogPosition position = sourced.getRaw().getPosition();
        checkLogOrder(ctx.getCurrentKey(), position);
        FoldResult result = fold.apply(deviceState.value(), seen, sourced.getEvent(), position);
        folded.add(1);
        if (result.state() == null) {
            return;
        }
        SilenceTimers.reschedule(fold, result.state(), ctx.timerService());
        deviceState.update(result.state());
    }

    private void checkLogOrder(String device, LogPosition position) {
        if (device.equals(lastDevice)) {
            if (position.getPartition() != lastPosition.getPartition()) {
                throw new IllegalStateException("device " + device + " has events in partitions "
                        + lastPosition.getPartition() + " and " + position.getPartition()
                        + ": the event log must be partitioned by device id (the record key)");
            }
            if (position.getOffset() <= lastPosition.getOffset()) {
                throw new IllegalStateException("events of device " + device + " came out of log order ("
                        + lastPosition.getOffset() + " then " + position.getOffset() + ")");
            }
        }
        lastDevice = device;
        lastPosition = position;
    }
}
