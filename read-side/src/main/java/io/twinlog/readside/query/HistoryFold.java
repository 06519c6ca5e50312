package io.twinlog.readside.query;

import io.twinlog.kernel.HeapDeviceStores;
import io.twinlog.kernel.LogAdmission;
import io.twinlog.kernel.LogRecord;
import io.twinlog.kernel.LogRouter;
import io.twinlog.kernel.ReplayKernel;
import io.twinlog.readside.index.Position;
import io.twinlog.readside.index.StoredRecord;
import io.twinlog.schema.common.LogPosition;
import io.twinlog.schema.event.DeviceEvent;
import io.twinlog.schema.state.DeviceState;
import io.twinlog.schema.twin.DeviceTwin;
import io.twinlog.twin.DeviceFold;
import io.twinlog.twin.EventKind;
import io.twinlog.twin.FoldResult;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Folds one device's records of the log through the replay kernel, in log order, with the rules
 * markers of the device's partition where they stand, keeping what each record did. The kernel is
 * the job's (admission, rules routing, the fold, with the job's options), so an answer is what the
 * job computed at that point of the log.
 *
 * <p>As of an event time T means: the twin the job held when the device's own clock (the greatest
 * event time it had applied, {@code lastSeen}) last was at or before T. The clock only moves
 * forward, so this is a prefix of the device's log, and the answer is a twin that really existed;
 * see docs/READ-SIDE.md for why the read side does not filter events by time instead.
 */
public final class HistoryFold {

    private final LogAdmission admission;
    private final DeviceFold fold;
    private final RulesMarkers markers;

    /**
     * @param markers the rules markers of the log: the fold follows the rules versions as the job
     *     does (docs/RULES.md)
     */
    public HistoryFold(LogAdmission admission, DeviceFold fold, RulesMarkers markers) {
        this.admission = admission;
        this.fold = fold;
        this.markers = markers;
    }

    /** The rules markers of the log as the index holds them, in log order per partition. */
    @FunctionalInterface
    public interface RulesMarkers {
        List<StoredRecord> get();
    }

    /** Folds all the records. */
    public Replay all(String device, String topic, List<StoredRecord> records) {
        return prefix(device, topic, records, records.size(), null);
    }

    /** Compares the twin the job published with each twin the fold goes through. */
    public StateCheck.Verdict check(
            String device, String topic, List<StoredRecord> records, DeviceTwin published) {
        StateCheck check = new StateCheck(published);
        prefix(device, topic, records, records.size(), check::step);
        return check.verdict();
    }

    /** Folds the records at or before a position of the log. */
    public Replay upTo(String device, String topic, List<StoredRecord> records, Position last) {
        int count = 0;
        while (count < records.size() && records.get(count).position().atOrBefore(last)) {
            count++;
        }
        return prefix(device, topic, records, count, null);
    }

    /** The twin as of an event time (see the class comment). */
    public Replay asOf(String device, String topic, List<StoredRecord> records, Instant time) {
        Replay whole = all(device, topic, records);
        int count = 0;
        for (HistoryEntry entry : whole.entries()) {
            if (entry.lastSeen() != null && entry.lastSeen().isAfter(time)) {
                break;
            }
            count++;
        }
        return count == records.size() ? whole : prefix(device, topic, records, count, null);
    }

    private Replay prefix(
            String device,
            String topic,
            List<StoredRecord> records,
            int count,
            Consumer<DeviceTwin> afterEach) {
        byte[] key = device.getBytes(StandardCharsets.UTF_8);
        ReplayKernel kernel = new ReplayKernel(admission, fold);
        HeapDeviceStores stores = new HeapDeviceStores();
        List<StoredRecord> pending = markers.get();
        int nextMarker = 0;
        DeviceState state = null;
        List<HistoryEntry> entries = new ArrayList<>(count);
        Map<String, HistoryEntry> setBy = new LinkedHashMap<>();
        Map<String, HistoryEntry> byEventId = new LinkedHashMap<>();
        for (StoredRecord record : records.subList(0, count)) {
            // The markers before the record in its partition (a device's records share one).
            while (nextMarker < pending.size()
                    && pending.get(nextMarker).position().atOrBefore(record.position())) {
                StoredRecord marker = pending.get(nextMarker++);
                if (marker.position().partition() == record.position().partition()) {
                    apply(kernel, stores, logRecord(null, marker, topic, true), device);
                }
            }
            Instant recordTime = Instant.ofEpochMilli(record.timestamp());
            TwinChanges before = TwinChanges.of(state == null ? null : state.getTwin());
            ReplayKernel.Step step =
                    apply(kernel, stores, logRecord(key, record, topic, false), device);
            if (step.routed() instanceof LogRouter.DeadLetter deadLetter) {
                entries.add(
                        new HistoryEntry(
                                record.position(),
                                recordTime,
                                null,
                                null,
                                null,
                                RecordOutcome.DEAD_LETTER,
                                deadLetter.reason().reason() + ": " + deadLetter.reason().message(),
                                null,
                                List.of(),
                                List.of(),
                                List.of(),
                                lastSeen(state)));
                if (afterEach != null) {
                    afterEach.accept(state == null ? null : state.getTwin());
                }
                continue;
            }
            DeviceEvent event = ((LogRouter.Stamped) step.routed()).event();
            FoldResult result = step.folded();
            state = stores.state(device);
            TwinChanges after = TwinChanges.of(state == null ? null : state.getTwin());
            HistoryEntry entry =
                    new HistoryEntry(
                            record.position(),
                            recordTime,
                            event.getEventId(),
                            EventKind.of(event.getPayload()),
                            event.getEventTime(),
                            RecordOutcome.of(result.outcome()),
                            result.deadLetter() != null
                                    ? result.deadLetter().reason()
                                            + ": "
                                            + result.deadLetter().message()
                                    : rejection(result),
                            event.getPayload(),
                            result.derivedEvents(),
                            result.alerts(),
                            before.to(after),
                            lastSeen(state));
            entries.add(entry);
            if (afterEach != null) {
                afterEach.accept(state == null ? null : state.getTwin());
            }
            if (before.statusDiffers(after)) {
                setBy.put("status", entry);
            }
            if (before.onlineDiffers(after)) {
                setBy.put("online", entry);
            }
            if (before.firmwareDiffers(after)) {
                setBy.put("firmware", entry);
            }
            if (result.outcome() == io.twinlog.twin.Outcome.APPLIED) {
                byEventId.put(event.getEventId(), entry);
            }
        }
        return new Replay(device, state, entries, Provenance.of(state, setBy, byEventId));
    }

    private static ReplayKernel.Step apply(
            ReplayKernel kernel, HeapDeviceStores stores, LogRecord record, String device) {
        try {
            return kernel.apply(record, stores::of);
        } catch (java.io.IOException e) {
            // The registry could not be asked: not the record's fault, and not an answer.
            throw new java.io.UncheckedIOException(
                    "decoding " + device + " at " + record.position() + ": " + e.getMessage(), e);
        }
    }

    private static LogRecord logRecord(
            byte[] key, StoredRecord record, String topic, boolean marker) {
        return new LogRecord(
                key,
                record.value(),
                record.timestamp(),
                marker,
                new LogPosition(topic, record.position().partition(), record.position().offset()));
    }

    private static String rejection(FoldResult result) {
        if (result.outcome() != io.twinlog.twin.Outcome.REJECTED) {
            return null;
        }
        return result.derivedEvents().stream()
                .map(d -> d.getPayload())
                .filter(p -> p instanceof io.twinlog.schema.derived.EventRejected)
                .map(
                        p ->
                                ((io.twinlog.schema.derived.EventRejected) p).getReason()
                                        + ": "
                                        + ((io.twinlog.schema.derived.EventRejected) p).getDetail())
                .findFirst()
                .orElse(null);
    }

    private static Instant lastSeen(DeviceState state) {
        return state == null ? null : state.getTwin().getLastSeen();
    }
}
