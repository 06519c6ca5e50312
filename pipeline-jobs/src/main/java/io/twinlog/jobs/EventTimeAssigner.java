package io.twinlog.jobs;

import io.twinlog.schema.internal.IngestedRecord;
import io.twinlog.schema.internal.SourcedEvent;
import org.apache.flink.api.common.eventtime.SerializableTimestampAssigner;

/**
 * Timestamps for watermarks: the event time, but never later than the record's Kafka timestamp, so
 * a device with a clock running ahead cannot drag the watermark (and everybody's silence timers)
 * into the future, while a replay of old records still follows their event time. Dead letters do
 * not move watermarks. Watermarks drive only the silence timers; no output depends on when they
 * fire.
 */
public final class EventTimeAssigner implements SerializableTimestampAssigner<IngestedRecord> {

    private static final long serialVersionUID = 1L;

    @Override
    public long extractTimestamp(IngestedRecord record, long kafkaTimestamp) {
        if (!(record.getValue() instanceof SourcedEvent sourced)) {
            return Long.MIN_VALUE;
        }
        long eventTime = sourced.getEvent().getEventTime().toEpochMilli();
        return kafkaTimestamp >= 0 ? Math.min(eventTime, kafkaTimestamp) : eventTime;
    }
}
