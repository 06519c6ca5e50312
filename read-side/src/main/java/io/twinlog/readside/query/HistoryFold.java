package io.twinlog.readside.query;

import io.twinlog.kernel.DeviceFolder;
import io.twinlog.kernel.HeapDeviceStores;
import io.twinlog.kernel.LogAdmission;
import io.twinlog.kernel.LogRecord;
import io.twinlog.kernel.LogRouter;
import io.twinlog.kernel.ReplayKernel;
import io.twinlog.readside.index.Position;
import io.twinlog.readside.index.StoredRecord;
import io.twinlog.schema.common.LogPosition;
import io.twinlog.schema.derived.EventRejected;
import io.twinlog.schema.event.DeviceEvent;
import io.twinlog.schema.state.DeviceState;
import io.twinlog.schema.twin.DeviceTwin;
import io.twinlog.twin.BucketedSeenEventIds;
import io.twinlog.twin.DeviceFold;
import io.twinlog.twin.EventKind;
import io.twinlog.twin.FoldResult;
import io.twinlog.twin.Outcome;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Folds one device's records of the log through the replay kernel, in log order, with the rules
 * markers of the device's partition where they stand, keeping what each record did. The kernel is
 * the job's (admission, rules routing, the fold, with the job's options), so an answer is what the
 * job computed at that point of the log.
 *
 * <p>A fold starts from the newest snapshot before the point asked for ({@link DeviceSnapshot}) or
 * from the device's first record, and keeps a snapshot every {@code snapshotEvery} records (or
 * {@code snapshotBytes} bytes of records) it passes: an answer costs at most that many records once
 * the snapshots exist, and is the same whether they exist or not.
 *
 * <p>As of an event time T means: the twin the job held when the device's own clock (the greatest
 * event time it had applied, {@code lastSeen}) last was at or before T. The clock only moves
 * forward, so this is a prefix of the device's log, and the answer is a twin that really existed;
 * see docs/READ-SIDE.md for why the read side does not filter events by time instead.
 */
public final class HistoryFold {

    /** Records between two snapshots: see docs/READ-SIDE.md, "Snapshots", for the measurements. */
    public static final int SNAPSHOT_EVERY = 1_000;

    /** Bytes of records between two snapshots at most (large records snapshot sooner). */
    public static final long SNAPSHOT_BYTES = 1L << 20;

    /** How long one answer may fold before it is refused. */
    public static final Duration BUDGET = Duration.ofSeconds(20);

    private final LogAdmission admission;
    private final DeviceFold fold;
    private final RulesMarkers markers;
    private final int snapshotEvery;
    private final long snapshotBytes;
    private final Duration budget;
    private int spillAt = BucketedSeenEventIds.SPILL_AT;

    /**
     * @param markers the rules markers of the log: the fold follows the rules versions as the job
     *     does (docs/RULES.md)
     */
    public HistoryFold(LogAdmission admission, DeviceFold fold, RulesMarkers markers) {
        this(admission, fold, markers, SNAPSHOT_EVERY, SNAPSHOT_BYTES, BUDGET);
    }

    public HistoryFold(
            LogAdmission admission,
            DeviceFold fold,
            RulesMarkers markers,
            int snapshotEvery,
            long snapshotBytes,
            Duration budget) {
        if (snapshotEvery < 1 || snapshotBytes < 1) {
            throw new IllegalArgumentException("snapshots need a positive spacing");
        }
        this.admission = admission;
        this.fold = fold;
        this.markers = markers;
        this.snapshotEvery = snapshotEvery;
        this.snapshotBytes = snapshotBytes;
        this.budget = budget;
    }

    /** Spills the dedup memory every {@code ids} ids (tests: short histories reach the buckets). */
    HistoryFold spillingEvery(int ids) {
        this.spillAt = ids;
        return this;
    }

    /** The rules markers of the log as the index holds them, in log order per partition. */
    @FunctionalInterface
    public interface RulesMarkers {
        List<StoredRecord> get();
    }

    /** Folding took longer than the budget of one answer. */
    public static final class TooLongException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        TooLongException(String device, Duration budget, long records) {
            super(
                    "answering for device "
                            + device
                            + " took more than "
                            + budget.toSeconds()
                            + " s ("
                            + records
                            + " records folded); ask for a page, a position or a time instead");
        }
    }

    /**
     * Folds every record from the first, keeping every entry in memory: for tests of short
     * histories; answers use {@link #page}, {@link #upTo} and {@link #asOf}.
     */
    public Replay all(String device, String topic, DeviceLog log) {
        Run run = new Run(device, topic, log, null, false);
        List<HistoryEntry> entries = new ArrayList<>();
        log.forEachAfter(
                null,
                record -> {
                    entries.add(run.step(record));
                    return true;
                });
        return run.replay(entries);
    }

    /** The device's state after its last record. */
    public Replay latest(String device, String topic, DeviceLog log) {
        return upTo(device, topic, log, null);
    }

    /**
     * Folds the records at or before a position of the log (all of them if null). The replay keeps
     * no entries but the provenance's: an answer about a long device holds a few in memory.
     */
    public Replay upTo(String device, String topic, DeviceLog log, Position last) {
        Run run = new Run(device, topic, log, log.snapshotAtOrBefore(last), false);
        log.forEachAfter(
                run.position,
                record -> {
                    if (last != null && !record.position().atOrBefore(last)) {
                        return false;
                    }
                    run.step(record);
                    return true;
                });
        return run.replay(List.of());
    }

    /** The twin as of an event time (see the class comment); no entries but the provenance's. */
    public Replay asOf(String device, String topic, DeviceLog log, Instant time) {
        long at = time.toEpochMilli();
        Run run = new Run(device, topic, log, log.snapshotSeenBy(at), true);
        log.forEachAfter(
                run.position,
                record -> {
                    HistoryEntry entry = run.step(record);
                    if (entry.lastSeen() != null && entry.lastSeen().isAfter(time)) {
                        run.undo();
                        return false;
                    }
                    return true;
                });
        return run.replay(List.of());
    }

    /**
     * A page of the device's history after the query's cursor: from the snapshot before the cursor,
     * the entries after it within the time range, at most {@code limit}.
     */
    public Page<HistoryEntry> page(String device, String topic, DeviceLog log, HistoryQuery query) {
        DeviceSnapshot start = query.after() == null ? null : log.snapshotAtOrBefore(query.after());
        Run run = new Run(device, topic, log, start, false);
        List<HistoryEntry> page = new ArrayList<>();
        String[] next = {null};
        log.forEachAfter(
                run.position,
                record -> {
                    HistoryEntry entry = run.step(record);
                    if (query.after() != null && entry.position().atOrBefore(query.after())) {
                        return true;
                    }
                    if (!query.inRange(entry)) {
                        return true;
                    }
                    if (page.size() == query.limit()) {
                        next[0] = page.get(page.size() - 1).position().toString();
                        return false;
                    }
                    page.add(entry);
                    return true;
                });
        return new Page<>(page, next[0]);
    }

    /**
     * How many records the device has: the newest snapshot's count and the records after it, read
     * but not decoded.
     */
    public long count(DeviceLog log) {
        DeviceSnapshot newest = log.snapshotAtOrBefore(null);
        long[] count = {newest == null ? 0 : newest.records()};
        log.forEachAfter(
                newest == null ? null : newest.position(),
                record -> {
                    count[0]++;
                    return true;
                });
        return count[0];
    }

    /**
     * Compares the twin the job published with each twin the fold goes through from the snapshot
     * before the record the published twin last applied (no twin before it can equal it).
     */
    public StateCheck.Verdict check(
            String device, String topic, DeviceLog log, DeviceTwin published) {
        StateCheck check = new StateCheck(published);
        Position from = null;
        if (published != null && published.getLastEvent() != null) {
            LogPosition last = published.getLastEvent().getPosition();
            from = new Position(last.getPartition(), last.getOffset());
        }
        Run run =
                new Run(
                        device,
                        topic,
                        log,
                        from == null ? null : log.snapshotAtOrBefore(from),
                        false);
        if (run.position != null) {
            check.step(run.state == null ? null : run.state.getTwin());
        }
        log.forEachAfter(
                run.position,
                record -> {
                    run.step(record);
                    check.step(run.state == null ? null : run.state.getTwin());
                    return true;
                });
        return check.verdict();
    }

    /** One fold of the device, from a snapshot or from its first record. */
    private final class Run {
        private final String device;
        private final String topic;
        private final DeviceLog log;
        private final byte[] key;
        private final ReplayKernel kernel =
                new ReplayKernel(
                        admission, new LogRouter(), new DeviceFolder(fold).spillingEvery(spillAt));
        private final HeapDeviceStores stores = new HeapDeviceStores();
        private final List<StoredRecord> pending = markers.get();
        private final boolean undoable;
        private final long deadline = System.nanoTime() + budget.toNanos();
        private int nextMarker;
        private DeviceState state;
        private long records;
        private Position position;
        private Map<String, Position> setters = new TreeMap<>();

        /** The entries of the setters this run folded (the provenance's, without a refold). */
        private final Map<Position, HistoryEntry> setterEntries = new HashMap<>();

        private long sinceSnapshot;
        private long bytesSinceSnapshot;
        private long folded;
        private Undo undo;

        private record Undo(
                DeviceState state,
                long records,
                Position position,
                Map<String, Position> setters) {}

        Run(String device, String topic, DeviceLog log, DeviceSnapshot start, boolean undoable) {
            this.device = device;
            this.topic = topic;
            this.log = log;
            this.key = device.getBytes(StandardCharsets.UTF_8);
            this.undoable = undoable;
            if (start != null) {
                stores.restore(device, start.state(), start.spilled());
                state = stores.state(device);
                records = start.records();
                position = start.position();
                setters.putAll(start.setters());
                markersThrough(position);
            }
        }

        /** The markers of the device's partition at or before a position, into the kernel. */
        private void markersThrough(Position through) {
            while (nextMarker < pending.size()
                    && pending.get(nextMarker).position().atOrBefore(through)) {
                StoredRecord marker = pending.get(nextMarker++);
                if (marker.position().partition() == through.partition()) {
                    apply(logRecord(null, marker, true));
                }
            }
        }

        HistoryEntry step(StoredRecord record) {
            if (++folded % 1024 == 0) {
                if (System.nanoTime() > deadline) {
                    throw new TooLongException(device, budget, folded);
                }
                if (Thread.currentThread().isInterrupted()) {
                    // the service is closing: the index goes away under a fold that goes on
                    throw new java.util.concurrent.CancellationException("interrupted");
                }
            }
            if (undoable) {
                undo = new Undo(state, records, position, new TreeMap<>(setters));
            }
            markersThrough(record.position());
            HistoryEntry entry = entry(record);
            if (setters.containsValue(entry.position())) {
                setterEntries.put(entry.position(), entry);
                if (setterEntries.size() > 4 * (setters.size() + 1)) {
                    setterEntries.keySet().retainAll(setters.values());
                }
            }
            records++;
            position = record.position();
            sinceSnapshot++;
            bytesSinceSnapshot += record.value().length;
            if (sinceSnapshot >= snapshotEvery || bytesSinceSnapshot >= snapshotBytes) {
                log.keep(
                        new DeviceSnapshot(
                                position,
                                records,
                                state,
                                stores.buckets(device),
                                Map.copyOf(setters())));
                sinceSnapshot = 0;
                bytesSinceSnapshot = 0;
            }
            return entry;
        }

        /** Back to before the last step; the run ends there (the kernel is not rewound). */
        void undo() {
            state = undo.state();
            records = undo.records();
            position = undo.position();
            setters = undo.setters();
        }

        private HistoryEntry entry(StoredRecord record) {
            Instant recordTime = Instant.ofEpochMilli(record.timestamp());
            TwinChanges before = TwinChanges.of(state == null ? null : state.getTwin());
            ReplayKernel.Step step = apply(logRecord(key, record, false));
            if (step.routed() instanceof LogRouter.DeadLetter deadLetter) {
                return new HistoryEntry(
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
                        lastSeen(state));
            }
            DeviceEvent event = ((LogRouter.Stamped) step.routed()).event();
            FoldResult result = step.folded();
            state = stores.state(device);
            TwinChanges after = TwinChanges.of(state == null ? null : state.getTwin());
            if (before.statusDiffers(after)) {
                setters.put("status", record.position());
            }
            if (before.onlineDiffers(after)) {
                setters.put("online", record.position());
            }
            if (before.firmwareDiffers(after)) {
                setters.put("firmware", record.position());
            }
            if (result.outcome() == Outcome.APPLIED && state != null) {
                String id = event.getEventId();
                state.getTwin()
                        .getReadings()
                        .forEach(
                                (metric, reading) -> {
                                    if (id.equals(reading.getEventId())) {
                                        setters.put("readings." + metric, record.position());
                                    }
                                });
                if (id.equals(state.getTwin().getLastEvent().getEventId())) {
                    setters.put("lastEvent", record.position());
                }
            }
            return new HistoryEntry(
                    record.position(),
                    recordTime,
                    event.getEventId(),
                    EventKind.of(event.getPayload()),
                    event.getEventTime(),
                    RecordOutcome.of(result.outcome()),
                    result.deadLetter() != null
                            ? result.deadLetter().reason() + ": " + result.deadLetter().message()
                            : rejection(result),
                    event.getPayload(),
                    result.derivedEvents(),
                    result.alerts(),
                    before.to(after),
                    lastSeen(state));
        }

        /** The setters of the fields the state holds now, in the provenance's order. */
        private Map<String, Position> setters() {
            Map<String, Position> current = new LinkedHashMap<>();
            if (state == null) {
                return current;
            }
            for (String field : List.of("status", "online", "firmware")) {
                if (setters.containsKey(field)) {
                    current.put(field, setters.get(field));
                }
            }
            for (String metric : new TreeSet<>(state.getTwin().getReadings().keySet())) {
                Position setter = setters.get("readings." + metric);
                if (setter != null) {
                    current.put("readings." + metric, setter);
                }
            }
            if (setters.containsKey("lastEvent")) {
                current.put("lastEvent", setters.get("lastEvent"));
            }
            return current;
        }

        Replay replay(List<HistoryEntry> entries) {
            Map<String, Position> fields = setters();
            Map<Position, HistoryEntry> known = new HashMap<>(setterEntries);
            entries.forEach(entry -> known.put(entry.position(), entry));
            TreeSet<Position> missing = new TreeSet<>();
            fields.values().stream().filter(p -> !known.containsKey(p)).forEach(missing::add);
            materialize(missing, known);
            Map<String, HistoryEntry> provenance = new LinkedHashMap<>();
            fields.forEach(
                    (field, setter) -> {
                        if (known.containsKey(setter)) {
                            provenance.put(field, known.get(setter));
                        }
                    });
            return new Replay(device, state, records, position, entries, Provenance.of(provenance));
        }

        /**
         * The entries at positions before this fold's start, each folded from the snapshot before
         * it: one fold while the positions are close, a new one from a later snapshot when the next
         * position is past it.
         */
        private void materialize(TreeSet<Position> wanted, Map<Position, HistoryEntry> into) {
            while (!wanted.isEmpty()) {
                Run refold = new Run(device, topic, log, snapshotBefore(wanted.first()), false);
                boolean[] restart = {false};
                log.forEachAfter(
                        refold.position,
                        record -> {
                            HistoryEntry entry = refold.step(record);
                            if (wanted.remove(entry.position())) {
                                into.put(entry.position(), entry);
                            }
                            if (wanted.isEmpty()) {
                                return false;
                            }
                            if (refold.sinceSnapshot == 0) {
                                DeviceSnapshot later = snapshotBefore(wanted.first());
                                if (later != null
                                        && refold.position.compareTo(later.position()) < 0) {
                                    restart[0] = true;
                                    return false;
                                }
                            }
                            return true;
                        });
                if (restart[0]) {
                    wanted.headSet(refold.position, true).clear();
                } else {
                    wanted.clear(); // the records ended: what is left was no record of the device
                }
            }
        }

        private DeviceSnapshot snapshotBefore(Position position) {
            return position.offset() == 0
                    ? null
                    : log.snapshotAtOrBefore(
                            new Position(position.partition(), position.offset() - 1));
        }

        private ReplayKernel.Step apply(LogRecord record) {
            try {
                return kernel.apply(record, stores::of);
            } catch (java.io.IOException e) {
                // The registry could not be asked: not the record's fault, and not an answer.
                throw new java.io.UncheckedIOException(
                        "decoding " + device + " at " + record.position() + ": " + e.getMessage(),
                        e);
            }
        }

        private LogRecord logRecord(byte[] recordKey, StoredRecord record, boolean marker) {
            return new LogRecord(
                    recordKey,
                    record.value(),
                    record.timestamp(),
                    marker,
                    new LogPosition(
                            topic, record.position().partition(), record.position().offset()));
        }
    }

    private static String rejection(FoldResult result) {
        if (result.outcome() != Outcome.REJECTED) {
            return null;
        }
        return result.derivedEvents().stream()
                .map(d -> d.getPayload())
                .filter(p -> p instanceof EventRejected)
                .map(p -> ((EventRejected) p).getReason() + ": " + ((EventRejected) p).getDetail())
                .findFirst()
                .orElse(null);
    }

    private static Instant lastSeen(DeviceState state) {
        return state == null ? null : state.getTwin().getLastSeen();
    }
}
