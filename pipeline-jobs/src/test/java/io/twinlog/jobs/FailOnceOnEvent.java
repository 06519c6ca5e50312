package io.twinlog.jobs;

import io.twinlog.schema.internal.IngestedRecord;
import io.twinlog.schema.internal.SourcedEvent;
import java.io.IOException;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.flink.api.common.serialization.DeserializationSchema;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.connector.kafka.source.reader.deserializer.KafkaRecordDeserializationSchema;
import org.apache.flink.util.Collector;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/** Fails the task the first time it reads the given event in the given run: a crash mid-stream. */
final class FailOnceOnEvent implements KafkaRecordDeserializationSchema<IngestedRecord> {

    private static final long serialVersionUID = 1L;
    static final Set<String> FAILED = ConcurrentHashMap.newKeySet();

    private final KafkaRecordDeserializationSchema<IngestedRecord> delegate;
    private final String eventId;
    private final String run;

    FailOnceOnEvent(
            KafkaRecordDeserializationSchema<IngestedRecord> delegate, String eventId, String run) {
        this.delegate = delegate;
        this.eventId = eventId;
        this.run = run;
    }

    @Override
    public void open(DeserializationSchema.InitializationContext context) throws Exception {
        delegate.open(context);
    }

    @Override
    public void deserialize(ConsumerRecord<byte[], byte[]> record, Collector<IngestedRecord> out)
            throws IOException {
        delegate.deserialize(
                record,
                new Collector<>() {
                    @Override
                    public void collect(IngestedRecord ingested) {
                        if (ingested.getValue() instanceof SourcedEvent sourced
                                && sourced.getEvent().getEventId().equals(eventId)
                                && FAILED.add(run)) {
                            throw new IllegalStateException("injected failure at " + eventId);
                        }
                        out.collect(ingested);
                    }

                    @Override
                    public void close() {}
                });
    }

    @Override
    public TypeInformation<IngestedRecord> getProducedType() {
        return delegate.getProducedType();
    }
}
