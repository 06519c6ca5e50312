package io.twinlog.cli.commands;

import io.twinlog.cli.kafka.KafkaAccess;
import io.twinlog.cli.kafka.TopicCounts;
import io.twinlog.cli.kafka.TopicLayout;
import io.twinlog.cli.options.Connection;
import io.twinlog.cli.output.CliException;
import io.twinlog.cli.output.OutputOption;
import io.twinlog.cli.output.Table;
import io.twinlog.cli.output.Terminal;
import io.twinlog.options.OutputSizes;
import io.twinlog.registry.RegistryRestClient;
import io.twinlog.registry.RegistryUnavailableException;
import io.twinlog.schema.CompatibilityLevel;
import io.twinlog.schema.RulesMarkers;
import io.twinlog.schema.TopicNames;
import io.twinlog.schema.Topics;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(
        name = "topics",
        description = "Create and list twinlog's topics.",
        mixinStandardHelpOptions = true,
        subcommands = {TopicsCommand.Create.class, TopicsCommand.ListTopics.class})
public final class TopicsCommand {

    @Command(
            name = "create",
            mixinStandardHelpOptions = true,
            description =
                    "Create twinlog's six topics (idempotent) and set their subjects'"
                            + " compatibility: BACKWARD_TRANSITIVE for the event log (the job reads all"
                            + " of it), FULL_TRANSITIVE for the outputs (their consumers upgrade last).")
    static final class Create implements Callable<Integer> {

        @Mixin Terminal terminal;

        @Mixin Connection connection;

        @Option(
                names = "--partitions",
                defaultValue = "4",
                description = "partitions per topic (default: ${DEFAULT-VALUE})")
        int partitions;

        @Option(
                names = "--replication-factor",
                defaultValue = "1",
                description = "replicas per partition (default: ${DEFAULT-VALUE}; production: 3)")
        short replicationFactor;

        @Option(
                names = "--max-record-bytes",
                defaultValue = "" + OutputSizes.DEFAULT_MAX_RECORD_BYTES,
                description =
                        "max.message.bytes of every topic; give the job the same --sink.max-record-bytes"
                                + " (default: ${DEFAULT-VALUE})")
        int maxRecordBytes;

        @Override
        public Integer call() {
            List<TopicLayout> layout =
                    TopicLayout.of(connection.topics(), partitions, maxRecordBytes);
            KafkaAccess kafka = connection.kafka();
            try (Admin admin = kafka.admin()) {
                Set<String> existing = kafka.topicNames(admin);
                List<NewTopic> missing = new ArrayList<>();
                for (TopicLayout topic : layout) {
                    if (!existing.contains(topic.name())) {
                        missing.add(
                                new NewTopic(topic.name(), topic.partitions(), replicationFactor)
                                        .configs(topic.configs()));
                    }
                }
                if (!missing.isEmpty()) {
                    kafka.await(admin.createTopics(missing).all(), "create topics");
                }
                Map<String, TopicDescription> described =
                        kafka.describeTopics(
                                admin, layout.stream().map(TopicLayout::name).toList());
                for (TopicLayout topic : layout) {
                    boolean created = missing.stream().anyMatch(t -> t.name().equals(topic.name()));
                    terminal.out()
                            .printf(
                                    "%-8s %-28s %2d partitions  %s%n",
                                    created ? "created" : "exists",
                                    topic.name(),
                                    described.get(topic.name()).partitions().size(),
                                    topic.purpose());
                }
            }
            setCompatibility(connection.registryClient(), connection.topics());
            return 0;
        }

        private void setCompatibility(RegistryRestClient registry, TopicNames topics) {
            Map<String, CompatibilityLevel> levels = new LinkedHashMap<>();
            for (Topics.Topic<?> topic : Topics.AVRO) {
                levels.put(TopicNames.valueSubject(topic.nameIn(topics)), topic.compatibility());
            }
            // The rules markers in the event log (docs/RULES.md) have a subject of their own.
            levels.put(RulesMarkers.SUBJECT, RulesMarkers.COMPATIBILITY);
            for (Map.Entry<String, CompatibilityLevel> level : levels.entrySet()) {
                String subject = level.getKey();
                try {
                    registry.setCompatibility(subject, level.getValue());
                } catch (RegistryUnavailableException e) {
                    throw new CliException(
                            "cannot reach the schema registry at "
                                    + registry.urls()
                                    + " (is the stack up? scripts/stack status; or check --registry-url)");
                } catch (IOException e) {
                    throw new CliException(
                            "the registry refused the compatibility level of "
                                    + subject
                                    + ": "
                                    + e.getMessage());
                }
                terminal.out().println("compatibility " + level.getValue() + " on " + subject);
            }
        }
    }

    @Command(
            name = "list",
            mixinStandardHelpOptions = true,
            description =
                    "List twinlog's topics with their sizes (offsets, or records with --count).")
    static final class ListTopics implements Callable<Integer> {

        /** A topic with its committed records (or offsets); no size when it does not exist. */
        record TopicRow(String topic, boolean exists, Long size, String purpose) {}

        @Mixin OutputOption output;

        @Mixin Terminal terminal;

        @Mixin Connection connection;

        @Option(
                names = "--count",
                description =
                        "count the committed records by reading them (exact, as slow as reading the"
                                + " topics); without it: offsets, in which transaction markers take one"
                                + " each")
        boolean count;

        @Override
        public Integer call() {
            KafkaAccess kafka = connection.kafka();
            try (Admin admin = kafka.admin();
                    var reader = kafka.committedReader()) {
                Set<String> existing = kafka.topicNames(admin);
                List<TopicRow> rows = new ArrayList<>();
                for (TopicLayout topic : TopicLayout.of(connection.topics(), 0, 0)) {
                    Long n =
                            !existing.contains(topic.name())
                                    ? null
                                    : count
                                            ? TopicCounts.countRecords(reader, topic.name())
                                            : TopicCounts.committedRecords(reader, topic.name());
                    rows.add(new TopicRow(topic.name(), n != null, n, topic.purpose()));
                }
                output.print(
                        Table.of(rows)
                                .column("TOPIC", TopicRow::topic)
                                .number(count ? "RECORDS" : "OFFSETS", TopicRow::size)
                                .column(
                                        "HOLDS",
                                        r ->
                                                r.exists()
                                                        ? r.purpose()
                                                        : "missing (scripts/twinlog topics create)"));
            }
            return 0;
        }
    }
}
