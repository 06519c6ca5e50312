package io.twinlog.jobs.functions;

import io.twinlog.alerts.RuleVersions;
import io.twinlog.connect.RecordAdmission;
import io.twinlog.ingest.DeadLetterReason;
import io.twinlog.jobs.topology.Descriptors;
import io.twinlog.jobs.topology.FoldKeys;
import io.twinlog.kernel.LogRouter;
import io.twinlog.schema.internal.DeadLetter;
import io.twinlog.schema.internal.FoldInput;
import io.twinlog.schema.internal.IngestedRecord;
import io.twinlog.schema.internal.RawRecord;
import io.twinlog.schema.internal.RulesAnnouncement;
import io.twinlog.schema.internal.RulesMarker;
import io.twinlog.schema.internal.SinkRecord;
import io.twinlog.schema.internal.SourcedEvent;
import io.twinlog.schema.state.ActivatedRules;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.runtime.state.FunctionInitializationContext;
import org.apache.flink.runtime.state.FunctionSnapshotContext;
import org.apache.flink.streaming.api.checkpoint.CheckpointedFunction;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Between the source and the fold, in the source's order (chained to it): valid events go on to the
 * fold stamped with the rules version their partition has activated ({@link RuleVersions},
 * docs/RULES.md); a rules marker activates its version in its partition and is announced to every
 * fold subtask ahead of the events stamped with it; dead letters go to the side output for the
 * dead-letter topic and are counted: {@code deadLetters} in total, and per reason under the {@code
 * reason} group.
 */
public final class RouteRecords extends ProcessFunction<IngestedRecord, FoldInput>
        implements CheckpointedFunction {

    private static final long serialVersionUID = 1L;

    private transient LogRouter router;
    private transient ListState<ActivatedRules> checkpointed;
    private transient String[] routes;
    private transient Counter deadLetters;
    private transient Map<DeadLetterReason, Counter> byReason;
    private transient Counter rulesActivated;

    @Override
    public void initializeState(FunctionInitializationContext context) throws Exception {
        checkpointed =
                context.getOperatorStateStore().getUnionListState(Descriptors.ACTIVATED_RULES);
        RuleVersions versions = new RuleVersions();
        List<RuleVersions.Activated> restored = new ArrayList<>();
        for (ActivatedRules entry : checkpointed.get()) {
            restored.add(
                    new RuleVersions.Activated(
                            entry.getPartition(),
                            entry.getVersion(),
                            entry.getFingerprint(),
                            entry.getEffectiveFrom() == null
                                    ? null
                                    : entry.getEffectiveFrom().toEpochMilli()));
        }
        versions.restore(restored);
        router = new LogRouter(versions);
    }

    @Override
    public void snapshotState(FunctionSnapshotContext context) throws Exception {
        checkpointed.update(toState(router.versions().all()));
    }

    /** The operator state of these versions (also written by rebuilds). */
    public static List<ActivatedRules> toState(List<RuleVersions.Activated> activated) {
        List<ActivatedRules> entries = new ArrayList<>();
        for (RuleVersions.Activated version : activated) {
            entries.add(
                    new ActivatedRules(
                            version.partition(),
                            version.version(),
                            version.fingerprint(),
                            version.effectiveFrom() == null
                                    ? null
                                    : Instant.ofEpochMilli(version.effectiveFrom())));
        }
        return entries;
    }

    @Override
    public void open(OpenContext openContext) {
        routes = FoldKeys.routes(getRuntimeContext().getTaskInfo().getNumberOfParallelSubtasks());
        MetricGroup metrics = getRuntimeContext().getMetricGroup();
        deadLetters = metrics.counter("deadLetters");
        rulesActivated = metrics.counter("rulesVersionsActivated");
        byReason = new EnumMap<>(DeadLetterReason.class);
        for (DeadLetterReason reason : DeadLetterReason.values()) {
            byReason.put(reason, metrics.addGroup("reason", reason.name()).counter("deadLetters"));
        }
    }

    @Override
    public void processElement(IngestedRecord record, Context ctx, Collector<FoldInput> out) {
        RawRecord raw = raw(record);
        LogRouter.Routed routed = router.route(RecordAdmission.admitted(record), raw.getPosition());
        if (routed instanceof LogRouter.Stamped stamped) {
            SourcedEvent event = (SourcedEvent) record.getValue();
            event.setRulesVersion(stamped.stamp().version());
            event.setRulesFingerprint(stamped.stamp().fingerprint());
            out.collect(new FoldInput(event));
        } else if (routed instanceof LogRouter.Activated activated) {
            rulesActivated.inc();
            for (String route : routes) {
                out.collect(new FoldInput(new RulesAnnouncement(route, activated.ruleSet())));
            }
        } else {
            deadLetter(
                    RecordAdmission.deadLetter(raw, ((LogRouter.DeadLetter) routed).reason()), ctx);
        }
    }

    private static RawRecord raw(IngestedRecord record) {
        Object value = record.getValue();
        if (value instanceof SourcedEvent event) {
            return event.getRaw();
        }
        if (value instanceof RulesMarker marker) {
            return marker.getRaw();
        }
        return ((DeadLetter) value).getRaw();
    }

    private void deadLetter(DeadLetter deadLetter, Context ctx) {
        deadLetters.inc();
        byReason.get(DeadLetterReason.valueOf(deadLetter.getReason())).inc();
        ctx.output(Descriptors.DEAD_LETTERS, new SinkRecord(deadLetter));
    }
}
