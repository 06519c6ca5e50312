package io.twinlog.jobs.state;

import io.twinlog.alerts.RuleVersions;
import io.twinlog.jobs.functions.KeyedDeviceState;
import io.twinlog.jobs.functions.RecordedManifest;
import io.twinlog.jobs.topology.Descriptors;
import io.twinlog.kernel.DeviceFolder;
import io.twinlog.schema.common.LogPosition;
import io.twinlog.schema.internal.FoldInput;
import io.twinlog.schema.internal.SourcedEvent;
import io.twinlog.schema.rules.RuleSet;
import io.twinlog.twin.DeviceFold;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.accumulators.Accumulator;
import org.apache.flink.api.common.accumulators.ListAccumulator;
import org.apache.flink.api.common.accumulators.LongCounter;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.functions.RuntimeContext;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.runtime.state.FunctionInitializationContext;
import org.apache.flink.runtime.state.FunctionSnapshotContext;
import org.apache.flink.state.api.functions.KeyedStateBootstrapFunction;
import org.apache.flink.streaming.api.checkpoint.CheckpointedFunction;

/**
 * The live fold, writing the same keyed state (and silence timers) into a new savepoint. It must
 * see each device's events in log order: the rebuild stamps every record with its offset, the batch
 * runtime sorts a key's records by timestamp, and this function checks the result.
 *
 * <p>It never throws: the State Processor API (2.2) runs bootstrap functions in a thread whose
 * exceptions are swallowed, which leaves the job hanging or, worse, writes a savepoint without the
 * failed part. Problems are reported in the {@link #ERRORS_ACCUMULATOR} instead, and {@link
 * RebuildJob} refuses the savepoint when it holds any.
 */
public final class RebuildFoldFunction extends KeyedStateBootstrapFunction<String, FoldInput>
        implements CheckpointedFunction {

    private static final long serialVersionUID = 1L;
    public static final String FOLDED_ACCUMULATOR = "records-folded";
    public static final String ERRORS_ACCUMULATOR = "rebuild-errors";
    private static final int MAX_REPORTED_ERRORS = 10;

    private final DeviceFold fold;
    private final List<RuleSet> ruleSets;
    private final RecordedManifest manifest;

    private transient KeyedDeviceState deviceState;
    private transient DeviceFolder folder;
    private transient ListState<RuleSet> announced;
    private transient LongCounter folded;
    private transient ListAccumulator<String> errors;
    private transient String lastDevice;
    private transient LogPosition lastPosition;

    /**
     * @param manifest what the rebuilt state is built from, recorded in it as the live job records
     *     it
     */
    public RebuildFoldFunction(DeviceFold fold, List<RuleSet> ruleSets, RecordedManifest manifest) {
        this.fold = fold;
        this.ruleSets = new ArrayList<>(ruleSets);
        this.manifest = manifest;
    }

    @Override
    public void initializeState(FunctionInitializationContext context) throws Exception {
        manifest.initialize(context);
        folder = new DeviceFolder(fold);
        ruleSets.forEach(folder::announce);
        announced = context.getOperatorStateStore().getUnionListState(Descriptors.RULE_SETS);
    }

    @Override
    public void snapshotState(FunctionSnapshotContext context) throws Exception {
        manifest.snapshot();
        announced.update(folder.catalog().published());
    }

    @Override
    public void open(OpenContext openContext) {
        deviceState = new KeyedDeviceState(getRuntimeContext(), fold);
        // The API opens bootstrap functions twice with one runtime context: reuse what is there.
        folded = accumulator(getRuntimeContext(), FOLDED_ACCUMULATOR, new LongCounter());
        errors = accumulator(getRuntimeContext(), ERRORS_ACCUMULATOR, new ListAccumulator<>());
    }

    @Override
    public void processElement(FoldInput input, Context ctx) {
        if (!(input.getValue() instanceof SourcedEvent sourced)) {
            return; // an announcement: the versions were all given up front
        }
        try {
            LogPosition position = sourced.getRaw().getPosition();
            if (!inLogOrder(ctx.getCurrentKey(), position)) {
                return;
            }
            folder.fold(
                    deviceState.withTimers(ctx.timerService()),
                    sourced.getEvent(),
                    position,
                    new RuleVersions.Stamp(
                            sourced.getRulesVersion(), sourced.getRulesFingerprint()));
            folded.add(1);
        } catch (Exception e) {
            report("folding " + sourced.getEvent().getEventId() + " failed: " + e);
        }
    }

    private boolean inLogOrder(String device, LogPosition position) {
        boolean inOrder = true;
        if (device.equals(lastDevice) && position.getPartition() != lastPosition.getPartition()) {
            report(
                    "device "
                            + device
                            + " has events in partitions "
                            + lastPosition.getPartition()
                            + " and "
                            + position.getPartition()
                            + ": the event log must be partitioned by device id (the record key)");
            inOrder = false;
        } else if (device.equals(lastDevice) && position.getOffset() <= lastPosition.getOffset()) {
            report(
                    "events of device "
                            + device
                            + " came out of log order ("
                            + lastPosition.getOffset()
                            + " then "
                            + position.getOffset()
                            + ")");
            inOrder = false;
        }
        lastDevice = device;
        lastPosition = position;
        return inOrder;
    }

    private void report(String error) {
        if (errors.getLocalValue().size() < MAX_REPORTED_ERRORS) {
            errors.add(error);
        }
    }

    @SuppressWarnings("unchecked")
    private static <V, A extends java.io.Serializable, T extends Accumulator<V, A>> T accumulator(
            RuntimeContext context, String name, T fresh) {
        Accumulator<V, A> existing = context.getAccumulator(name);
        if (existing != null) {
            return (T) existing;
        }
        context.addAccumulator(name, fresh);
        return fresh;
    }

    /** The errors a finished rebuild reported; empty when it folded everything. */
    static java.util.List<String> errorsOf(java.util.Map<String, Object> accumulators) {
        Object errors = accumulators.get(ERRORS_ACCUMULATOR);
        return errors == null
                ? java.util.List.of()
                : new ArrayList<>((java.util.List<String>) errors);
    }
}
