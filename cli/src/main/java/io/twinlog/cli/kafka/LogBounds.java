package io.twinlog.cli.kafka;

import io.twinlog.cli.output.CliException;
import io.twinlog.jobs.state.SavepointContents;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;

/** The beginning and end of the event log per partition, and the bounds users give for replays. */
public final class LogBounds {

    private final KafkaAccess kafka;
    private final String topic;
    private final Map<Integer, Long> beginning;
    private final Map<Integer, Long> end;

    private LogBounds(
            KafkaAccess kafka, String topic, Map<Integer, Long> beginning, Map<Integer, Long> end) {
        this.kafka = kafka;
        this.topic = topic;
        this.beginning = beginning;
        this.end = end;
    }

    public static LogBounds read(KafkaAccess kafka, String topic) {
        try (KafkaConsumer<byte[], byte[]> consumer = kafka.committedReader()) {
            List<TopicPartition> partitions = partitions(consumer, topic);
            Map<Integer, Long> beginning = new TreeMap<>();
            consumer.beginningOffsets(partitions)
                    .forEach((p, o) -> beginning.put(p.partition(), o));
            Map<Integer, Long> end = new TreeMap<>();
            consumer.endOffsets(partitions).forEach((p, o) -> end.put(p.partition(), o));
            return new LogBounds(kafka, topic, beginning, end);
        }
    }

    /**
     * Per partition, the offset after the last record to include: {@code latest} (everything
     * committed now), an ISO-8601 time (records before it), {@code 0=120,1=98} or {@code
     * savepoint:<path>} (what a savepoint covers).
     */
    public Map<Integer, Long> resolve(String bound) throws Exception {
        if (bound.equals("latest")) {
            return end;
        }
        if (bound.startsWith("savepoint:")) {
            SavepointContents.Coverage coverage =
                    SavepointContents.coverage(bound.substring("savepoint:".length()));
            if (!coverage.topic().equals(topic)) {
                throw new CliException(
                        "the savepoint covers topic " + coverage.topic() + ", not " + topic);
            }
            return coverage.nextOffsets();
        }
        if (bound.contains("=")) {
            Map<Integer, Long> offsets = new TreeMap<>();
            for (String part : bound.split(",")) {
                String[] pair = part.trim().split("=");
                try {
                    offsets.put(Integer.parseInt(pair[0]), Long.parseLong(pair[1]));
                } catch (RuntimeException e) {
                    throw new CliException("--until: '" + part + "' is not partition=offset");
                }
            }
            if (!offsets.keySet().equals(end.keySet())) {
                throw new CliException(
                        "--until must give an offset for every partition of "
                                + topic
                                + ": "
                                + end.keySet());
            }
            return offsets;
        }
        try {
            return beforeTime(Instant.parse(bound));
        } catch (DateTimeParseException e) {
            throw new CliException(
                    "--until: '"
                            + bound
                            + "' is not latest, a time (2026-11-26T12:00:00Z),"
                            + " partition=offset,... or savepoint:<path>");
        }
    }

    public int partitions() {
        return end.size();
    }

    public long recordsUpTo(Map<Integer, Long> bound) {
        return bound.entrySet().stream()
                .mapToLong(e -> Math.max(0, e.getValue() - beginning.getOrDefault(e.getKey(), 0L)))
                .sum();
    }

    public static String describe(Map<Integer, Long> offsets) {
        StringBuilder text = new StringBuilder("up to ");
        new TreeMap<>(offsets).forEach((p, o) -> text.append(p).append('=').append(o).append(' '));
        return text.toString().trim();
    }

    private Map<Integer, Long> beforeTime(Instant time) {
        try (KafkaConsumer<byte[], byte[]> consumer = kafka.committedReader()) {
            Map<TopicPartition, Long> query = new HashMap<>();
            for (TopicPartition partition : partitions(consumer, topic)) {
                query.put(partition, time.toEpochMilli());
            }
            Map<Integer, Long> offsets = new TreeMap<>();
            consumer.offsetsForTimes(query, Duration.ofSeconds(10))
                    .forEach(
                            (partition, found) ->
                                    offsets.put(
                                            partition.partition(),
                                            found == null
                                                    ? end.get(partition.partition())
                                                    : found.offset()));
            return offsets;
        }
    }

    private static List<TopicPartition> partitions(
            KafkaConsumer<byte[], byte[]> consumer, String topic) {
        var infos = consumer.partitionsFor(topic, Duration.ofSeconds(10));
        if (infos == null || infos.isEmpty()) {
            throw new CliException("topic " + topic + " does not exist");
        }
        return infos.stream().map(p -> new TopicPartition(topic, p.partition())).toList();
    }
}
