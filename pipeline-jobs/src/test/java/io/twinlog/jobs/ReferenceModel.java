package io.twinlog.jobs;

import io.twinlog.ingest.EventAdmission;
import io.twinlog.jobs.kafka.TwinlogRecordSerializer;
import io.twinlog.schema.common.LogPosition;
import io.twinlog.schema.event.DeviceEvent;
import io.twinlog.schema.internal.DeadLetter;
import io.twinlog.schema.internal.IngestedRecord;
import io.twinlog.schema.internal.RawRecord;
import io.twinlog.schema.internal.SinkRecord;
import io.twinlog.schema.internal.SourcedEvent;
import io.twinlog.schema.state.DeviceState;
import io.twinlog.serde.ConfluentAvroDeserializer;
import io.twinlog.twin.DeviceFold;
import io.twinlog.twin.FoldResult;
import io.twinlog.twin.InMemorySeenEventIds;

import java.io.IOException;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;

import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * What the job must write for a log, computed without Flink: admission and the fold applied to each
 * device's records in log order, then the silence observations the job appends once the watermark
 * has passed the remaining deadlines. Outputs go through the job's own record serializer, so the
 * comparison covers topics, keys, bytes and headers.
 */
final class ReferenceModel {

    private final DeviceFold fold;
    private final EventAdmission admission;
    private final ConfluentAvroDeserializer<DeviceEvent> decoder;
    private final TwinlogRecordSerializer serializer;
    private final long watermarkDelayMillis;
    private final OutputRecords expected;
    private final Map<String, DeviceState> states = new TreeMap<>();
    private final Map<String, InMemorySeenEventIds> seen = new HashMap<>();
    private final Map<Integer, Long> partitionMaxTimestamp = new TreeMap<>();

    ReferenceModel(DeviceFold fold, EventAdmission admission, ConfluentAvroDeserializer<DeviceEvent> decoder,
            TwinlogRecordSerializer serializer, long watermarkDelayMillis, OutputRecords expected) {
        this.fold = fold;
        this.admission = admission;
        this.decoder = decoder;
        this.serializer = serializer;
        this.watermarkDelayMillis = watermarkDelayMillis;
        this.expected = expected;
    }

    /** The next record of the log (records of one partition must come in offset order). */
    void append(RawRecord raw) throws IOException {
        IngestedRecord admitted = admission.admit(raw, decoder::deserialize);
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
        long watermark = partitionMaxTimestamp.values().stream().mapToLong(Long::longValue).min().orElseThrow()
                - watermarkDelayMillis - 1;
        for (Map.Entry<String, DeviceState> device : new TreeMap<>(states).entrySet()) {
            Long deadline = fold.silenceDeadline(device.getValue());
            if (deadline != null && deadline <= watermark) {
                DeviceEvent observation = fold.silenceObservation(device.getValue(), deadline);
                // Where the observation lands does not show in any output.
                apply(observation, io.twinlog.ingest.RawRecords.of(null, null, "observations", 0, -1, deadline));
            }
        }
        return expected;
    }

    private void apply(DeviceEvent event, RawRecord raw) throws IOException {
        String device = event.getDeviceId();
        LogPosition position = raw.getPosition();
        FoldResult result = fold.apply(states.get(device), seen.computeIfAbsent(device, d -> new InMemorySeenEventIds()),
                event, position);
        if (result.state() == null) {
            return;
        }
        states.put(device, result.state());
        for (SinkRecord record : result.records(raw)) {
            write(record);
        }
    }

    private void write(SinkRecord record) throws IOException {
        ProducerRecord<byte[], byte[]> produced = serializer.serialize(record, null, null);
        expected.add(produced.topic(), produced.key(), produced.value(), produced.headers());
    }
}
