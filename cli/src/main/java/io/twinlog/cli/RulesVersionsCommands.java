package io.twinlog.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.twinlog.alerts.AlertRules;
import io.twinlog.alerts.AlertRulesFile;
import io.twinlog.alerts.RuleChanges;
import io.twinlog.jobs.kafka.RulesLog;
import io.twinlog.schema.RulesMarkers;
import io.twinlog.schema.rules.RuleSet;
import io.twinlog.serde.ConfluentAvroDeserializer;
import io.twinlog.serde.ConfluentAvroSerializer;
import java.io.IOException;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Callable;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code rules publish | list | show}: the rules versions in the event log (docs/RULES.md). */
final class RulesVersionsCommands {

    private static final ObjectMapper JSON = new ObjectMapper();

    private RulesVersionsCommands() {}

    /** The versions the log holds, oldest first. */
    static List<RuleSet> published(Connection connection) throws IOException {
        try (KafkaConsumer<byte[], byte[]> consumer = connection.kafka().committedReader()) {
            return RulesLog.published(
                    consumer,
                    connection.topics().events(),
                    new ConfluentAvroDeserializer<>(connection.registry(), RuleSet.class)
                            ::deserialize);
        }
    }

    @Command(
            name = "publish",
            mixinStandardHelpOptions = true,
            description = {
                "Check a rules file, print what it changes from the version in force, and publish it"
                        + " as the next version: a marker in every partition of the event log, in"
                        + " one transaction. The running job applies it to each device's events"
                        + " after the marker (from --effective-from on, in event time), without a"
                        + " restart; a replay of the log applies it at the same place.",
                "Version 0 is the rules file the job was started with (the last submit's, else"
                        + " --rules or $TWINLOG_RULES)."
            })
    static final class Publish implements Callable<Integer> {

        @Mixin CandidateRules file;

        @Option(
                names = "--effective-from",
                paramLabel = "<time>",
                description =
                        "ISO-8601 instant: events before it keep the previous version (default: at"
                                + " once)")
        Instant effectiveFrom;

        @Option(names = "--comment", defaultValue = "", description = "why (kept with the version)")
        String comment;

        @Override
        public Integer call() throws IOException {
            AlertRules candidate = file.rules();
            Connection connection = file.connection;
            List<RuleSet> versions = published(connection);
            AlertRules inForce;
            int version;
            if (versions.isEmpty()) {
                inForce = file.jobOptions().rules();
                version = 1;
            } else {
                RuleSet latest = versions.get(versions.size() - 1);
                inForce = AlertRulesFile.parse(latest.getRules());
                version = latest.getVersion() + 1;
            }
            RuleChanges changes = RuleChanges.between(inForce, candidate);
            if (changes.none() && effectiveFrom == null) {
                throw new CliException(
                        "no change: the file holds the rules of version " + (version - 1));
            }
            changes.describe().forEach(System.out::println);
            UnreportedMetrics.warn(connection, connection.topics().twins(), candidate);
            RuleSet ruleSet =
                    RuleSet.newBuilder()
                            .setVersion(version)
                            .setRules(AlertRulesFile.toPublishedJson(candidate))
                            .setEffectiveFrom(effectiveFrom)
                            .setPublishedAt(Instant.now())
                            .setPublishedBy(System.getProperty("user.name", ""))
                            .setComment(comment)
                            .build();
            byte[] value =
                    new ConfluentAvroSerializer<>(
                                    connection.registry(), RulesMarkers.SUBJECT, RuleSet.class)
                            .serialize(ruleSet);
            String topic = connection.topics().events();
            int partitions;
            try (KafkaConsumer<byte[], byte[]> consumer = connection.kafka().committedReader()) {
                partitions = CommittedRecords.partitions(consumer, topic).size();
            }
            try (KafkaProducer<byte[], byte[]> producer =
                    connection.kafka().transactionalProducer(RulesLog.TRANSACTIONAL_ID)) {
                RulesLog.publish(producer, topic, partitions, value);
            }
            System.out.println(
                    "published rules version "
                            + version
                            + " to the "
                            + partitions
                            + " partitions of "
                            + topic
                            + (effectiveFrom == null ? "" : ", effective from " + effectiveFrom));
            return 0;
        }
    }

    @Command(
            name = "list",
            mixinStandardHelpOptions = true,
            description = "The rules versions published in the event log, oldest first.")
    static final class ListVersions implements Callable<Integer> {

        @Mixin Connection connection;

        @Override
        public Integer call() throws IOException {
            List<RuleSet> versions = published(connection);
            if (versions.isEmpty()) {
                System.out.println(
                        "no version published: the job runs with version 0, its rules file");
                return 0;
            }
            System.out.printf(
                    "%-8s %-6s %-24s %-24s %-12s %s%n",
                    "VERSION", "RULES", "PUBLISHED", "EFFECTIVE FROM", "BY", "COMMENT");
            for (RuleSet version : versions) {
                System.out.printf(
                        "%-8d %-6d %-24s %-24s %-12s %s%n",
                        version.getVersion(),
                        AlertRulesFile.parse(version.getRules()).all().size(),
                        version.getPublishedAt(),
                        version.getEffectiveFrom() == null ? "at once" : version.getEffectiveFrom(),
                        version.getPublishedBy(),
                        version.getComment());
            }
            return 0;
        }
    }

    @Command(
            name = "show",
            mixinStandardHelpOptions = true,
            description = "The rules of a version (default: the newest), in the rules-file format.")
    static final class Show implements Callable<Integer> {

        @Mixin Connection connection;

        @Parameters(index = "0", arity = "0..1", paramLabel = "<version>")
        Integer version;

        @Override
        public Integer call() throws IOException {
            List<RuleSet> versions = published(connection);
            if (versions.isEmpty()) {
                throw new CliException(
                        "no version published: the job runs with version 0, its rules file");
            }
            RuleSet shown =
                    version == null
                            ? versions.get(versions.size() - 1)
                            : versions.stream()
                                    .filter(v -> v.getVersion() == version)
                                    .findFirst()
                                    .orElseThrow(
                                            () ->
                                                    new CliException(
                                                            "no rules version "
                                                                    + version
                                                                    + " in the log (versions: "
                                                                    + versions.stream()
                                                                            .map(
                                                                                    RuleSet
                                                                                            ::getVersion)
                                                                            .toList()
                                                                    + ")"));
            // On stderr: stdout is a rules file, to edit and publish again.
            System.err.println(
                    "rules version "
                            + shown.getVersion()
                            + ", published "
                            + shown.getPublishedAt()
                            + (shown.getComment().isEmpty() ? "" : ": " + shown.getComment()));
            String canonical =
                    AlertRulesFile.toPublishedJson(AlertRulesFile.parse(shown.getRules()));
            System.out.println(
                    JSON.writerWithDefaultPrettyPrinter()
                            .writeValueAsString(JSON.readTree(canonical)));
            return 0;
        }
    }
}
