package io.twinlog.readside.index;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;
import java.util.function.Predicate;
import org.rocksdb.BlockBasedTableConfig;
import org.rocksdb.BloomFilter;
import org.rocksdb.ColumnFamilyDescriptor;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.ColumnFamilyOptions;
import org.rocksdb.CompressionType;
import org.rocksdb.DBOptions;
import org.rocksdb.FlushOptions;
import org.rocksdb.ReadOptions;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.rocksdb.WriteBatch;
import org.rocksdb.WriteOptions;

/**
 * The read side's store, an embedded RocksDB kept by consuming the log (the LogFollower):
 *
 * <ul>
 *   <li>{@code events}: every record of the event log under its key's device, in log order;
 *   <li>{@code twins}: the latest record of each device on the twins topic;
 *   <li>{@code alerts}: every record of the alerts topic under its device;
 *   <li>{@code snapshots}: the read side's snapshots of devices' folds, under the fingerprint of
 *       what they depend on (the semantic options and the fold's build), the device and the
 *       position; {@code snapshot-clock} finds them by the device's clock;
 *   <li>the default family: the next offset of every partition of every topic followed, written in
 *       the same atomic batch as the records, so that a restart resumes exactly where it stopped;
 *       and the offsets the log had deleted before the index read them ({@link LogGap}).
 * </ul>
 *
 * Values are stored as the broker holds them (schema registry wire format); decoding and admission
 * happen at query time with the job's own classes, so the index holds no semantics of its own and
 * does not depend on the job's options.
 */
public final class EventIndex implements AutoCloseable {

    private static final byte[] FORMAT_KEY = "format".getBytes(StandardCharsets.UTF_8);
    private static final byte[] TOPICS_KEY = "topics".getBytes(StandardCharsets.UTF_8);
    private static final byte[] FORMAT = "twinlog-read-index-1".getBytes(StandardCharsets.UTF_8);
    private static final String POSITION = "position/";
    private static final String GAP = "gap/";

    static {
        RocksDB.loadLibrary();
    }

    private final Path dir;
    private final RocksDB db;
    private final List<AutoCloseable> resources = new ArrayList<>();
    private final ColumnFamilyHandle meta;
    private final ColumnFamilyHandle events;
    private final ColumnFamilyHandle twins;
    private final ColumnFamilyHandle alerts;
    private final ColumnFamilyHandle snapshots;
    private final ColumnFamilyHandle snapshotClock;
    private final WriteOptions writeOptions;
    private final WriteOptions bulkWriteOptions;

    private EventIndex(Path dir) throws IOException {
        this.dir = dir;
        try {
            Files.createDirectories(dir);
            DBOptions options =
                    keep(new DBOptions())
                            .setCreateIfMissing(true)
                            .setCreateMissingColumnFamilies(true)
                            .setMaxBackgroundJobs(2)
                            .setKeepLogFileNum(2)
                            // Writes without the write-ahead log (catching up) stay consistent
                            // across families: the records and the positions flush together.
                            .setAtomicFlush(true);
            BlockBasedTableConfig table =
                    new BlockBasedTableConfig().setFilterPolicy(keep(new BloomFilter(10)));
            ColumnFamilyOptions families =
                    keep(new ColumnFamilyOptions())
                            .setCompressionType(CompressionType.LZ4_COMPRESSION)
                            .setTableFormatConfig(table)
                            .setWriteBufferSize(32L << 20);
            List<ColumnFamilyDescriptor> descriptors =
                    List.of(
                            new ColumnFamilyDescriptor(RocksDB.DEFAULT_COLUMN_FAMILY, families),
                            new ColumnFamilyDescriptor(bytes("events"), families),
                            new ColumnFamilyDescriptor(bytes("twins"), families),
                            new ColumnFamilyDescriptor(bytes("alerts"), families),
                            new ColumnFamilyDescriptor(bytes("snapshots"), families),
                            new ColumnFamilyDescriptor(bytes("snapshot-clock"), families));
            List<ColumnFamilyHandle> handles = new ArrayList<>();
            this.db = RocksDB.open(options, dir.toString(), descriptors, handles);
            resources.addAll(handles);
            this.meta = handles.get(0);
            this.events = handles.get(1);
            this.twins = handles.get(2);
            this.alerts = handles.get(3);
            this.snapshots = handles.get(4);
            this.snapshotClock = handles.get(5);
            this.writeOptions = keep(new WriteOptions());
            this.bulkWriteOptions = keep(new WriteOptions().setDisableWAL(true));
            byte[] format = db.get(meta, FORMAT_KEY);
            if (format == null) {
                db.put(meta, FORMAT_KEY, FORMAT);
            } else if (!Arrays.equals(format, FORMAT)) {
                throw new IOException(
                        dir
                                + " holds an index of another format ("
                                + new String(format, StandardCharsets.UTF_8)
                                + "): delete it, it is rebuilt from the log");
            }
        } catch (RocksDBException e) {
            throw new IOException(
                    "cannot open the read index at "
                            + dir
                            + " ("
                            + e.getMessage()
                            + "); is another twinlog process using it?",
                    e);
        }
    }

    public static EventIndex open(Path dir) throws IOException {
        return new EventIndex(dir);
    }

    public Path dir() {
        return dir;
    }

    /** Writes that become visible together, positions included. */
    public final class Batch implements AutoCloseable {
        private final WriteBatch batch = new WriteBatch();
        private int records;

        /**
         * Indexes an event-log record under its key.
         *
         * @return false if the key cannot be a device id (null, empty or too long): not indexed
         */
        public boolean event(byte[] kafkaKey, Position position, long timestamp, byte[] value)
                throws RocksDBException {
            byte[] device = IndexKeys.deviceFromRecordKey(kafkaKey);
            if (device == null) {
                return false;
            }
            batch.put(events, IndexKeys.record(device, position), stamped(timestamp, value));
            records++;
            return true;
        }

        /** Indexes a rules marker of the event log (a record with the marker header). */
        public void rulesMarker(Position position, long timestamp, byte[] value)
                throws RocksDBException {
            batch.put(
                    events,
                    IndexKeys.record(IndexKeys.RULES_MARKERS, position),
                    stamped(timestamp, value));
            records++;
        }

        public void twin(String device, Position position, byte[] value) throws RocksDBException {
            byte[] key = IndexKeys.device(device);
            if (value == null) {
                batch.delete(twins, key);
            } else {
                batch.put(
                        twins,
                        key,
                        ByteBuffer.allocate(12 + value.length)
                                .putInt(position.partition())
                                .putLong(position.offset())
                                .put(value)
                                .array());
            }
            records++;
        }

        public void alert(String device, Position position, long timestamp, byte[] value)
                throws RocksDBException {
            batch.put(
                    alerts,
                    IndexKeys.record(IndexKeys.device(device), position),
                    stamped(timestamp, value));
            records++;
        }

        /** The next offset to read in a partition of a followed topic. */
        public void position(String topic, int partition, long next) throws RocksDBException {
            batch.put(
                    meta,
                    positionKey(topic, partition),
                    ByteBuffer.allocate(8).putLong(next).array());
        }

        /** Offsets the log deleted before the index read them (kept until the index is cleared). */
        public void gap(LogGap gap) throws RocksDBException {
            batch.put(
                    meta,
                    gapKey(gap.topic(), gap.partition(), gap.from()),
                    ByteBuffer.allocate(8).putLong(gap.to()).array());
        }

        public int records() {
            return records;
        }

        public void commit() throws RocksDBException {
            db.write(writeOptions, batch);
        }

        /**
         * Writes without the write-ahead log: a crash loses the batches since the last flush, the
         * positions with them (atomic flush), so the log is read again from there. For catching up,
         * where the log itself is the durable copy; {@link #flush} ends it.
         */
        public void commitWithoutLog() throws RocksDBException {
            db.write(bulkWriteOptions, batch);
        }

        @Override
        public void close() {
            batch.close();
        }
    }

    public Batch batch() {
        return new Batch();
    }

    /** Next offset per partition of a topic, as last committed; empty if never followed. */
    public Map<Integer, Long> positions(String topic) {
        Map<Integer, Long> positions = new HashMap<>();
        byte[] prefix = bytes(POSITION + topic + "/");
        scan(
                meta,
                prefix,
                (key, value) ->
                        positions.put(
                                Integer.parseInt(
                                        new String(
                                                key,
                                                prefix.length,
                                                key.length - prefix.length,
                                                StandardCharsets.UTF_8)),
                                ByteBuffer.wrap(value).getLong()));
        return positions;
    }

    /** The offsets of a topic the log had deleted before the index read them, in offset order. */
    public List<LogGap> gaps(String topic) {
        List<LogGap> gaps = new ArrayList<>();
        byte[] prefix = bytes(GAP + topic + "/");
        scan(
                meta,
                prefix,
                (key, value) -> {
                    String[] at =
                            new String(
                                            key,
                                            prefix.length,
                                            key.length - prefix.length,
                                            StandardCharsets.UTF_8)
                                    .split("/");
                    gaps.add(
                            new LogGap(
                                    topic,
                                    Integer.parseInt(at[0]),
                                    Long.parseLong(at[1]),
                                    ByteBuffer.wrap(value).getLong()));
                });
        gaps.sort(
                java.util.Comparator.comparingInt(LogGap::partition)
                        .thenComparingLong(LogGap::from));
        return gaps;
    }

    /**
     * A device's event-log records in log order.
     *
     * @throws TooManyRecordsException if it has more than {@code limit}
     */
    public List<StoredRecord> events(String device, int limit) {
        return records(events, device, limit);
    }

    /**
     * The partition of the device's first record in the log, or -1 if the log has none: one seek,
     * nothing read or decoded (whether a device exists, and where, without folding it).
     */
    public int firstPartition(String device) {
        byte[] prefix = IndexKeys.device(device);
        try (ReadOptions read = new ReadOptions().setPrefixSameAsStart(false);
                RocksIterator it = db.newIterator(events, read)) {
            it.seek(prefix);
            return it.isValid() && startsWith(it.key(), prefix)
                    ? IndexKeys.positionOf(it.key()).partition()
                    : -1;
        }
    }

    /**
     * Hands the device's event-log records after {@code after} (from the first if null) to the
     * action, in log order, until it returns false.
     */
    public void forEachEvent(String device, Position after, Predicate<StoredRecord> action) {
        byte[] prefix = IndexKeys.device(device);
        try (ReadOptions read = new ReadOptions().setPrefixSameAsStart(false);
                RocksIterator it = db.newIterator(events, read)) {
            if (after == null) {
                it.seek(prefix);
            } else {
                byte[] from = IndexKeys.record(prefix, after);
                it.seek(from);
                if (it.isValid() && Arrays.equals(it.key(), from)) {
                    it.next();
                }
            }
            for (; it.isValid() && startsWith(it.key(), prefix); it.next()) {
                if (!action.test(unstamped(IndexKeys.positionOf(it.key()), it.value()))) {
                    return;
                }
            }
        }
    }

    /** The partition of the device's last record in index order, or -1 if it has none. */
    public int lastPartition(String device) {
        byte[] prefix = IndexKeys.device(device);
        try (ReadOptions read = new ReadOptions().setPrefixSameAsStart(false);
                RocksIterator it = db.newIterator(events, read)) {
            it.seekForPrev(IndexKeys.record(prefix, IndexKeys.LAST));
            return it.isValid() && startsWith(it.key(), prefix)
                    ? IndexKeys.positionOf(it.key()).partition()
                    : -1;
        }
    }

    /** The partitions the device has records on, one seek per partition. */
    public java.util.SortedSet<Integer> partitionsOf(String device) {
        java.util.SortedSet<Integer> partitions = new java.util.TreeSet<>();
        byte[] prefix = IndexKeys.device(device);
        try (ReadOptions read = new ReadOptions().setPrefixSameAsStart(false);
                RocksIterator it = db.newIterator(events, read)) {
            for (it.seek(prefix); it.isValid() && startsWith(it.key(), prefix); ) {
                int partition = IndexKeys.positionOf(it.key()).partition();
                partitions.add(partition);
                if (partition == Integer.MAX_VALUE) {
                    break;
                }
                it.seek(IndexKeys.record(prefix, new Position(partition + 1, 0)));
            }
        }
        return partitions;
    }

    /** Keeps a snapshot of a device's fold, found by position and by the device's clock. */
    public void putSnapshot(
            long fingerprint, String device, Position position, long lastSeen, byte[] snapshot)
            throws RocksDBException {
        byte[] at = IndexKeys.snapshot(fingerprint, device, position);
        try (WriteBatch batch = new WriteBatch()) {
            batch.put(snapshots, at, snapshot);
            batch.put(
                    snapshotClock,
                    IndexKeys.snapshotClock(fingerprint, device, lastSeen, position),
                    new byte[0]);
            db.write(writeOptions, batch);
        }
    }

    public boolean hasSnapshot(long fingerprint, String device, Position position) {
        try {
            return db.get(snapshots, IndexKeys.snapshot(fingerprint, device, position)) != null;
        } catch (RocksDBException e) {
            throw new IllegalStateException("reading the read index: " + e.getMessage(), e);
        }
    }

    /** The newest snapshot at or before the position (the newest if null), or null. */
    public byte[] snapshotAtOrBefore(long fingerprint, String device, Position position) {
        byte[] prefix = IndexKeys.snapshotPrefix(fingerprint, device);
        try (ReadOptions read = new ReadOptions().setPrefixSameAsStart(false);
                RocksIterator it = db.newIterator(snapshots, read)) {
            it.seekForPrev(IndexKeys.record(prefix, position == null ? IndexKeys.LAST : position));
            return it.isValid() && startsWith(it.key(), prefix) ? it.value() : null;
        }
    }

    /** The newest snapshot whose device clock is at or before {@code lastSeen}, or null. */
    public byte[] snapshotSeenBy(long fingerprint, String device, long lastSeen) {
        byte[] prefix = IndexKeys.snapshotPrefix(fingerprint, device);
        Position position;
        try (ReadOptions read = new ReadOptions().setPrefixSameAsStart(false);
                RocksIterator it = db.newIterator(snapshotClock, read)) {
            it.seekForPrev(IndexKeys.snapshotClock(fingerprint, device, lastSeen, IndexKeys.LAST));
            if (!it.isValid() || !startsWith(it.key(), prefix)) {
                return null;
            }
            position = IndexKeys.positionOf(it.key());
        }
        try {
            return db.get(snapshots, IndexKeys.snapshot(fingerprint, device, position));
        } catch (RocksDBException e) {
            throw new IllegalStateException("reading the read index: " + e.getMessage(), e);
        }
    }

    /**
     * Deletes the snapshots of every fingerprint but one: those of other options or another build
     * are never read again.
     *
     * @return how many fingerprints were dropped
     */
    public int dropSnapshotsExcept(long fingerprint) throws RocksDBException {
        int dropped = 0;
        for (ColumnFamilyHandle family : List.of(snapshots, snapshotClock)) {
            List<Long> others = new ArrayList<>();
            try (RocksIterator it = db.newIterator(family)) {
                for (it.seekToFirst(); it.isValid(); ) {
                    long found = ByteBuffer.wrap(it.key(), 0, 8).getLong();
                    if (found != fingerprint) {
                        others.add(found);
                    }
                    if (found == -1L) {
                        break;
                    }
                    it.seek(ByteBuffer.allocate(8).putLong(found + 1).array());
                }
            }
            for (long other : others) {
                db.deleteRange(
                        family,
                        ByteBuffer.allocate(8).putLong(other).array(),
                        other == -1L
                                ? new byte[] {-1, -1, -1, -1, -1, -1, -1, -1, -1}
                                : ByteBuffer.allocate(8).putLong(other + 1).array());
            }
            dropped = Math.max(dropped, others.size());
        }
        return dropped;
    }

    public List<StoredRecord> alerts(String device, int limit) {
        return records(alerts, device, limit);
    }

    /** The device's latest twin record, or null. */
    public StoredRecord twin(String device) {
        try {
            byte[] value = db.get(twins, IndexKeys.device(device));
            return value == null ? null : twinRecord(value);
        } catch (RocksDBException e) {
            throw new IllegalStateException("reading the read index: " + e.getMessage(), e);
        }
    }

    /** Every device's latest twin record, by device id order. */
    public void forEachTwin(BiConsumer<String, StoredRecord> action) {
        scan(
                twins,
                new byte[0],
                (key, value) -> action.accept(IndexKeys.deviceOf(key), twinRecord(value)));
    }

    /** Every alert record, grouped by device. */
    public void forEachAlert(BiConsumer<String, StoredRecord> action) {
        scan(
                alerts,
                new byte[0],
                (key, value) ->
                        action.accept(
                                IndexKeys.deviceOf(key),
                                unstamped(IndexKeys.positionOf(key), value)));
    }

    /** Makes every write so far durable (all families at once). */
    public void flush() throws RocksDBException {
        try (FlushOptions options = new FlushOptions().setWaitForFlush(true)) {
            db.flush(options, List.of(meta, events, twins, alerts, snapshots, snapshotClock));
        }
    }

    /**
     * Binds the index to the topics it follows. An index of other topics (another {@code
     * --topic-prefix}, another pipeline) is cleared rather than mixed with them: its devices'
     * records are keyed by device alone.
     *
     * @return whether an index of other topics was cleared
     */
    public boolean bindTo(List<String> topics) throws RocksDBException {
        byte[] wanted = bytes(String.join(",", topics));
        byte[] bound = db.get(meta, TOPICS_KEY);
        if (Arrays.equals(bound, wanted)) {
            return false;
        }
        boolean other = bound != null;
        if (bound == null) {
            // written before indexes were bound: its positions say which topics it followed
            try (RocksIterator it = db.newIterator(meta)) {
                byte[] prefix = bytes(POSITION);
                for (it.seek(prefix); it.isValid() && startsWith(it.key(), prefix); it.next()) {
                    String key = new String(it.key(), StandardCharsets.UTF_8);
                    String topic = key.substring(POSITION.length(), key.lastIndexOf('/'));
                    other |= !topics.contains(topic);
                }
            }
        }
        if (other) {
            clear();
        }
        db.put(meta, writeOptions, TOPICS_KEY, wanted);
        return other;
    }

    /** Deletes everything: for a log that was recreated under the same topic names. */
    public void clear() throws RocksDBException {
        for (ColumnFamilyHandle family : List.of(events, twins, alerts, snapshots, snapshotClock)) {
            db.deleteRange(family, new byte[0], new byte[] {(byte) 0xff, (byte) 0xff, (byte) 0xff});
        }
        for (String kept : List.of(POSITION, GAP)) {
            try (RocksIterator it = db.newIterator(meta)) {
                byte[] prefix = bytes(kept);
                for (it.seek(prefix); it.isValid() && startsWith(it.key(), prefix); it.next()) {
                    db.delete(meta, it.key());
                }
            }
        }
    }

    /** RocksDB's estimate of the keys in the events family. */
    public long estimatedEvents() {
        try {
            return db.getLongProperty(events, "rocksdb.estimate-num-keys");
        } catch (RocksDBException e) {
            return -1;
        }
    }

    /** Bytes on disk (SST files) of the whole index. */
    public long diskBytes() {
        try {
            return db.getAggregatedLongProperty("rocksdb.total-sst-files-size");
        } catch (RocksDBException e) {
            return -1;
        }
    }

    /** The rules markers of the log, by partition and offset. */
    public List<StoredRecord> rulesMarkers(int limit) {
        return records(events, IndexKeys.RULES_MARKERS, "the rules markers", limit);
    }

    private List<StoredRecord> records(ColumnFamilyHandle family, String device, int limit) {
        return records(family, IndexKeys.device(device), "device " + device, limit);
    }

    private List<StoredRecord> records(
            ColumnFamilyHandle family, byte[] prefix, String what, int limit) {
        List<StoredRecord> records = new ArrayList<>();
        scan(
                family,
                prefix,
                (key, value) -> {
                    if (records.size() == limit) {
                        throw new TooManyRecordsException(what, limit);
                    }
                    records.add(unstamped(IndexKeys.positionOf(key), value));
                });
        return records;
    }

    private void scan(ColumnFamilyHandle family, byte[] prefix, BiConsumer<byte[], byte[]> action) {
        try (ReadOptions read = new ReadOptions().setPrefixSameAsStart(false);
                RocksIterator it = db.newIterator(family, read)) {
            for (it.seek(prefix); it.isValid() && startsWith(it.key(), prefix); it.next()) {
                action.accept(it.key(), it.value());
            }
        }
    }

    private static StoredRecord twinRecord(byte[] value) {
        ByteBuffer buffer = ByteBuffer.wrap(value);
        Position position = new Position(buffer.getInt(), buffer.getLong());
        return new StoredRecord(position, -1, Arrays.copyOfRange(value, 12, value.length));
    }

    private static byte[] stamped(long timestamp, byte[] value) {
        byte[] body = value == null ? new byte[0] : value;
        return ByteBuffer.allocate(8 + body.length).putLong(timestamp).put(body).array();
    }

    private static StoredRecord unstamped(Position position, byte[] value) {
        return new StoredRecord(
                position,
                ByteBuffer.wrap(value).getLong(),
                Arrays.copyOfRange(value, 8, value.length));
    }

    private static byte[] positionKey(String topic, int partition) {
        return bytes(POSITION + topic + "/" + partition);
    }

    private static byte[] gapKey(String topic, int partition, long from) {
        // zero-padded so that a partition's gaps sort by offset
        return bytes(GAP + topic + "/" + partition + "/" + String.format("%019d", from));
    }

    private static boolean startsWith(byte[] key, byte[] prefix) {
        return key.length >= prefix.length
                && Arrays.equals(key, 0, prefix.length, prefix, 0, prefix.length);
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private <T extends AutoCloseable> T keep(T resource) {
        resources.add(resource);
        return resource;
    }

    @Override
    public void close() {
        try {
            flush();
        } catch (RocksDBException e) {
            // Unflushed batches were written without the log at most: they are read again.
        }
        db.close();
        for (int i = resources.size() - 1; i >= 0; i--) {
            try {
                resources.get(i).close();
            } catch (Exception ignored) {
                // closing native handles of a closed database: nothing left to release
            }
        }
    }
}
