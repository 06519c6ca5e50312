package io.twinlog.readside;

import io.twinlog.alerts.PublishedVersions;
import io.twinlog.ingest.EventAdmission;
import io.twinlog.kernel.LogAdmission;
import io.twinlog.kernel.LogRecord;
import io.twinlog.kernel.RulesHistory;
import io.twinlog.options.DeviceTwinJobOptions;
import io.twinlog.readside.group.PartitionOwners;
import io.twinlog.readside.group.Placement;
import io.twinlog.readside.group.ReadSideGroup;
import io.twinlog.readside.index.EventIndex;
import io.twinlog.readside.index.LogGap;
import io.twinlog.readside.index.Position;
import io.twinlog.readside.index.StoredRecord;
import io.twinlog.readside.query.DeviceLog;
import io.twinlog.readside.query.DeviceSnapshot;
import io.twinlog.readside.query.HistoryEntry;
import io.twinlog.readside.query.HistoryFold;
import io.twinlog.readside.query.HistoryQuery;
import io.twinlog.readside.query.Page;
import io.twinlog.readside.query.Replay;
import io.twinlog.readside.query.SnapshotFingerprint;
import io.twinlog.readside.query.SplitDeviceException;
import io.twinlog.readside.query.StateCheck;
import io.twinlog.readside.views.AlertBoard;
import io.twinlog.readside.views.Fleet;
import io.twinlog.readside.views.PublishedTwin;
import io.twinlog.registry.CachingSchemaRegistry;
import io.twinlog.registry.RegistryRestClient;
import io.twinlog.registry.SchemaRegistry;
import io.twinlog.schema.TopicNames;
import io.twinlog.schema.alert.Alert;
import io.twinlog.schema.common.LogPosition;
import io.twinlog.schema.event.DeviceEvent;
import io.twinlog.schema.rules.RuleSet;
import io.twinlog.schema.twin.DeviceTwin;
import io.twinlog.serde.ConfluentAvroDeserializer;
import io.twinlog.twin.DeviceFold;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.rocksdb.RocksDBException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The read side: the index, the views kept from the outputs, and the queries answered from them.
 * Thread-safe: queries run in any thread while the follower writes.
 */
public final class ReadSide implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ReadSide.class);

    private final ReadSideConfig config;
    private final TopicNames topics;
    private final EventIndex index;
    private final SchemaRegistry registry;
    private final Fleet fleet = new Fleet();
    private final AlertBoard alerts = new AlertBoard();
    private final ReadSideMetrics metrics = new ReadSideMetrics();
    private final LogFollower follower;
    private final Snapshotter snapshotter;
    private final PartitionOwners owners;
    private final ReadSideGroup group;
    private final ThreadLocal<Decoders> decoders;

    /** Decoders are not thread-safe: one set per query thread, and per set of job options. */
    private record Decoders(
            DeviceTwinJobOptions options,
            HistoryFold fold,
            ConfluentAvroDeserializer<DeviceTwin> twin,
            ConfluentAvroDeserializer<Alert> alert,
            ConfluentAvroDeserializer<RuleSet> ruleSets) {}

    private ReadSide(ReadSideConfig config) throws IOException {
        this.config = config;
        this.topics = config.job().get().topics();
        this.registry =
                new CachingSchemaRegistry(
                        new RegistryRestClient(
                                config.registryUrl(), config.timeout(), config.registryAuth()));
        this.decoders = new ThreadLocal<>();
        this.index = EventIndex.open(config.indexDir());
        this.owners =
                config.group() == null
                        ? PartitionOwners.alone()
                        : PartitionOwners.member(config.group().advertisedUrl());
        try {
            bindIndex(config);
            dropOtherSnapshots();
            restoreViews();
            this.follower =
                    new LogFollower(
                            consumer(config),
                            topics,
                            index,
                            new ConfluentAvroDeserializer<>(registry, DeviceTwin.class),
                            new ConfluentAvroDeserializer<>(registry, Alert.class),
                            fleet,
                            alerts,
                            metrics,
                            this::restoreViews,
                            owners);
        } catch (RuntimeException e) {
            index.close();
            throw e;
        }
        this.group =
                config.group() == null
                        ? null
                        : new ReadSideGroup(
                                clientProperties(config),
                                config.group().groupId(),
                                topics.events(),
                                config.group().sessionTimeout(),
                                owners,
                                () -> index.positions(topics.events()));
        this.snapshotter =
                new Snapshotter(
                        HistoryFold.SNAPSHOT_EVERY,
                        follower::caughtUpOnce,
                        device -> decoders().fold().latest(device, topics.events(), log(device)));
        follower.onIndexed(snapshotter::indexed);
        metrics.gauge(
                "twinlog_readside_snapshots_waiting",
                "Devices due a snapshot that the background folds have not kept yet.",
                snapshotter::waiting);
        metrics.gauge("twinlog_readside_devices", "Devices of the twins topic.", fleet::size);
        metrics.gauge(
                "twinlog_readside_open_alerts", "Alert episodes open now.", alerts::openCount);
        metrics.gauge(
                "twinlog_readside_live_stream_clients",
                "Clients of the live alert stream.",
                alerts::subscribers);
        metrics.gauge(
                "twinlog_readside_index_estimated_events",
                "RocksDB's estimate of the events in the index.",
                index::estimatedEvents);
        metrics.gauge(
                "twinlog_readside_index_disk_bytes", "The index's size on disk.", index::diskBytes);
        metrics.gauge(
                "twinlog_readside_follow_failures",
                "Failures following the log, each retried.",
                follower::failures);
        metrics.lag(follower::lag);
    }

    public static ReadSide open(ReadSideConfig config) throws IOException {
        return new ReadSide(config);
    }

    private void bindIndex(ReadSideConfig config) {
        try {
            if (index.bindTo(List.of(topics.events(), topics.twins(), topics.alerts()))) {
                LOG.warn(
                        "{} held an index of other topics; it is built again from {}",
                        config.indexDir(),
                        topics.events());
            }
        } catch (RocksDBException e) {
            throw new IllegalStateException("opening the read index: " + e.getMessage(), e);
        }
    }

    /** Follows the log in the background, and keeps devices' snapshots up with it (the service). */
    public void follow() {
        if (group != null) {
            group.start();
        }
        follower.start();
        snapshotter.start();
    }

    /** Reads the log up to its current end in this thread (the CLI). */
    public void catchUp(Duration timeout) {
        try {
            follower.assign();
            follower.catchUp(timeout);
        } catch (RocksDBException e) {
            throw new IllegalStateException("writing the read index: " + e.getMessage(), e);
        }
    }

    /** The rules markers of the log, in index order (docs/RULES.md). */
    List<StoredRecord> rulesMarkers() {
        return index.rulesMarkers(config.maxDeviceRecords());
    }

    /** The rules versions each partition of the log activated (docs/RULES.md). */
    public PublishedVersions rulesVersions() {
        List<LogRecord> markers = new ArrayList<>();
        for (StoredRecord record : rulesMarkers()) {
            markers.add(
                    new LogRecord(
                            null,
                            record.value(),
                            record.timestamp(),
                            true,
                            new LogPosition(
                                    topics.events(),
                                    record.position().partition(),
                                    record.position().offset())));
        }
        try {
            return RulesHistory.of(
                    markers,
                    LogAdmission.markersOnly(
                            decoders().ruleSets()::deserialize,
                            decoders().options().contract().refusedMarkers()),
                    follower.positions(topics.events()).keySet());
        } catch (IOException e) {
            throw new UncheckedIOException("decoding the rules markers: " + e.getMessage(), e);
        }
    }

    /** A page of the device's history (docs/READ-SIDE.md, "History"). */
    public Page<HistoryEntry> history(String device, HistoryQuery query) {
        return decoders().fold().page(device, topics.events(), log(device), query);
    }

    /** How many records of the event log the device has. */
    public long recordCount(String device) {
        return decoders().fold().count(log(device));
    }

    public Replay asOf(String device, Instant time) {
        return decoders().fold().asOf(device, topics.events(), log(device), time);
    }

    /** The device as of a position of the log; its latest state if null. */
    public Replay asOf(String device, Position position) {
        return decoders().fold().upTo(device, topics.events(), log(device), position);
    }

    /** The twin the job last published for the device, or null. */
    public PublishedTwin twin(String device) {
        StoredRecord record = index.twin(device);
        if (record == null) {
            return null;
        }
        try {
            return new PublishedTwin(
                    decoders().twin().deserialize(record.value()), record.position());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The device's alert transitions, in the order the job wrote them. */
    public List<Alert> alerts(String device) {
        List<Alert> result = new ArrayList<>();
        for (StoredRecord record : index.alerts(device, config.maxDeviceRecords())) {
            try {
                result.add(decoders().alert().deserialize(record.value()));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return result;
    }

    /** Compares the published twin of a device with the read side's fold of its log. */
    public StateCheck.Verdict verify(String device) {
        PublishedTwin published = twin(device);
        DeviceLog log;
        try {
            log = log(device);
        } catch (SplitDeviceException e) {
            metrics.verified(StateCheck.Verdict.SPLIT);
            return StateCheck.Verdict.SPLIT;
        }
        StateCheck.Verdict verdict =
                decoders()
                        .fold()
                        .check(
                                device,
                                topics.events(),
                                log,
                                published == null ? null : published.twin());
        metrics.verified(verdict);
        return verdict;
    }

    /**
     * Refuses a device neither the log nor the twins topic has a record of, from the index alone.
     *
     * @throws UnknownDeviceException if it is unknown
     */
    public void requireKnown(String device) {
        if (index.firstPartition(device) < 0 && index.twin(device) == null) {
            throw new UnknownDeviceException(device);
        }
    }

    /**
     * A position of the device's log, given as {@code partition:offset}: on a partition the log
     * has, and the device's own.
     *
     * @throws IllegalArgumentException if it is not
     */
    public Position positionOf(String device, String text) {
        Position position = Position.parse(text);
        java.util.Set<Integer> partitions = follower.eventPartitions();
        if (!partitions.isEmpty() && !partitions.contains(position.partition())) {
            throw new IllegalArgumentException(
                    "partition "
                            + position.partition()
                            + " is not a partition of "
                            + topics.events()
                            + " (it has "
                            + partitions
                            + ")");
        }
        int partition = index.firstPartition(device);
        if (partition < 0) {
            requireKnown(device);
        } else if (partition != position.partition()) {
            throw new IllegalArgumentException(
                    "device "
                            + device
                            + " has its records on partition "
                            + partition
                            + ", not "
                            + position.partition());
        }
        return position;
    }

    /**
     * The records of the device's partition of the event log that the log deleted before the index
     * read them and that precede {@code position} (all of them when it is null): an answer folded
     * over what remains has to say that some of the device's past may be missing from it.
     */
    public List<LogGap> gapsBefore(String device, Position position) {
        int partition = position != null ? position.partition() : index.firstPartition(device);
        if (partition < 0) {
            // every record of the device may be among the lost: its twin says where it lived
            PublishedTwin twin = twin(device);
            partition = twin == null ? -1 : twin.twin().getLastEvent().getPosition().getPartition();
        }
        int devicePartition = partition;
        long before = position != null ? position.offset() : Long.MAX_VALUE;
        return index.gaps(topics.events()).stream()
                .filter(gap -> gap.before(devicePartition, before))
                .toList();
    }

    /**
     * What the log lost that an as-of answer could have folded: the gaps up to the position asked
     * for, inclusive; as-of a time ({@code at} null) all of them, since a later offset can hold an
     * earlier event.
     */
    public List<LogGap> gapsAsOf(String device, Position at) {
        return gapsBefore(
                device, at == null ? null : new Position(at.partition(), at.offset() + 1));
    }

    /** Whether the index has not read everything the event log holds (answers may be old). */
    public boolean lagging() {
        return !follower.caughtUpOnce() || follower.lagging(topics.events());
    }

    private Decoders decoders() {
        DeviceTwinJobOptions options = config.job().get();
        Decoders current = decoders.get();
        if (current == null || current.options() != options) {
            current =
                    new Decoders(
                            options,
                            new HistoryFold(
                                    new LogAdmission(
                                            new EventAdmission(options.contract()),
                                            new ConfluentAvroDeserializer<>(
                                                            registry, DeviceEvent.class)
                                                    ::deserialize,
                                            new ConfluentAvroDeserializer<>(registry, RuleSet.class)
                                                    ::deserialize),
                                    new DeviceFold(options.foldSettings(), options.rules()),
                                    this::rulesMarkers),
                            new ConfluentAvroDeserializer<>(registry, DeviceTwin.class),
                            new ConfluentAvroDeserializer<>(registry, Alert.class),
                            new ConfluentAvroDeserializer<>(registry, RuleSet.class));
            decoders.set(current);
        }
        return current;
    }

    /**
     * The device's records and snapshots in the index.
     *
     * @throws UnknownDeviceException if neither the log nor the twins topic has a record of it
     * @throws SplitDeviceException if its records are on more than one partition
     */
    private DeviceLog log(String device) {
        int first = index.firstPartition(device);
        if (first < 0 && index.twin(device) == null) {
            throw new UnknownDeviceException(device);
        }
        if (first >= 0 && index.lastPartition(device) != first) {
            // Records are in (partition, offset) order: the first and last differ only if split.
            throw new SplitDeviceException(device, topics.events(), index.partitionsOf(device));
        }
        return new IndexedDeviceLog(device, snapshotFingerprint());
    }

    /** A device's log in the index, with the snapshots of the options in force. */
    private final class IndexedDeviceLog implements DeviceLog {
        private final String device;
        private final long fingerprint;

        IndexedDeviceLog(String device, long fingerprint) {
            this.device = device;
            this.fingerprint = fingerprint;
        }

        @Override
        public void forEachAfter(Position after, Predicate<StoredRecord> action) {
            index.forEachEvent(device, after, action);
        }

        @Override
        public DeviceSnapshot snapshotAtOrBefore(Position position) {
            return decode(index.snapshotAtOrBefore(fingerprint, device, position));
        }

        @Override
        public DeviceSnapshot snapshotSeenBy(long epochMillis) {
            return decode(index.snapshotSeenBy(fingerprint, device, epochMillis));
        }

        @Override
        public void keep(DeviceSnapshot snapshot) {
            if (index.hasSnapshot(fingerprint, device, snapshot.position())) {
                return;
            }
            try {
                index.putSnapshot(
                        fingerprint,
                        device,
                        snapshot.position(),
                        snapshot.lastSeen(),
                        snapshot.encode());
                metrics.snapshotKept();
            } catch (RocksDBException e) {
                // A snapshot is a shortcut: the answer does not need it.
                LOG.warn("keeping a snapshot of {} failed: {}", device, e.getMessage());
            }
        }

        private DeviceSnapshot decode(byte[] bytes) {
            return bytes == null ? null : DeviceSnapshot.decode(bytes);
        }
    }

    /**
     * What the snapshots of a fold depend on: the semantic options and the fold's own code (a build
     * of another jar, or an unpackaged build, never reads another's snapshots).
     */
    private long snapshotFingerprint() {
        DeviceTwinJobOptions options = config.job().get();
        Fingerprint current = fingerprint;
        if (current == null || current.options() != options) {
            current =
                    new Fingerprint(
                            options,
                            SnapshotFingerprint.of(
                                    options.semantics().values(), SnapshotFingerprint.build()));
            fingerprint = current;
        }
        return current.value();
    }

    private record Fingerprint(DeviceTwinJobOptions options, long value) {}

    private volatile Fingerprint fingerprint;

    /** Drops the snapshots no answer reads any more (other options, another build). */
    private void dropOtherSnapshots() {
        try {
            int dropped = index.dropSnapshotsExcept(snapshotFingerprint());
            if (dropped > 0) {
                LOG.info("dropped the snapshots of {} other option sets or builds", dropped);
            }
        } catch (RocksDBException e) {
            LOG.warn("dropping old snapshots failed: {}", e.getMessage());
        }
    }

    /**
     * The in-memory views from the index: at start, and when the follower has caught up (while
     * catching up it stores twins and alerts without decoding them, most are replaced soon).
     */
    private void restoreViews() {
        ConfluentAvroDeserializer<DeviceTwin> twinDecoder = decoders().twin();
        Fleet restored = new Fleet();
        index.forEachTwin(
                (device, record) -> {
                    DeviceTwin twin = decodeStored(twinDecoder, record, topics.twins());
                    if (twin != null) {
                        restored.update(twin, record.position());
                    }
                });
        fleet.replaceWith(restored);
        ConfluentAvroDeserializer<Alert> alertDecoder = decoders().alert();
        AlertBoard.Restore restore = alerts.restore();
        index.forEachAlert(
                (device, record) -> {
                    Alert alert = decodeStored(alertDecoder, record, topics.alerts());
                    if (alert != null) {
                        restore.accept(alert);
                    }
                });
        restore.finish();
    }

    private <T> T decodeStored(
            ConfluentAvroDeserializer<T> decoder, StoredRecord record, String topic) {
        try {
            return decoder.deserialize(record.value());
        } catch (IOException | RuntimeException e) {
            metrics.undecodable(topic);
            return null;
        }
    }

    public Fleet fleet() {
        return fleet;
    }

    public AlertBoard alertBoard() {
        return alerts;
    }

    public LogFollower follower() {
        return follower;
    }

    public ReadSideMetrics metrics() {
        return metrics;
    }

    public TopicNames topics() {
        return topics;
    }

    public ReadSideConfig config() {
        return config;
    }

    private static Properties clientProperties(ReadSideConfig config) {
        Properties props = new Properties();
        props.putAll(config.kafkaProperties());
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, config.bootstrapServers());
        props.put(
                ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG,
                Long.toString(config.timeout().toMillis()));
        return props;
    }

    private static KafkaConsumer<byte[], byte[]> consumer(ReadSideConfig config) {
        Properties props = clientProperties(config);
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        // Every position is the index's own; a lost one is a LogGap, never a silent jump.
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "none");
        props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "5000");
        props.put(ConsumerConfig.FETCH_MAX_BYTES_CONFIG, Integer.toString(32 << 20));
        props.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, Integer.toString(8 << 20));
        props.put(ConsumerConfig.CLIENT_ID_CONFIG, "twinlog-read-side");
        return new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }

    @Override
    public void close() {
        close(true);
    }

    /**
     * Stops; with {@code leaveGroup} false the group learns it only when the session times out, as
     * after a crash (for the drills and the tests of a rebalance).
     */
    public void close(boolean leaveGroup) {
        if (group != null) {
            group.close(leaveGroup);
        }
        snapshotter.close();
        follower.close();
        index.close();
    }

    /**
     * Whether "no such device here" is this instance's last word: it has read, of every partition
     * the group gave it, what the log held when it got it. While it is still indexing one, a device
     * it does not know may just not be indexed yet.
     */
    public boolean holdsAllItsPartitions() {
        if (!owners.grouped()) {
            return true;
        }
        if (!owners.settled()) {
            return false;
        }
        for (int partition : follower.eventPartitions()) {
            if (owners.owns(partition) && follower.behindTakeover(partition) > 0) {
                return false;
            }
        }
        return true;
    }

    /** Whether every partition of the event log has an owner in the group's last assignment. */
    public boolean everyPartitionOwned() {
        return !owners.grouped()
                || (owners.settled()
                        && follower.eventPartitions().stream()
                                .allMatch(p -> owners.ownerOf(p) != null));
    }

    /** Whether this instance answers the device's history now (always when alone). */
    public boolean answersHere(String device) {
        return placement(device).kind() == Placement.Kind.LOCAL;
    }

    /** Which instance indexes which partition of the event log. */
    public PartitionOwners owners() {
        return owners;
    }

    /**
     * Where the device's history and as-of are answered: always here when alone; in a group, by the
     * owner of the device's partition (its twin's, else the one its records in this index are on),
     * and by nobody while that partition changes hands.
     */
    public Placement placement(String device) {
        if (!owners.grouped()) {
            return Placement.local(-1);
        }
        PublishedTwin twin = twin(device);
        int partition =
                twin != null
                        ? twin.twin().getLastEvent().getPosition().getPartition()
                        : index.firstPartition(device);
        if (partition < 0) {
            return Placement.unplaced();
        }
        if (!owners.settled()) {
            return Placement.moving(partition, "the read-side group is rebalancing");
        }
        String owner = owners.ownerOf(partition);
        if (owner == null) {
            return Placement.moving(
                    partition, "no instance of the read-side group indexes partition " + partition);
        }
        if (!owner.equals(owners.self())) {
            return Placement.remote(partition, owner);
        }
        long behind = follower.behindTakeover(partition);
        if (behind > 0) {
            return Placement.moving(
                    partition,
                    "this instance took partition "
                            + partition
                            + " over and is still indexing it"
                            + (behind == Long.MAX_VALUE ? "" : " (" + behind + " records to go)"));
        }
        return Placement.local(partition);
    }
}
