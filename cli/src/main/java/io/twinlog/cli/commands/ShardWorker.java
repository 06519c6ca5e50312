package io.twinlog.cli.commands;

import io.twinlog.backtest.RuleBacktest;
import io.twinlog.cli.output.CliException;
import io.twinlog.connect.RecordAdmission;
import io.twinlog.ingest.EventAdmission;
import io.twinlog.kernel.LogAdmission;
import io.twinlog.kernel.LogRecord;
import io.twinlog.options.DeviceTwinJobOptions;
import io.twinlog.registry.SchemaRegistry;
import io.twinlog.schema.event.DeviceEvent;
import io.twinlog.schema.rules.RuleSet;
import io.twinlog.serde.ConfluentAvroDeserializer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * One thread of a backtest: decodes, admits and folds the records of its devices, in the order it
 * is given them, and every rules marker (each shard follows the rules versions of the whole log).
 * Records arrive in batches through a bounded queue, so a slow fold holds back the fetching instead
 * of filling memory.
 */
public final class ShardWorker extends Thread {

    private static final int BATCH = 2_000;
    private static final List<ConsumerRecord<byte[], byte[]>> END = List.of();

    private final RuleBacktest backtest;
    private final LogAdmission admission;
    private final BlockingQueue<List<ConsumerRecord<byte[], byte[]>>> queue =
            new ArrayBlockingQueue<>(8);
    private List<ConsumerRecord<byte[], byte[]>> batch = new ArrayList<>(BATCH);
    private volatile RuntimeException failure;

    ShardWorker(
            RuleBacktest backtest,
            DeviceTwinJobOptions options,
            String topic,
            SchemaRegistry registry) {
        super("backtest-shard");
        setDaemon(true);
        this.backtest = backtest;
        this.admission =
                new LogAdmission(
                        new EventAdmission(options.contract()),
                        new ConfluentAvroDeserializer<>(registry, DeviceEvent.class)::deserialize,
                        new ConfluentAvroDeserializer<>(registry, RuleSet.class)::deserialize);
    }

    /** Called by the fetching thread only. */
    void add(ConsumerRecord<byte[], byte[]> record) {
        batch.add(record);
        if (batch.size() == BATCH) {
            hand(batch);
            batch = new ArrayList<>(BATCH);
        }
    }

    void finish() {
        if (!batch.isEmpty()) {
            hand(batch);
        }
        hand(END);
    }

    void await() {
        try {
            join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CliException("interrupted while backtesting");
        }
        if (failure != null) {
            throw failure;
        }
    }

    private void hand(List<ConsumerRecord<byte[], byte[]>> records) {
        if (failure != null) {
            throw failure;
        }
        try {
            queue.put(records);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CliException("interrupted while backtesting");
        }
    }

    @Override
    public void run() {
        try {
            while (true) {
                List<ConsumerRecord<byte[], byte[]>> records = queue.take();
                if (records == END) {
                    return;
                }
                for (ConsumerRecord<byte[], byte[]> record : records) {
                    LogRecord logRecord = RecordAdmission.logRecord(record);
                    backtest.accept(admission.admit(logRecord), logRecord.position());
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (java.io.IOException e) {
            failure = new CliException("cannot decode the log: " + e.getMessage());
            queue.clear();
        } catch (RuntimeException e) {
            failure = e;
            queue.clear();
        }
    }
}
