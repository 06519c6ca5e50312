package io.twinlog.jobs.functions;

import io.twinlog.alerts.RuleVersions;
import io.twinlog.connect.FoldRecords;
import io.twinlog.jobs.topology.Descriptors;
import io.twinlog.kernel.DeviceFolder;
import io.twinlog.schema.alert.Alert;
import io.twinlog.schema.alert.AlertStatus;
import io.twinlog.schema.event.DeviceEvent;
import io.twinlog.schema.internal.FoldInput;
import io.twinlog.schema.internal.LogAppend;
import io.twinlog.schema.internal.RulesAnnouncement;
import io.twinlog.schema.internal.SinkRecord;
import io.twinlog.schema.internal.SourcedEvent;
import io.twinlog.schema.rules.RuleSet;
import io.twinlog.schema.state.DeviceState;
import io.twinlog.twin.DeviceFold;
import io.twinlog.twin.FoldResult;
import io.twinlog.twin.Outcome;
import java.util.EnumMap;
import java.util.Map;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.metrics.Counter;
import org.apache.flink.runtime.state.FunctionInitializationContext;
import org.apache.flink.runtime.state.FunctionSnapshotContext;
import org.apache.flink.streaming.api.checkpoint.CheckpointedFunction;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The fold as a Flink operator, keyed by device id: loads the device's state, lets {@link
 * DeviceFold} apply the event, stores the state and emits what the fold produced. The one Flink
 * concern it adds is the silence timer: an event-time timer at the device's silence deadline, which
 * appends a silence observation to the log when it fires (docs/SILENCE.md). Its operator state
 * records what the state was built from ({@link RecordedManifest}) and the rules versions announced
 * to it ({@link RuleCatalog}, docs/RULES.md).
 */
public final class DeviceTwinFunction extends KeyedProcessFunction<String, FoldInput, SinkRecord>
        implements CheckpointedFunction {

    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(DeviceTwinFunction.class);

    private final DeviceFold fold;
    private final boolean writeSilenceObservations;
    private final RecordedManifest manifest;

    private transient KeyedDeviceState deviceState;
    private transient DeviceFolder folder;
    private transient ListState<RuleSet> announced;
    private transient Map<Outcome, Counter> outcomes;
    private transient Counter alertsRaised;
    private transient Counter alertsCleared;
    private transient Counter observationsWritten;

    /**
     * @param writeSilenceObservations false when replaying a log into a savepoint: the observations
     *     of the live run are in the log already, and a replay must not write to it
     */
    public DeviceTwinFunction(
            DeviceFold fold, boolean writeSilenceObservations, RecordedManifest manifest) {
        this.fold = fold;
        this.writeSilenceObservations = writeSilenceObservations;
        this.manifest = manifest;
    }

    @Override
    public void initializeState(FunctionInitializationContext context) throws Exception {
        manifest.initialize(context);
        folder = new DeviceFolder(fold, DeviceTwinFunction::logFailure);
        announced = context.getOperatorStateStore().getUnionListState(Descriptors.RULE_SETS);
        for (RuleSet ruleSet : announced.get()) {
            folder.announce(ruleSet);
        }
    }

    @Override
    public void snapshotState(FunctionSnapshotContext context) throws Exception {
        manifest.snapshot();
        announced.update(folder.catalog().published());
    }

    @Override
    public void open(OpenContext openContext) {
        deviceState = new KeyedDeviceState(getRuntimeContext(), fold);
        var metrics = getRuntimeContext().getMetricGroup();
        outcomes = new EnumMap<>(Outcome.class);
        for (Outcome outcome : Outcome.values()) {
            outcomes.put(outcome, metrics.addGroup("outcome", outcome.name()).counter("events"));
        }
        alertsRaised = metrics.counter("alertsRaised");
        alertsCleared = metrics.counter("alertsCleared");
        observationsWritten = metrics.counter("silenceObservationsWritten");
    }

    @Override
    public void processElement(FoldInput input, Context ctx, Collector<SinkRecord> out)
            throws Exception {
        if (input.getValue() instanceof RulesAnnouncement announcement) {
            folder.announce(announcement.getRuleSet());
            return;
        }
        SourcedEvent sourced = (SourcedEvent) input.getValue();
        FoldResult result =
                folder.fold(
                        deviceState.withTimers(ctx.timerService()),
                        sourced.getEvent(),
                        sourced.getRaw().getPosition(),
                        new RuleVersions.Stamp(
                                sourced.getRulesVersion(), sourced.getRulesFingerprint()));
        Counter outcome = outcomes.get(result.outcome());
        outcome.inc();
        if (result.deadLetter() != null) {
            logDeadLetter(result, sourced, outcome.getCount());
        }
        for (Alert alert : result.alerts()) {
            (alert.getStatus() == AlertStatus.RAISED ? alertsRaised : alertsCleared).inc();
        }
        FoldRecords.of(result, sourced.getRaw()).forEach(out::collect);
    }

    private static long failedFolds;

    /** The first failures of a TaskManager with their stack traces: a failed fold is a bug. */
    private static synchronized void logFailure(DeviceFolder.FoldFailureReport failure) {
        if (++failedFolds <= 10) {
            LOG.error(
                    "the fold failed on event {} of device {} at {}; it is dead-lettered as"
                            + " FOLD_FAILED",
                    failure.event().getEventId(),
                    failure.event().getDeviceId(),
                    failure.position(),
                    failure.error());
        }
    }

    /**
     * A record the fold did not take is a problem someone must look at (a producer writing a device
     * to two partitions, a bug in twinlog): the first ones of each kind are logged with the whole
     * story, then one in a thousand, so that a fleet-wide problem cannot flood the log.
     */
    private static void logDeadLetter(FoldResult result, SourcedEvent sourced, long count) {
        if (count > 10 && count % 1_000 != 0) {
            return;
        }
        LOG.warn(
                "{} #{} for device {} at {}: {} (dead-lettered; the device's state is unchanged)",
                result.outcome(),
                count,
                sourced.getEvent().getDeviceId(),
                sourced.getRaw().getPosition(),
                result.deadLetter().message());
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<SinkRecord> out)
            throws Exception {
        DeviceState state = deviceState.value();
        if (state == null) {
            return;
        }
        DeviceEvent observation = fold.silenceObservation(state, timestamp);
        if (observation == null) {
            SilenceTimers.rearm(fold, state, ctx.timerService());
        } else {
            state.setSilenceTimer(null);
        }
        deviceState.update(state);
        if (observation != null && writeSilenceObservations) {
            observationsWritten.inc();
            out.collect(new SinkRecord(new LogAppend(observation, DeviceFold.partitionOf(state))));
        }
    }
}
