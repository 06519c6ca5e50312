package io.twinlog.bench.streams;

import io.twinlog.options.DeviceTwinJobOptions;
import io.twinlog.options.RuntimeOptions;
import io.twinlog.options.SinkOptions;
import io.twinlog.options.SourceOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;

/**
 * DeviceTwinJob's fold as a Kafka Streams application, the baseline of {@code scripts/bench
 * compare}. It takes DeviceTwinJob's options (the same names and meaning) and runs the same
 * admission, {@code DeviceFold} and output encoding; what differs is only the engine: one stream
 * thread, exactly_once_v2 (or at_least_once), RocksDB stores with Kafka Streams' own defaults and
 * changelogs, the record cache off, producer batches of 256 KiB, a commit every {@code
 * checkpoint.interval}. It prints {@code RUNNING <epoch millis>} when every task runs and stays up
 * until it is stopped.
 */
public final class StreamsBaseline {

    /** Kafka Streams' default is 16 KiB; larger batches save a third of the broker's CPU. */
    static final int PRODUCER_BATCH_BYTES = 256 * 1024;

    private StreamsBaseline() {}

    public static void main(String[] args) throws Exception {
        DeviceTwinJobOptions options = DeviceTwinJobOptions.parse(args);
        Path stateDir =
                Files.createTempDirectory(
                        Path.of(System.getProperty("twinlog.streams.state-dir", "/tmp")),
                        "twinlog-streams-");
        KafkaStreams streams =
                new KafkaStreams(FoldTopology.build(options), properties(options, stateDir));
        CountDownLatch stopped = new CountDownLatch(1);
        streams.setStateListener(
                (now, before) -> {
                    if (now == KafkaStreams.State.RUNNING) {
                        System.out.println("RUNNING " + System.currentTimeMillis());
                    }
                    if (now == KafkaStreams.State.ERROR || now == KafkaStreams.State.NOT_RUNNING) {
                        stopped.countDown();
                    }
                });
        streams.setUncaughtExceptionHandler(
                e -> {
                    e.printStackTrace();
                    return org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler
                            .StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
                });
        Runtime.getRuntime()
                .addShutdownHook(
                        new Thread(
                                () -> {
                                    streams.close();
                                    streams.cleanUp();
                                }));
        streams.start();
        stopped.await();
    }

    static Properties properties(DeviceTwinJobOptions options, Path stateDir) {
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, options.get(SourceOptions.GROUP_ID));
        props.put(
                StreamsConfig.BOOTSTRAP_SERVERS_CONFIG,
                options.get(SourceOptions.BOOTSTRAP_SERVERS));
        props.put(
                StreamsConfig.PROCESSING_GUARANTEE_CONFIG,
                options.exactlyOnce()
                        ? StreamsConfig.EXACTLY_ONCE_V2
                        : StreamsConfig.AT_LEAST_ONCE);
        props.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, 1);
        props.put(StreamsConfig.STATESTORE_CACHE_MAX_BYTES_CONFIG, 0);
        props.put(
                StreamsConfig.COMMIT_INTERVAL_MS_CONFIG,
                options.get(RuntimeOptions.CHECKPOINT_INTERVAL).toMillis());
        props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        props.put(StreamsConfig.DEFAULT_KEY_SERDE_CLASS_CONFIG, Serdes.ByteArraySerde.class);
        props.put(StreamsConfig.DEFAULT_VALUE_SERDE_CLASS_CONFIG, Serdes.ByteArraySerde.class);
        props.put(
                StreamsConfig.consumerPrefix(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG), "earliest");
        props.put(
                StreamsConfig.producerPrefix(ProducerConfig.BATCH_SIZE_CONFIG),
                PRODUCER_BATCH_BYTES);
        props.put(
                StreamsConfig.producerPrefix(ProducerConfig.MAX_REQUEST_SIZE_CONFIG),
                options.get(SinkOptions.SINK_MAX_RECORD_BYTES));
        props.put(
                StreamsConfig.producerPrefix(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG),
                (int) options.get(SinkOptions.TRANSACTION_TIMEOUT).toMillis());
        return props;
    }
}
