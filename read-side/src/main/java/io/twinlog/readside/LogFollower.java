package io.twinlog.readside;

import io.twinlog.connect.RecordAdmission;
import io.twinlog.readside.group.PartitionOwners;
import io.twinlog.readside.index.EventIndex;
import io.twinlog.readside.index.LogGap;
import io.twinlog.readside.index.Position;
import io.twinlog.readside.views.AlertBoard;
import io.twinlog.readside.views.Fleet;
import io.twinlog.schema.TopicNames;
import io.twinlog.schema.alert.Alert;
import io.twinlog.schema.twin.DeviceTwin;
import io.twinlog.serde.ConfluentAvroDeserializer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.OffsetOutOfRangeException;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.rocksdb.RocksDBException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the index and the in-memory views up to date with the log: the events topic, the twins and
 * the alerts, read_committed (what the job committed, never an aborted attempt). Each poll is one
 * atomic write of the records and of every partition's next offset, so a restart resumes where the
 * index stands, whether the process stopped cleanly or not.
 *
 * <p>The consumer never resets an offset by itself ({@code auto.offset.reset=none}): records the
 * log deleted before the index read them (retention while the read side was down or behind) are
 * recorded as a {@link LogGap} and said in the answers, instead of being skipped in silence.
 */
public final class LogFollower implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(LogFollower.class);
    private static final Duration END_OFFSETS_EVERY = Duration.ofMillis(500);

    private final Consumer<byte[], byte[]> consumer;
    private final TopicNames topics;
    private final EventIndex index;
    private final ConfluentAvroDeserializer<DeviceTwin> twinDecoder;
    private final ConfluentAvroDeserializer<Alert> alertDecoder;
    private final Fleet fleet;
    private final AlertBoard alerts;
    private final ReadSideMetrics metrics;
    private final Runnable caughtUp;
    private final PartitionOwners owners;
    private volatile int appliedGeneration = Integer.MIN_VALUE;
    private volatile Map<Integer, Long> takenOverAt = Map.of();
    private volatile java.util.SortedSet<Integer> eventPartitions = new java.util.TreeSet<>();
    private volatile java.util.function.Consumer<Map<String, Integer>> indexedDevices =
            records -> {};
    private final List<TopicPartition> partitions = new ArrayList<>();
    private volatile Map<TopicPartition, Long> positions = Map.of();
    private volatile Map<TopicPartition, Long> ends = Map.of();
    private volatile boolean caughtUpOnce;
    private volatile boolean running = true;
    private long endsCheckedAt;
    private Thread thread;
    private volatile Throwable death;
    private volatile Runnable onDeath;
    private final AtomicLong failures = new AtomicLong();

    public LogFollower(
            Consumer<byte[], byte[]> consumer,
            TopicNames topics,
            EventIndex index,
            ConfluentAvroDeserializer<DeviceTwin> twinDecoder,
            ConfluentAvroDeserializer<Alert> alertDecoder,
            Fleet fleet,
            AlertBoard alerts,
            ReadSideMetrics metrics,
            Runnable caughtUp,
            PartitionOwners owners) {
        this.consumer = consumer;
        this.topics = topics;
        this.index = index;
        this.twinDecoder = twinDecoder;
        this.alertDecoder = alertDecoder;
        this.fleet = fleet;
        this.alerts = alerts;
        this.metrics = metrics;
        this.caughtUp = caughtUp;
        this.owners = owners;
    }

    /**
     * Assigns every partition of the twins and the alerts, and the partitions of the event log this
     * instance owns ({@link PartitionOwners}: all of them when it runs alone), and seeks to the
     * index's positions. A topic that is behind the index (deleted and created again) makes the
     * index start over from the log.
     */
    public void assign() throws RocksDBException {
        partitions.clear();
        int generation = generation();
        java.util.SortedSet<Integer> events = new java.util.TreeSet<>();
        for (String topic : List.of(topics.events(), topics.twins(), topics.alerts())) {
            List<PartitionInfo> infos = consumer.partitionsFor(topic, Duration.ofSeconds(30));
            if (infos == null || infos.isEmpty()) {
                throw new IllegalStateException(
                        "topic "
                                + topic
                                + " does not exist: create the topics first (twinlog topics create)");
            }
            for (PartitionInfo info : infos) {
                boolean event = topic.equals(topics.events());
                if (event) {
                    events.add(info.partition());
                }
                if (!event || owners.owns(info.partition())) {
                    partitions.add(new TopicPartition(topic, info.partition()));
                }
            }
        }
        consumer.assign(partitions);
        Map<TopicPartition, Long> endOffsets = consumer.endOffsets(partitions);
        Map<TopicPartition, Long> stored = stored();
        // Only the partitions assigned now: the index keeps what it read of partitions that another
        // instance of the group indexes now, in case they come back.
        boolean recreated =
                stored.entrySet().stream()
                        .anyMatch(
                                e ->
                                        endOffsets.containsKey(e.getKey())
                                                && e.getValue() > endOffsets.get(e.getKey()));
        if (recreated) {
            LOG.warn(
                    "the log is behind the read index at {} (topics deleted and created again?):"
                            + " rebuilding the index from the log",
                    index.dir());
            index.clear();
            fleet.clear();
            alerts.clear();
            stored = Map.of();
        }
        Map<TopicPartition, Long> beginnings = consumer.beginningOffsets(partitions);
        Map<TopicPartition, Long> start = new HashMap<>();
        try (EventIndex.Batch batch = index.batch()) {
            for (TopicPartition partition : partitions) {
                long next = stored.getOrDefault(partition, 0L);
                long first = beginnings.getOrDefault(partition, 0L);
                if (first > next) {
                    lost(batch, partition, next, first);
                    next = first;
                }
                consumer.seek(partition, next);
                start.put(partition, next);
                batch.position(partition.topic(), partition.partition(), next);
            }
            batch.commit();
        }
        positions = start;
        ends = endOffsets;
        Map<Integer, Long> taken = new HashMap<>();
        endOffsets.forEach(
                (p, end) -> {
                    if (p.topic().equals(topics.events())) {
                        taken.put(p.partition(), end);
                    }
                });
        takenOverAt = taken;
        eventPartitions = events;
        appliedGeneration = generation;
    }

    private int generation() {
        PartitionOwners.Claim claim = owners.claim();
        return claim == null ? 0 : claim.generation();
    }

    /** Assigns again when the group's assignment changed since the last one. */
    private void followOwners() throws RocksDBException {
        if (owners.grouped() && owners.settled() && generation() != appliedGeneration) {
            assign();
        }
    }

    /**
     * Whether the index holds everything of an event partition this instance owns up to where the
     * log ended when it was assigned the partition: a partition taken over from another instance
     * answers only once it has caught up with what that instance had, never from a half-built
     * index.
     */
    public long behindTakeover(int partition) {
        if (appliedGeneration != generation()) {
            return Long.MAX_VALUE;
        }
        Long target = takenOverAt.get(partition);
        if (target == null) {
            return Long.MAX_VALUE;
        }
        long now = positions.getOrDefault(new TopicPartition(topics.events(), partition), 0L);
        return Math.max(0, target - now);
    }

    /**
     * Every partition the event log had when it was last assigned, owned by this instance or not.
     */
    public java.util.SortedSet<Integer> eventPartitions() {
        return eventPartitions;
    }

    private void lost(EventIndex.Batch batch, TopicPartition partition, long from, long to)
            throws RocksDBException {
        LogGap gap = new LogGap(partition.topic(), partition.partition(), from, to);
        batch.gap(gap);
        metrics.lost(gap.records());
        LOG.warn(
                "{}:{} no longer holds offsets {} to {} ({} records deleted by the log before the"
                        + " index read them): answers about its devices say so",
                partition.topic(),
                partition.partition(),
                from,
                to - 1,
                gap.records());
    }

    /**
     * The log deleted records the index had not read yet (retention while it was behind). A fetch
     * past the end instead means the topic was deleted and created again: assigned anew.
     */
    private void skipLost(OffsetOutOfRangeException e) throws RocksDBException {
        Map<TopicPartition, Long> asked = e.offsetOutOfRangePartitions();
        Map<TopicPartition, Long> beginnings = consumer.beginningOffsets(asked.keySet());
        Map<TopicPartition, Long> now = new HashMap<>(positions);
        try (EventIndex.Batch batch = index.batch()) {
            for (Map.Entry<TopicPartition, Long> entry : asked.entrySet()) {
                long first = beginnings.getOrDefault(entry.getKey(), 0L);
                if (first <= entry.getValue()) {
                    assign();
                    return;
                }
                lost(batch, entry.getKey(), entry.getValue(), first);
                consumer.seek(entry.getKey(), first);
                now.put(entry.getKey(), first);
                batch.position(entry.getKey().topic(), entry.getKey().partition(), first);
            }
            batch.commit();
        }
        positions = now;
    }

    /**
     * Follows the log in a thread of its own until closed, waiting first for the topics to exist
     * (the service may start before the pipeline's topics are created).
     */
    public void start() {
        thread = new Thread(this::followUntilDeath, "read-side-follower");
        thread.setDaemon(true);
        thread.start();
    }

    /**
     * Follows the log in the calling thread until every partition reached the end it had when this
     * was called (for the CLI, which answers once and exits).
     */
    public void catchUp(Duration timeout) throws RocksDBException {
        Map<TopicPartition, Long> target = consumer.endOffsets(partitions);
        ends = target;
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!reached(target)) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(
                        "the read index did not catch up with the log within "
                                + timeout.toSeconds()
                                + " s (lag "
                                + lag()
                                + ")");
            }
            pollOnce(false);
        }
        index.flush();
        caughtUp.run();
        caughtUpOnce = true;
    }

    /**
     * Failures of the log, the broker or one record are retried where they happen. Anything that
     * ends the thread (out of memory, a bug) leaves an index that no longer follows the log: it is
     * recorded, so that health says so, and the listener is told (the service exits, so that
     * whatever supervises it restarts it).
     */
    private void followUntilDeath() {
        try {
            awaitTopicsThenRun();
        } catch (Throwable e) {
            death = e;
            LOG.error("the read side stopped following the log", e);
            Runnable listener = onDeath;
            if (listener != null) {
                listener.run();
            }
        }
    }

    /** Told, after each write, how many records each device got in it. */
    public void onIndexed(java.util.function.Consumer<Map<String, Integer>> listener) {
        this.indexedDevices = listener;
    }

    /** What stopped the follower, or null while it follows (or was closed). */
    public Throwable death() {
        return death;
    }

    /** Called in the follower's thread if it dies. */
    public void onDeath(Runnable listener) {
        this.onDeath = listener;
    }

    private void awaitTopicsThenRun() {
        boolean told = false;
        while (running && partitions.isEmpty()) {
            try {
                assign();
            } catch (IllegalStateException e) {
                partitions.clear();
                if (!told) {
                    LOG.info("{}; waiting for it", e.getMessage());
                    told = true;
                }
                sleep();
            } catch (WakeupException e) {
                return;
            } catch (RuntimeException | RocksDBException e) {
                partitions.clear();
                failures.incrementAndGet();
                LOG.warn("assigning the topics failed, retrying in 1 s", e);
                sleep();
            }
        }
        run();
    }

    private void run() {
        while (running) {
            try {
                followOwners();
                pollOnce(caughtUpOnce);
                if (!caughtUpOnce && reached(ends)) {
                    index.flush();
                    caughtUp.run();
                    caughtUpOnce = true;
                    LOG.info("the read index caught up with the log");
                }
            } catch (WakeupException e) {
                return;
            } catch (RuntimeException | RocksDBException e) {
                failures.incrementAndGet();
                LOG.warn("following the log failed, retrying in 1 s", e);
                sleep();
            }
        }
    }

    private void pollOnce(boolean live) throws RocksDBException {
        ConsumerRecords<byte[], byte[]> records;
        try {
            records = consumer.poll(Duration.ofMillis(200));
        } catch (OffsetOutOfRangeException e) {
            skipLost(e);
            return;
        }
        List<Runnable> afterCommit = new ArrayList<>();
        long indexed = 0;
        long unattributed = 0;
        Map<java.nio.ByteBuffer, Integer> perDevice = new HashMap<>();
        try (EventIndex.Batch batch = index.batch()) {
            for (ConsumerRecord<byte[], byte[]> record : records) {
                Position position = new Position(record.partition(), record.offset());
                if (record.topic().equals(topics.events())) {
                    if (RecordAdmission.isMarker(record.headers())) {
                        batch.rulesMarker(position, record.timestamp(), record.value());
                        indexed++;
                    } else if (batch.event(
                            record.key(), position, record.timestamp(), record.value())) {
                        indexed++;
                        perDevice.merge(java.nio.ByteBuffer.wrap(record.key()), 1, Integer::sum);
                    } else {
                        unattributed++;
                    }
                } else if (record.topic().equals(topics.twins())) {
                    twin(batch, record, position, afterCommit);
                } else {
                    alert(batch, record, position, live, afterCommit);
                }
            }
            Map<TopicPartition, Long> now = new HashMap<>();
            for (TopicPartition partition : partitions) {
                long next = consumer.position(partition);
                now.put(partition, next);
                batch.position(partition.topic(), partition.partition(), next);
            }
            if (caughtUpOnce) {
                batch.commit();
            } else {
                batch.commitWithoutLog();
            }
            positions = now;
        }
        afterCommit.forEach(Runnable::run);
        metrics.indexed(indexed, unattributed);
        if (!perDevice.isEmpty()) {
            // keyed by the key's bytes while indexing: one String per device per write
            Map<String, Integer> devices = new HashMap<>();
            perDevice.forEach(
                    (key, count) ->
                            devices.put(
                                    new String(
                                            key.array(),
                                            key.arrayOffset(),
                                            key.remaining(),
                                            StandardCharsets.UTF_8),
                                    count));
            indexedDevices.accept(devices);
        }
        if (System.nanoTime() - endsCheckedAt > END_OFFSETS_EVERY.toNanos()) {
            ends = consumer.endOffsets(partitions);
            endsCheckedAt = System.nanoTime();
        }
    }

    private void twin(
            EventIndex.Batch batch,
            ConsumerRecord<byte[], byte[]> record,
            Position position,
            List<Runnable> afterCommit)
            throws RocksDBException {
        if (record.key() == null) {
            metrics.undecodable(record.topic());
            return;
        }
        String device = new String(record.key(), StandardCharsets.UTF_8);
        if (record.value() == null) {
            batch.twin(device, position, null);
            afterCommit.add(() -> fleet.remove(device));
            return;
        }
        if (!caughtUpOnce) {
            // Catching up: most of these twins are replaced by later ones; the views are built
            // from the index's latest twin per device once caught up (the caughtUp action).
            batch.twin(device, position, record.value());
            return;
        }
        DeviceTwin twin = decode(twinDecoder, record);
        if (twin != null) {
            batch.twin(device, position, record.value());
            afterCommit.add(() -> fleet.update(twin, position));
        }
    }

    private void alert(
            EventIndex.Batch batch,
            ConsumerRecord<byte[], byte[]> record,
            Position position,
            boolean live,
            List<Runnable> afterCommit)
            throws RocksDBException {
        if (!caughtUpOnce && record.key() != null) {
            // Keyed by device (Topics.ALERTS): stored now, decoded into the views once caught up.
            batch.alert(
                    new String(record.key(), StandardCharsets.UTF_8),
                    position,
                    record.timestamp(),
                    record.value());
            return;
        }
        Alert alert = decode(alertDecoder, record);
        if (alert != null) {
            batch.alert(
                    alert.getDeviceId().toString(), position, record.timestamp(), record.value());
            afterCommit.add(() -> alerts.accept(alert, live));
        }
    }

    <T> T decode(ConfluentAvroDeserializer<T> decoder, ConsumerRecord<byte[], byte[]> r) {
        try {
            return decoder.deserialize(r.value());
        } catch (Exception e) {
            // The job writes these topics; a record it did not write is counted, not fatal.
            metrics.undecodable(r.topic());
            LOG.warn(
                    "skipping an undecodable record of {} at {}:{}: {}",
                    r.topic(),
                    r.partition(),
                    r.offset(),
                    e.getMessage());
            return null;
        }
    }

    private boolean reached(Map<TopicPartition, Long> target) {
        Map<TopicPartition, Long> now = positions;
        return target.entrySet().stream()
                .allMatch(e -> now.getOrDefault(e.getKey(), 0L) >= e.getValue());
    }

    private Map<TopicPartition, Long> stored() {
        Map<TopicPartition, Long> stored = new HashMap<>();
        for (String topic : List.of(topics.events(), topics.twins(), topics.alerts())) {
            index.positions(topic)
                    .forEach((p, next) -> stored.put(new TopicPartition(topic, p), next));
        }
        return stored;
    }

    /** Whether the index had caught up with the log at least once since it started. */
    public boolean caughtUpOnce() {
        return caughtUpOnce;
    }

    /** Records between the index and the end of the log (last committed), per partition. */
    public Map<TopicPartition, Long> lag() {
        Map<TopicPartition, Long> now = positions;
        Map<TopicPartition, Long> lag = new HashMap<>();
        ends.forEach((p, end) -> lag.put(p, Math.max(0, end - now.getOrDefault(p, 0L))));
        return lag;
    }

    /** Whether some partition of {@code topic} has records the index has not read. */
    public boolean lagging(String topic) {
        return lag().entrySet().stream()
                .anyMatch(e -> e.getKey().topic().equals(topic) && e.getValue() > 0);
    }

    /** The next offset per partition of a topic. */
    public Map<Integer, Long> positions(String topic) {
        Map<Integer, Long> result = new java.util.TreeMap<>();
        positions.forEach(
                (p, next) -> {
                    if (p.topic().equals(topic)) {
                        result.put(p.partition(), next);
                    }
                });
        return result;
    }

    public long failures() {
        return failures.get();
    }

    private static void sleep() {
        try {
            Thread.sleep(1_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        running = false;
        if (thread != null) {
            consumer.wakeup();
            try {
                thread.join(10_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        consumer.close();
    }
}
