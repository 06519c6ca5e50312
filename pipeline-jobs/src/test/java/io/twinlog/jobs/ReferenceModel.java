package io.twinlog.jobs;

import io.twinlog.connect.RecordAdmission;
import io.twinlog.ingest.EventAdmission;
import io.twinlog.jobs.kafka.TwinlogRecordSerializer;
import io.twinlog.schema.event.DeviceEvent;
import io.twinlog.schema.internal.DeadLetter;
import io.twinlog.schema.internal.IngestedRecord;
import io.twinlog.schema.internal.LateEvent;
import io.twinlog.schema.internal.RawRecord;
import io.twinlog.schema.internal.SinkRecord;
import io.twinlog.schema.internal.SourcedEvent;
import io.twinlog.serde.ConfluentAvroDeserializer;
import io.twinlog.spec.FoldSpecification;
import java.io.IOException;
import java.util.Map;
import java.util.TreeMap;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * What the job must write for a log, computed without Flink and without the job's fold: admission
 * (the job's, whose rules the unit tests pin), then the independent {@link FoldSpecification}
 * applied to each device's records in log order, then the silence observations the job appends once
 * the watermark has passed the remaining deadlines. Outputs go through the job's own record
 * serializer, so the comparison covers topics, keys, bytes and headers.
 */
final class ReferenceModel {

    private final FoldSpecification spec;
    private final EventAdmission admission;
    private final ConfluentAvroDeserializer<DeviceEvent> decoder;
    private final TwinlogRecordSerializer serializer;
    private final long watermarkDelayMillis;
    private final OutputRecords expected;
    private final Map<Integer, Long> partitionMaxTimestamp = new TreeMap<>();

    ReferenceModel(
            FoldSpecification spec,
            EventAdmission admission,
            ConfluentAvroDeserializer<DeviceEvent> decoder,
            TwinlogRecordSerializer serializer,
            long watermarkDelayMillis,
            OutputRecords expected) {
        this.spec = spec;
        this.admission = admission;
        this.decoder = decoder;
        this.serializer = serializer;
        this.watermarkDelayMillis = watermarkDelayMillis;
        this.expected = expected;
    }

    /** The next record of the log (records of one partition must come in offset order). */
    void append(RawRecord raw) throws IOException {
        IngestedRecord admitted =
                RecordAdmission.admit(
                        new io.twinlog.kernel.LogAdmission(admission, decoder::deserialize, null),
                        raw,
                        false);
        if (admitted.getValue() instanceof DeadLetter deadLetter) {
            write(new SinkRecord(deadLetter));
            return;
        }
        SourcedEvent sourced = (SourcedEvent) admitted.getValue();
        long timestamp = new EventTimeAssigner().extractTimestamp(admitted, raw.getTimestamp());
        partitionMaxTimestamp.merge(raw.getPosition().getPartition(), timestamp, Math::max);
        apply(sourced.getEvent(), raw);
    }

    /** Applies the silence observations for every deadline the final watermark has passed. */
    OutputRecords finish() throws IOException {
        long watermark =
                partitionMaxTimestamp.values().stream()
                                .mapToLong(Long::longValue)
                                .min()
                                .orElseThrow()
                        - watermarkDelayMillis
                        - 1;
        for (String device : spec.devices()) {
            var observation = spec.observationDue(device, watermark);
            if (observation.isPresent()) {
                // It lands in the device's partition; at which offset does not show in any output.
                apply(
                        observation.get(),
                        io.twinlog.connect.RawRecords.of(
                                null,
                                null,
                                "observations",
                                spec.twin(device)
                                        .orElseThrow()
                                        .getLastEvent()
                                        .getPosition()
                                        .getPartition(),
                                -1,
                                observation.get().getEventTime().toEpochMilli()));
            }
        }
        return expected;
    }

    private void apply(DeviceEvent event, RawRecord raw) throws IOException {
        FoldSpecification.Output output = spec.apply(event, raw.getPosition());
        if (output.late()) {
            long lastSeen =
                    spec.twin(event.getDeviceId()).orElseThrow().getLastSeen().toEpochMilli();
            write(new SinkRecord(new LateEvent(raw, lastSeen)));
        }
        if (output.twin() != null) {
            write(new SinkRecord(output.twin()));
        }
        for (var derived : output.derived()) {
            write(new SinkRecord(derived));
        }
        for (var alert : output.alerts()) {
            write(new SinkRecord(alert));
        }
    }

    private void write(SinkRecord record) throws IOException {
        ProducerRecord<byte[], byte[]> produced = serializer.serialize(record, null, null);
        expected.add(produced.topic(), produced.key(), produced.value(), produced.headers());
    }
}
