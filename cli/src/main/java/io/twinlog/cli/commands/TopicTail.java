package io.twinlog.cli.commands;

import io.twinlog.cli.kafka.CommittedRecords;
import io.twinlog.cli.options.Connection;
import io.twinlog.cli.options.TailOptions;
import io.twinlog.cli.output.CliException;
import io.twinlog.config.Durations;
import io.twinlog.serde.ConfluentAvroDeserializer;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;

/**
 * A downstream consumer of one of twinlog's topics, as users should write one: read_committed (only
 * what the exactly-once job committed), values decoded through the registry by their schema id.
 */
public final class TopicTail<T extends SpecificRecord> {

    private final Connection connection;
    private final String topic;
    private final Class<T> type;
    private final Function<T, String> line;

    public TopicTail(Connection connection, String topic, Class<T> type, Function<T, String> line) {
        this.connection = connection;
        this.topic = topic;
        this.type = type;
        this.line = line;
    }

    /** Prints records until --max or --idle-exit; returns how many it printed. */
    long run(TailOptions options, PrintWriter out, PrintWriter err) {
        ConfluentAvroDeserializer<T> decoder =
                new ConfluentAvroDeserializer<>(connection.registry(), type);
        long printed = 0;
        try (KafkaConsumer<byte[], byte[]> consumer = connection.kafka().committedReader()) {
            List<TopicPartition> partitions = CommittedRecords.partitions(consumer, topic);
            consumer.assign(partitions);
            if (options.fromBeginning) {
                consumer.seekToBeginning(partitions);
            } else {
                consumer.seekToEnd(partitions);
            }
            // Says once, on stderr (stdout stays records only), that the tail has caught up with
            // what the topic held when it started and now waits: silence is not a hang, and a
            // device with nothing here is told so.
            Map<TopicPartition, Long> startEnd = consumer.endOffsets(partitions);
            boolean waitingSaid = false;
            long lastRecord = System.nanoTime();
            while (options.max == null || printed < options.max) {
                var records = consumer.poll(Duration.ofMillis(250));
                if (!waitingSaid
                        && partitions.stream()
                                .allMatch(p -> consumer.position(p) >= startEnd.get(p))) {
                    waitingSaid = true;
                    err.println(waiting(options, printed));
                }
                if (records.isEmpty()) {
                    if (options.idleExit != null
                            && System.nanoTime() - lastRecord > options.idleExit.toNanos()) {
                        break;
                    }
                    continue;
                }
                lastRecord = System.nanoTime();
                for (ConsumerRecord<byte[], byte[]> record : records) {
                    String key =
                            record.key() == null
                                    ? null
                                    : new String(record.key(), StandardCharsets.UTF_8);
                    if (options.device != null && !options.device.equals(key)) {
                        continue;
                    }
                    T value = decode(decoder, record);
                    out.println(options.json ? value.toString() : line.apply(value));
                    printed++;
                    if (options.max != null && printed >= options.max) {
                        break;
                    }
                }
                out.flush();
            }
        }
        return printed;
    }

    private String waiting(TailOptions options, long printed) {
        String what = options.device == null ? "" : " of device " + options.device;
        String past =
                options.fromBeginning && printed == 0
                        ? "no record" + what + " in " + topic + " yet; "
                        : "";
        return past
                + "waiting for new records"
                + (past.isEmpty() ? what + " on " + topic : "")
                + (options.idleExit == null
                        ? " (Ctrl-C to stop)"
                        : " (stopping after "
                                + Durations.format(options.idleExit)
                                + " without one)");
    }

    private T decode(ConfluentAvroDeserializer<T> decoder, ConsumerRecord<byte[], byte[]> record) {
        try {
            return decoder.deserialize(record.value());
        } catch (IOException e) {
            throw new CliException(
                    "cannot decode "
                            + topic
                            + "-"
                            + record.partition()
                            + "@"
                            + record.offset()
                            + ": "
                            + e.getMessage());
        }
    }
}
