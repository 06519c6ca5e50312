package io.twinlog.bench.drills;

import io.twinlog.bench.e2e.FlinkJob;
import io.twinlog.bench.e2e.LocalStack;
import io.twinlog.bench.e2e.Topics;
import io.twinlog.schema.TopicNames;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * One run of a drill scenario on the stack: the job starts on empty topics, a producer writes the
 * scenario at a steady rate, the fault (if any) is injected when a share of it is written, and the
 * run ends when the job has committed the whole log. Measures when the job was back.
 */
final class DrillRun {

    /**
     * What a fault does to the stack; it may replace the job (the context then knows the new one).
     */
    interface Fault {
        void inject(DrillRun run) throws Exception;
    }

    /**
     * What happened, times in seconds from the start of production; -1 where it did not happen (the
     * job never went down, or there was no fault).
     */
    record Outcome(
            double faultAt,
            double downAt,
            double runningAgainAt,
            double processingAgainAt,
            double finishedAt,
            long committedDuringFault,
            long restarts,
            OutputSnapshot outputs) {}

    /** One look at the job: whether all its tasks ran, and how far it had committed. */
    private record Sample(double at, boolean running, long committed) {}

    static final String GROUP = "drill";

    final LocalStack stack;
    final TopicNames topics;
    private volatile FlinkJob job;
    private final AtomicLong produced = new AtomicLong();
    private final List<Sample> samples = new CopyOnWriteArrayList<>();
    private final AtomicBoolean done = new AtomicBoolean();
    private volatile double faultEndedAt = -1;
    private volatile long startNanos;
    private Thread monitor;

    private final Map<String, String> settings = new LinkedHashMap<>();

    DrillRun(LocalStack stack, TopicNames topics) {
        this.stack = stack;
        this.topics = topics;
    }

    FlinkJob job() {
        return job;
    }

    /** Records the producer has handed to Kafka so far. */
    long produced() {
        return produced.get();
    }

    void replaceJob(FlinkJob job) {
        this.job = job;
    }

    /** Marks the end of a fault that lasts (an outage), for the numbers measured during it. */
    void faultEnded() {
        faultEndedAt = secondsSinceStart();
    }

    double secondsSinceStart() {
        return (System.nanoTime() - startNanos) / 1e9;
    }

    /**
     * DeviceTwinJob's options for a drill: one consumer group and transactional id prefix, 1 s
     * checkpoints, and the drill's own settings.
     */
    Map<String, String> jobOptions() {
        Map<String, String> options = new LinkedHashMap<>(settings);
        options.put("bootstrap.servers", stack.bootstrapServers());
        options.put("schema.registry.url", stack.registryUrl());
        options.put("group.id", GROUP);
        options.put("transactional.id.prefix", GROUP);
        options.put("rules.file", stack.rulesFile().toString());
        options.put("checkpoint.interval", "1s");
        return options;
    }

    /** Job options of this drill beside the common ones. */
    void settings(Map<String, String> settings) {
        this.settings.putAll(settings);
    }

    /** Starts the job (on the topics, from the earliest offset) and the monitor of its progress. */
    void startJob() {
        job = FlinkJob.start(stack, jobOptions(), null);
        startNanos = System.nanoTime();
        monitor = new Thread(this::monitor, "drill-monitor");
        monitor.setDaemon(true);
        monitor.start();
    }

    Outcome run(
            DrillScenario scenario, double rate, double faultShare, Fault fault, Duration timeout)
            throws Exception {
        startJob();
        List<DrillScenario.Record> records = scenario.records();
        AtomicReference<Exception> producerFailure = new AtomicReference<>();
        Thread producer =
                new Thread(
                        () -> {
                            try {
                                produce(records, rate);
                            } catch (Exception e) {
                                producerFailure.set(e);
                            }
                        },
                        "drill-producer");
        producer.start();
        double faultAt = -1;
        if (fault != null) {
            long faultAfter = (long) (records.size() * faultShare);
            while (produced.get() < faultAfter && producer.isAlive()) {
                FlinkJob.sleep(20);
            }
            faultAt = secondsSinceStart();
            fault.inject(this);
        }
        producer.join(timeout.toMillis());
        if (producerFailure.get() != null) {
            throw new IllegalStateException("the drill's producer failed", producerFailure.get());
        }
        double finishedAt = awaitCommitted(timeout);
        FlinkJob.sleep(2_000); // the sink commits its last transaction as the checkpoint completes
        long restarts = job.restarts();
        stop();
        return outcome(
                faultAt,
                finishedAt,
                restarts,
                OutputSnapshot.read(stack.bootstrapServers(), stack.registryUrl(), topics));
    }

    /**
     * Waits until the job has committed everything in the event log; returns when (seconds from the
     * start).
     */
    double awaitCommitted(Duration timeout) {
        long total;
        try (Topics admin = new Topics(stack)) {
            total =
                    admin.endOffsets(topics.events()).values().stream()
                            .mapToLong(Long::longValue)
                            .sum();
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        while (samples.isEmpty() || samples.get(samples.size() - 1).committed() < total) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(
                        "the job did not commit all " + total + " records within " + timeout);
            }
            FlinkJob.sleep(250);
        }
        return samples.get(samples.size() - 1).at();
    }

    /** Stops monitoring and cancels the job. */
    void stop() throws InterruptedException {
        done.set(true);
        monitor.join(10_000);
        job.cancel();
    }

    private Outcome outcome(
            double faultAt, double finishedAt, long restarts, OutputSnapshot outputs) {
        double downAt = -1;
        double upAt = -1;
        double processingAt = -1;
        long committedAtFault = -1;
        long committedAtFaultEnd = -1;
        for (Sample sample : samples) {
            if (faultAt < 0 || sample.at() < faultAt) {
                continue;
            }
            if (committedAtFault < 0) {
                committedAtFault = sample.committed();
            }
            if (faultEndedAt >= 0 && committedAtFaultEnd < 0 && sample.at() >= faultEndedAt) {
                committedAtFaultEnd = sample.committed();
            }
            if (downAt < 0 && !sample.running()) {
                downAt = sample.at();
            } else if (downAt >= 0 && upAt < 0 && sample.running()) {
                upAt = sample.at();
            }
        }
        double resumeFrom = upAt >= 0 ? upAt : faultEndedAt >= 0 ? faultEndedAt : faultAt;
        long committedThen = -1;
        for (Sample sample : samples) {
            if (faultAt >= 0 && sample.at() >= resumeFrom) {
                if (committedThen < 0) {
                    committedThen = sample.committed();
                } else if (sample.committed() > committedThen) {
                    processingAt = sample.at();
                    break;
                }
            }
        }
        long duringFault =
                committedAtFaultEnd >= 0 && committedAtFault >= 0
                        ? committedAtFaultEnd - committedAtFault
                        : -1;
        return new Outcome(
                faultAt, downAt, upAt, processingAt, finishedAt, duringFault, restarts, outputs);
    }

    private void monitor() {
        try (Topics admin = new Topics(stack)) {
            while (!done.get()) {
                boolean running = quietly(() -> job.allTasksRunning());
                long committed;
                try {
                    committed = admin.committed(GROUP, admin.endOffsets(topics.events()));
                } catch (RuntimeException e) {
                    committed = samples.isEmpty() ? 0 : samples.get(samples.size() - 1).committed();
                }
                samples.add(new Sample(secondsSinceStart(), running, committed));
                FlinkJob.sleep(200);
            }
        }
    }

    /**
     * Writes the records at a steady rate (record n at start + n / rate); returns when all are
     * acknowledged.
     */
    void produce(List<DrillScenario.Record> records, double rate) throws Exception {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers());
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG,
                true); // a broker restart must not duplicate or reorder
        props.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        props.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 600_000);
        props.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 600_000);
        AtomicReference<Exception> failure = new AtomicReference<>();
        try (KafkaProducer<byte[], byte[]> producer =
                new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer())) {
            long start = System.nanoTime();
            for (int n = 0; n < records.size() && failure.get() == null; n++) {
                long wait = start + (long) (n * 1e9 / rate) - System.nanoTime();
                if (wait > 0) {
                    Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
                }
                DrillScenario.Record record = records.get(n);
                producer.send(
                        new ProducerRecord<>(
                                topics.events(),
                                null,
                                record.timestamp(),
                                record.key(),
                                record.value()),
                        (metadata, error) -> {
                            if (error != null) {
                                failure.compareAndSet(null, error);
                            }
                        });
                produced.incrementAndGet();
            }
            producer.flush();
        }
        if (failure.get() != null) {
            throw failure.get();
        }
    }

    static boolean quietly(java.util.function.BooleanSupplier check) {
        try {
            return check.getAsBoolean();
        } catch (RuntimeException e) {
            return false;
        }
    }
}
