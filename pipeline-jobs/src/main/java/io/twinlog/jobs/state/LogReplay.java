package io.twinlog.jobs.state;

import io.twinlog.connect.RecordAdmission;
import io.twinlog.ingest.EventAdmission;
import io.twinlog.kernel.HeapDeviceStores;
import io.twinlog.kernel.LogAdmission;
import io.twinlog.kernel.ReplayKernel;
import io.twinlog.schema.event.DeviceEvent;
import io.twinlog.schema.rules.RuleSet;
import io.twinlog.schema.state.DeviceState;
import io.twinlog.serde.ConfluentAvroDeserializer;
import io.twinlog.twin.DeviceFold;
import io.twinlog.twin.DeviceStateCopy;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.LongConsumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;

/**
 * Folds the event log up to given offsets in one plain Java process, without Flink: the replay
 * kernel over every partition, each in its order. Used to verify savepoints, so it shares the
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
        ReplayKernel kernel =
                new ReplayKernel(
                        new LogAdmission(admission, decoder::deserialize, ruleSets::deserialize),
                        fold);
        HeapDeviceStores stores = new HeapDeviceStores();
        List<TopicPartition> partitions =
                until.keySet().stream().map(p -> new TopicPartition(topic, p)).toList();
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
        long read = 0;
        while (partitions.stream().anyMatch(p -> consumer.position(p) < until.get(p.partition()))) {
            for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                if (record.offset() >= until.get(record.partition())) {
                    continue;
                }
                kernel.apply(RecordAdmission.logRecord(record), stores::of);
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
        for (String device : stores.devices()) {
            DeviceState state = DeviceStateCopy.of(stores.state(device));
            Map<String, Long> seen = stores.seenIds(device);
            state.setSeenIds(null); // compared as the ids they hold, whatever their layout
            devices.put(device, new DeviceSnapshot(state, seen));
        }
        return devices;
    }
}
