package io.twinlog.jobs.functions;

import io.twinlog.ingest.DeadLetterReason;
import io.twinlog.jobs.topology.Descriptors;
import io.twinlog.schema.internal.DeadLetter;
import io.twinlog.schema.internal.IngestedRecord;
import io.twinlog.schema.internal.SinkRecord;
import io.twinlog.schema.internal.SourcedEvent;
import java.util.EnumMap;
import java.util.Map;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Valid events go on to the fold; dead letters go to the side output for the dead-letter topic and
 * are counted: {@code deadLetters} in total, and per reason under the {@code reason} group.
 */
public final class RouteDeadLetters extends ProcessFunction<IngestedRecord, SourcedEvent> {

    private static final long serialVersionUID = 1L;

    private transient Counter deadLetters;
    private transient Map<DeadLetterReason, Counter> byReason;

    @Override
    public void open(OpenContext openContext) {
        MetricGroup metrics = getRuntimeContext().getMetricGroup();
        deadLetters = metrics.counter("deadLetters");
        byReason = new EnumMap<>(DeadLetterReason.class);
        for (DeadLetterReason reason : DeadLetterReason.values()) {
            byReason.put(reason, metrics.addGroup("reason", reason.name()).counter("deadLetters"));
        }
    }

    @Override
    public void processElement(IngestedRecord record, Context ctx, Collector<SourcedEvent> out) {
        if (record.getValue() instanceof SourcedEvent event) {
            out.collect(event);
            return;
        }
        DeadLetter deadLetter = (DeadLetter) record.getValue();
        deadLetters.inc();
        byReason.get(DeadLetterReason.valueOf(deadLetter.getReason())).inc();
        ctx.output(Descriptors.DEAD_LETTERS, new SinkRecord(deadLetter));
    }
}
