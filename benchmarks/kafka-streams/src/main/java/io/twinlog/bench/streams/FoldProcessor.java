package io.twinlog.bench.streams;

import io.twinlog.connect.FoldRecords;
import io.twinlog.connect.OutputRecordEncoder;
import io.twinlog.connect.RawRecords;
import io.twinlog.connect.RecordAdmission;
import io.twinlog.ingest.EventAdmission;
import io.twinlog.kernel.DeviceFolder;
import io.twinlog.kernel.DeviceStore;
import io.twinlog.kernel.LogAdmission;
import io.twinlog.kernel.LogRecord;
import io.twinlog.kernel.LogRouter;
import io.twinlog.options.DeviceTwinJobOptions;
import io.twinlog.options.FoldOptions;
import io.twinlog.options.SinkOptions;
import io.twinlog.options.SourceOptions;
import io.twinlog.registry.CachingSchemaRegistry;
import io.twinlog.registry.RegistryRestClient;
import io.twinlog.schema.event.DeviceEvent;
import io.twinlog.schema.internal.LogAppend;
import io.twinlog.schema.internal.RawRecord;
import io.twinlog.schema.internal.SinkRecord;
import io.twinlog.schema.rules.RuleSet;
import io.twinlog.schema.state.DeviceState;
import io.twinlog.serde.ConfluentAvroDeserializer;
import io.twinlog.twin.BucketedSeenEventIds;
import io.twinlog.twin.DeviceFold;
import io.twinlog.twin.FoldResult;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * What DeviceTwinJob's source, dead-letter routing, fold operator and sink do for one record, in
 * one Kafka Streams processor: admit, load the device's state and dedup memory (laid out as
 * DeviceTwinJob lays it out, {@link BucketedSeenEventIds}), {@link DeviceFold#apply}, store, encode
 * and forward the outputs. Silence deadlines are kept as DeviceTwinJob keeps its timers (moved
 * lazily, {@code SilenceTimers}), in a store ordered by deadline, and fire when the task's event
 * time, less {@code watermark.out-of-orderness}, passes them (one task reads one partition, as one
 * Flink watermark per partition does).
 */
final class FoldProcessor implements Processor<byte[], byte[], byte[], byte[]> {

    private final DeviceTwinJobOptions options;
    private final DeviceFold fold;
    private final EventAdmission eventAdmission;
    private final LogRouter router = new LogRouter();
    private final DeviceFolder folder;
    private LogAdmission admission;
    private final long outOfOrderness;
    private final boolean writeObservations;
    private final AvroStateCodec codec = new AvroStateCodec();

    private ProcessorContext<byte[], byte[]> context;
    private KeyValueStore<String, byte[]> states;
    private StoreBuckets buckets;
    private KeyValueStore<String, String> timers;
    private OutputRecordEncoder encoder;
    private long maxEventTime = Long.MIN_VALUE;

    FoldProcessor(DeviceTwinJobOptions options) {
        this.options = options;
        this.fold = new DeviceFold(options.foldSettings(), options.rules());
        this.eventAdmission = new EventAdmission(options.contract());
        this.folder = new DeviceFolder(fold);
        this.outOfOrderness = options.get(SourceOptions.OUT_OF_ORDERNESS).toMillis();
        this.writeObservations = options.get(FoldOptions.SILENCE_OBSERVATIONS);
    }

    @Override
    public void init(ProcessorContext<byte[], byte[]> context) {
        this.context = context;
        states = context.getStateStore(FoldTopology.DEVICE_STATE);
        buckets = new StoreBuckets(context.getStateStore(FoldTopology.SEEN_ID_BUCKETS));
        timers = context.getStateStore(FoldTopology.SILENCE_TIMERS);
        var registry =
                new CachingSchemaRegistry(
                        new RegistryRestClient(
                                options.get(SourceOptions.REGISTRY_URL),
                                options.get(SourceOptions.REGISTRY_TIMEOUT)));
        admission =
                new LogAdmission(
                        eventAdmission,
                        new ConfluentAvroDeserializer<>(registry, DeviceEvent.class)::deserialize,
                        new ConfluentAvroDeserializer<>(registry, RuleSet.class)::deserialize);
        try {
            encoder =
                    new OutputRecordEncoder(
                            options.topics(),
                            registry,
                            options.get(SinkOptions.SINK_MAX_RECORD_BYTES));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        context.schedule(Duration.ofSeconds(1), PunctuationType.WALL_CLOCK_TIME, now -> fire());
    }

    @Override
    public void process(Record<byte[], byte[]> record) {
        RecordMetadata source = context.recordMetadata().orElseThrow();
        RawRecord raw =
                RawRecords.of(
                        record.key(),
                        record.value(),
                        source.topic(),
                        source.partition(),
                        source.offset(),
                        record.timestamp());
        LogRecord logRecord =
                new LogRecord(
                        record.key(),
                        record.value(),
                        record.timestamp(),
                        RecordAdmission.isMarker(record.headers()),
                        raw.getPosition());
        LogRouter.Routed routed;
        try {
            routed = router.route(admission.admit(logRecord), logRecord.position());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (routed instanceof LogRouter.DeadLetter deadLetter) {
            write(new SinkRecord(RecordAdmission.deadLetter(raw, deadLetter.reason())));
            return;
        }
        if (routed instanceof LogRouter.Activated activated) {
            folder.announce(activated.ruleSet());
            return;
        }
        LogRouter.Stamped stamped = (LogRouter.Stamped) routed;
        DeviceEvent event = stamped.event();
        maxEventTime = Math.max(maxEventTime, event.getEventTime().toEpochMilli());
        FoldResult result =
                folder.fold(store(event.getDeviceId()), event, raw.getPosition(), stamped.stamp());
        FoldRecords.of(result, raw).forEach(this::write);
    }

    /** The kernel's store of a device on this task's state stores. */
    private DeviceStore store(String deviceId) {
        return new DeviceStore() {
            @Override
            public DeviceState load() {
                return codec.decode(states.get(deviceId));
            }

            @Override
            public BucketedSeenEventIds.Buckets buckets() {
                return buckets.of(deviceId);
            }

            @Override
            public void store(DeviceState state) {
                reschedule(deviceId, state);
                states.put(deviceId, codec.encode(state));
            }
        };
    }

    /** The timers whose deadline the task's event time has passed, as Flink's onTimer sees them. */
    private void fire() {
        if (maxEventTime == Long.MIN_VALUE) {
            return;
        }
        long watermark = maxEventTime - outOfOrderness - 1;
        List<KeyValue<String, String>> due = new ArrayList<>();
        try (KeyValueIterator<String, String> all =
                timers.range(timerKey(0, ""), timerKey(watermark + 1, ""))) {
            all.forEachRemaining(due::add);
        }
        for (KeyValue<String, String> timer : due) {
            timers.delete(timer.key);
            long deadline = Long.parseLong(timer.key.substring(0, 20));
            String deviceId = timer.value;
            DeviceState state = codec.decode(states.get(deviceId));
            if (state == null) {
                continue;
            }
            DeviceEvent observation = fold.silenceObservation(state, deadline);
            state.setSilenceTimer(null);
            if (observation == null) {
                reschedule(deviceId, state);
            }
            states.put(deviceId, codec.encode(state));
            if (observation != null && writeObservations) {
                write(new SinkRecord(new LogAppend(observation, DeviceFold.partitionOf(state))));
            }
        }
    }

    /** As {@code SilenceTimers.reschedule}: a timer at or before the deadline stays where it is. */
    private void reschedule(String deviceId, DeviceState state) {
        Long deadline = fold.silenceDeadline(state);
        Long registered = state.getSilenceTimer();
        if (deadline != null && registered != null && registered <= deadline) {
            return;
        }
        if (registered != null) {
            timers.delete(timerKey(registered, deviceId));
        }
        if (deadline != null) {
            timers.put(timerKey(deadline, deviceId), deviceId);
        }
        state.setSilenceTimer(deadline);
    }

    /** Ordered by deadline: twenty digits, then the device. */
    private static String timerKey(long deadline, String deviceId) {
        return String.format("%020d", Math.max(deadline, 0)) + deviceId;
    }

    private void write(SinkRecord output) {
        ProducerRecord<byte[], byte[]> record = encoder.encode(output);
        context.forward(
                new Record<>(
                        record.key(),
                        record.value(),
                        context.currentSystemTimeMs(),
                        new RecordHeaders(record.headers())),
                record.topic());
    }
}
