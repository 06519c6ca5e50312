package io.twinlog.jobs.state;

import io.twinlog.alerts.LogRules;
import io.twinlog.ingest.Admission;
import io.twinlog.ingest.EventAdmission;
import io.twinlog.ingest.RulesMarkerAdmission;
import io.twinlog.jobs.kafka.RecordAdmission;
import io.twinlog.schema.common.LogPosition;
import io.twinlog.schema.event.DeviceEvent;
import io.twinlog.schema.rules.RuleSet;
import io.twinlog.schema.state.DeviceState;
import io.twinlog.serde.ConfluentAvroDeserializer;
import io.twinlog.twin.DeviceFold;
import io.twinlog.twin.FoldResult;
import io.twinlog.twin.InMemorySeenEventIds;
import java.io.IOException;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongConsumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;

/**
 * Folds the event log up to given offsets in one plain Java process, without Flink: admission and
 * {@link DeviceFold} per device, in partition order. Used to verify savepoints, so it shares the
 * semantics of the job (the same classes) but none of its machinery (no Flink state, no timers, no
 * watermarks, no checkpoints).
 */
public final class LogReplay {

    private final EventAdmission admission;
    private final ConfluentAvroDeserializer<DeviceEvent> decoder;
    private final ConfluentAvroDeserializer<RuleSet> ruleSets;
    private final DeviceFold fold;

    public LogReplay(
            EventAdmission admission,
            ConfluentAvroDeserializer<DeviceEvent> decoder,
            ConfluentAvroDeserializer<RuleSet> ruleSets,
            DeviceFold fold) {
        this.admission = admission;
        this.decoder = decoder;
        this.ruleSets = ruleSets;
        this.fold = fold;
    }

    /**
     * @param consumer a read_committed consumer; it is assigned the partitions and read from the
     *     start
     * @param until per partition, the offset after the last record to fold
     * @param progress told the number of records read so far, every 10,000 records
     */
    public Map<String, DeviceSnapshot> fold(
            KafkaConsumer<byte[], byte[]> consumer,
            String topic,
            Map<Integer, Long> until,
            LongConsumer progress)
            throws IOException {
        Map<String, DeviceState> states = new HashMap<>();
        Map<String, InMemorySeenEventIds> seen = new HashMap<>();
        List<TopicPartition> partitions =
                until.keySet().stream().map(p -> new TopicPartition(topic, p)).toList();
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
        LogRules rules = new LogRules(fold.rules());
        long read = 0;
        while (partitions.stream().anyMatch(p -> consumer.position(p) < until.get(p.partition()))) {
            for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                if (record.offset() >= until.get(record.partition())) {
                    continue;
                }
                if (RecordAdmission.isMarker(record.headers())) {
                    RuleSet ruleSet =
                            RulesMarkerAdmission.admit(record.value(), ruleSets::deserialize)
                                    .ruleSet();
                    if (ruleSet != null) {
                        rules.activate(record.partition(), ruleSet);
                    }
                    read++;
                    continue;
                }
                Admission admitted =
                        admission.admit(
                                record.key(),
                                record.value(),
                                record.timestamp(),
                                decoder::deserialize);
                if (admitted instanceof Admission.Admitted event) {
                    String device = event.event().getDeviceId();
                    FoldResult result =
                            fold.apply(
                                    states.get(device),
                                    seen.computeIfAbsent(device, d -> new InMemorySeenEventIds()),
                                    event.event(),
                                    new LogPosition(
                                            record.topic(), record.partition(), record.offset()),
                                    rules.stamp(
                                            record.partition(),
                                            event.event().getEventTime().toEpochMilli()),
                                    rules.catalog());
                    if (result.state() != null) {
                        states.put(device, result.state());
                    }
                }
                if (++read % 10_000 == 0) {
                    progress.accept(read);
                }
            }
            // Stop reading partitions that reached their bound.
            for (TopicPartition partition : partitions) {
                if (consumer.position(partition) >= until.get(partition.partition())) {
                    consumer.pause(List.of(partition));
                }
            }
        }
        progress.accept(read);
        Map<String, DeviceSnapshot> devices = new java.util.TreeMap<>();
        states.forEach(
                (device, state) ->
                        devices.put(device, new DeviceSnapshot(state, seen.get(device).asMap())));
        return devices;
    }
}
