package io.twinlog.cli.commands;

import io.twinlog.cli.kafka.CommittedRecords;
import io.twinlog.cli.options.Connection;
import io.twinlog.cli.output.CliException;
import io.twinlog.cli.output.Terminal;
import io.twinlog.registry.SchemaRegistry;
import io.twinlog.schema.TopicNames;
import io.twinlog.schema.Topics;
import io.twinlog.schema.twin.DeviceTwin;
import io.twinlog.serde.ConfluentAvroDeserializer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.header.Header;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** Counts what the pipeline has committed so far, read back from its topics (read_committed). */
@Command(
        name = "summary",
        mixinStandardHelpOptions = true,
        description =
                "Read every output topic to its end and count twins, alerts, derived events, late events and"
                        + " dead letters.")
public final class SummaryCommand implements Callable<Integer> {

    @Mixin Terminal terminal;

    @Mixin Connection connection;

    @Override
    public Integer call() {
        Summary summary = read(connection);
        terminal.out().print(summary.render());
        return 0;
    }

    static Summary read(Connection connection) {
        TopicNames topics = connection.topics();
        var registry = connection.registry();
        Summary summary = new Summary();
        try (KafkaConsumer<byte[], byte[]> consumer = connection.kafka().committedReader()) {
            CommittedRecords.readAll(
                    consumer, Topics.EVENTS.nameIn(topics), record -> summary.events++);
            readAll(
                    consumer,
                    registry,
                    topics,
                    Topics.TWINS,
                    twin -> summary.twins.put(twin.getDeviceId(), twin));
            readAll(
                    consumer,
                    registry,
                    topics,
                    Topics.TWIN_EVENTS,
                    event ->
                            summary.derived.merge(
                                    event.getPayload().getClass().getSimpleName(), 1L, Long::sum));
            readAll(
                    consumer,
                    registry,
                    topics,
                    Topics.ALERTS,
                    alert ->
                            summary.alerts.merge(
                                    alert.getRuleId() + " " + alert.getStatus(), 1L, Long::sum));
            CommittedRecords.readAll(
                    consumer, Topics.LATE.nameIn(topics), record -> summary.late++);
            CommittedRecords.readAll(
                    consumer,
                    Topics.DEAD_LETTERS.nameIn(topics),
                    record ->
                            summary.deadLetters.merge(
                                    header(record, "twinlog.errors.reason"), 1L, Long::sum));
        }
        return summary;
    }

    /** Every value of an Avro topic, decoded as {@link Topics} declares. */
    private static <T> void readAll(
            KafkaConsumer<byte[], byte[]> consumer,
            SchemaRegistry registry,
            TopicNames topics,
            Topics.Topic<T> topic,
            Consumer<T> each) {
        ConfluentAvroDeserializer<T> reader =
                new ConfluentAvroDeserializer<>(registry, topic.valueType());
        CommittedRecords.readAll(
                consumer, topic.nameIn(topics), record -> each.accept(decode(reader, record)));
    }

    private static <T> T decode(
            ConfluentAvroDeserializer<T> reader, ConsumerRecord<byte[], byte[]> record) {
        try {
            return reader.deserialize(record.value());
        } catch (IOException e) {
            throw new CliException(
                    "cannot decode "
                            + record.topic()
                            + "@"
                            + record.offset()
                            + ": "
                            + e.getMessage());
        }
    }

    private static String header(ConsumerRecord<byte[], byte[]> record, String name) {
        Header header = record.headers().lastHeader(name);
        return header == null ? "unknown" : new String(header.value(), StandardCharsets.UTF_8);
    }

    /** The counts, and their rendering. */
    static final class Summary {
        long events;
        final Map<String, DeviceTwin> twins = new HashMap<>();
        final Map<String, Long> derived = new TreeMap<>();
        final Map<String, Long> alerts = new TreeMap<>();
        long late;
        final Map<String, Long> deadLetters = new TreeMap<>();

        long alerts(String status) {
            return alerts.entrySet().stream()
                    .filter(e -> e.getKey().endsWith(" " + status))
                    .mapToLong(Map.Entry::getValue)
                    .sum();
        }

        long deadLetters() {
            return deadLetters.values().stream().mapToLong(Long::longValue).sum();
        }

        String render() {
            Map<String, Long> statuses = new TreeMap<>();
            long offline = 0;
            for (DeviceTwin twin : twins.values()) {
                statuses.merge(twin.getStatus().name(), 1L, Long::sum);
                offline += twin.getOnline() ? 0 : 1;
            }
            StringBuilder text = new StringBuilder();
            text.append(String.format("event log        %,10d records%n", events));
            text.append(
                    String.format(
                            "twins            %,10d devices %s, %,d offline%n",
                            twins.size(), statuses, offline));
            text.append(
                    String.format(
                            "alerts           %,10d raised, %,d cleared%n",
                            alerts("RAISED"), alerts("CLEARED")));
            alerts.forEach((rule, n) -> text.append(String.format("  %-34s %,8d%n", rule, n)));
            text.append(
                    String.format(
                            "derived events   %,10d%n",
                            derived.values().stream().mapToLong(Long::longValue).sum()));
            derived.forEach((type, n) -> text.append(String.format("  %-34s %,8d%n", type, n)));
            text.append(String.format("late events      %,10d%n", late));
            text.append(String.format("dead letters     %,10d%n", deadLetters()));
            deadLetters.forEach(
                    (reason, n) -> text.append(String.format("  %-34s %,8d%n", reason, n)));
            return text.toString();
        }
    }
}
