package io.twinlog.cli.commands;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.twinlog.alerts.AlertRules;
import io.twinlog.alerts.AlertRulesFile;
import io.twinlog.alerts.PublishedVersions;
import io.twinlog.alerts.RuleChanges;
import io.twinlog.cli.kafka.CommittedRecords;
import io.twinlog.cli.options.Connection;
import io.twinlog.cli.options.DurationConverter;
import io.twinlog.cli.options.JobOptionsMixin;
import io.twinlog.cli.options.SubmittedSemantics;
import io.twinlog.cli.output.CliException;
import io.twinlog.cli.output.OutputOption;
import io.twinlog.cli.output.Table;
import io.twinlog.cli.output.Terminal;
import io.twinlog.ingest.RefusedMarkers;
import io.twinlog.ingest.RulesMarkerAdmission;
import io.twinlog.jobs.kafka.RulesLog;
import io.twinlog.options.DeviceTwinJobOptions;
import io.twinlog.options.SourceOptions;
import io.twinlog.schema.RulesMarkers;
import io.twinlog.schema.rules.RuleSet;
import io.twinlog.serde.ConfluentAvroDeserializer;
import io.twinlog.serde.ConfluentAvroSerializer;
import java.io.IOException;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.RecordMetadata;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code rules publish | list | show}: the rules versions in the event log (docs/RULES.md). */
public final class RulesVersionsCommands {

    private static final ObjectMapper JSON = new ObjectMapper();

    private RulesVersionsCommands() {}

    /** The versions the log holds, oldest first: those most partitions activated. */
    static List<RuleSet> published(Connection connection) throws IOException {
        return byPartition(connection, submittedRefusals(connection)).common();
    }

    /**
     * Each partition's activated versions, as a job refusing these markers activates them.
     *
     * @param refused the job's {@code rules.refused-markers}
     */
    static PublishedVersions byPartition(Connection connection, RefusedMarkers refused)
            throws IOException {
        try (KafkaConsumer<byte[], byte[]> consumer = connection.kafka().committedReader()) {
            return RulesLog.byPartition(
                    consumer,
                    connection.topics().events(),
                    new ConfluentAvroDeserializer<>(connection.registry(), RuleSet.class)
                            ::deserialize,
                    refused);
        }
    }

    /** The markers the last submitted job refuses (none if no submit recorded its options). */
    static RefusedMarkers submittedRefusals(Connection connection) {
        return new SubmittedSemantics(
                        SubmittedSemantics.defaultFile(),
                        JobOptionsMixin.base(connection),
                        List.of(),
                        JobOptionsMixin.base(connection),
                        () -> {})
                .get()
                .contract()
                .refusedMarkers();
    }

    /** Warns, on stderr, of partitions that activated other versions than the rest. */
    static void warnIfPartitionsDiffer(PublishedVersions versions, PrintWriter err) {
        Map<Integer, List<Integer>> differing = versions.differing();
        if (differing.isEmpty()) {
            return;
        }
        err.println(
                "warning: partitions of the log activated different rules versions, so their"
                        + " devices run different rules; most have "
                        + versions.common().stream().map(RuleSet::getVersion).toList()
                        + ", these differ:");
        differing.forEach(
                (partition, numbers) -> {
                    Long offset = versions.newestMarkerOffset(partition);
                    err.println(
                            "  partition "
                                    + partition
                                    + ": "
                                    + numbers
                                    + (offset == null
                                            ? ""
                                            : " (the newest from the marker at "
                                                    + partition
                                                    + ":"
                                                    + offset
                                                    + ")"));
                });
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

        @Mixin Terminal terminal;

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

        @Option(
                names = "--wait",
                defaultValue = "30s",
                converter = DurationConverter.class,
                description =
                        "how long to wait for the running job to read the markers and report whether"
                                + " it took them (default: ${DEFAULT-VALUE}; 0s: do not wait)")
        Duration wait;

        @Spec CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            PrintWriter out = spec.commandLine().getOut();
            PrintWriter err = spec.commandLine().getErr();
            AlertRules candidate = file.rules();
            Connection connection = file.connection;
            DeviceTwinJobOptions options = file.jobOptions();
            PublishedVersions versions =
                    byPartition(connection, options.contract().refusedMarkers());
            warnIfPartitionsDiffer(versions, err);
            String refusal = versions.refusal();
            if (refusal != null) {
                throw new CliException(refusal);
            }
            int version = versions.next();
            RuleSet inForce = versions.inForceAt(Instant.now());
            RuleSet newest =
                    versions.common().isEmpty()
                            ? null
                            : versions.common().get(versions.common().size() - 1);
            if (newest != null && newest != inForce) {
                out.println(
                        "version "
                                + newest.getVersion()
                                + " takes effect from "
                                + newest.getEffectiveFrom()
                                + "; the changes below are from version "
                                + (inForce == null ? 0 : inForce.getVersion())
                                + ", in force now");
            }
            AlertRules fromRules =
                    inForce == null ? options.rules() : AlertRulesFile.parse(inForce.getRules());
            RuleChanges changes = RuleChanges.between(fromRules, candidate);
            if (changes.none() && effectiveFrom == null && (newest == null || newest == inForce)) {
                throw new CliException(
                        "no change: the file holds the rules of version "
                                + (inForce == null ? 0 : inForce.getVersion()));
            }
            changes.describe().forEach(out::println);
            UnreportedMetrics.warn(
                    connection, connection.topics().twins(), candidate, terminal.out());
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
            // What the job will make of the marker, decided here as it will decide it: admission,
            // then every partition's version order.
            RulesMarkerAdmission.Result admitted =
                    RulesMarkerAdmission.admit(
                            value,
                            new ConfluentAvroDeserializer<>(connection.registry(), RuleSet.class)
                                    ::deserialize);
            if (admitted.refused() != null) {
                throw new CliException(
                        "the job would refuse this version: " + admitted.refused().message());
            }
            String topic = connection.topics().events();
            Map<Integer, Long> dlqEnd;
            int partitions;
            try (KafkaConsumer<byte[], byte[]> consumer = connection.kafka().committedReader()) {
                partitions = CommittedRecords.partitions(consumer, topic).size();
                dlqEnd = endOffsets(consumer, connection.topics().deadLetters());
            }
            List<RecordMetadata> markers;
            try (KafkaProducer<byte[], byte[]> producer =
                    connection.kafka().transactionalProducer(RulesLog.TRANSACTIONAL_ID)) {
                markers = RulesLog.publish(producer, topic, partitions, value);
            }
            out.println(
                    "published rules version "
                            + version
                            + " to the "
                            + partitions
                            + " partitions of "
                            + topic
                            + (effectiveFrom == null ? "" : ", effective from " + effectiveFrom));
            if (wait.isZero()) {
                return 0;
            }
            MarkerUptake uptake =
                    MarkerUptake.await(
                            connection, options.get(SourceOptions.GROUP_ID), markers, dlqEnd, wait);
            out.println(uptake.describe(version));
            return uptake.refused().isEmpty() ? 0 : 1;
        }

        private static Map<Integer, Long> endOffsets(
                KafkaConsumer<byte[], byte[]> consumer, String topic) {
            Map<Integer, Long> ends = new TreeMap<>();
            consumer.endOffsets(CommittedRecords.partitions(consumer, topic))
                    .forEach((partition, end) -> ends.put(partition.partition(), end));
            return ends;
        }
    }

    @Command(
            name = "list",
            mixinStandardHelpOptions = true,
            description = "The rules versions published in the event log, oldest first.")
    static final class ListVersions implements Callable<Integer> {

        /** A published version as listed; no effective time means at once. */
        record VersionRow(
                int version,
                int rules,
                Instant publishedAt,
                Instant effectiveFrom,
                String publishedBy,
                String comment) {
            static VersionRow of(RuleSet version) {
                return new VersionRow(
                        version.getVersion(),
                        AlertRulesFile.parse(version.getRules()).all().size(),
                        version.getPublishedAt(),
                        version.getEffectiveFrom(),
                        version.getPublishedBy(),
                        version.getComment());
            }
        }

        @Mixin OutputOption output;

        @Mixin Terminal terminal;

        @Mixin Connection connection;

        @Spec CommandSpec spec;

        @Override
        public Integer call() throws IOException {
            PublishedVersions byPartition = byPartition(connection, submittedRefusals(connection));
            warnIfPartitionsDiffer(byPartition, spec.commandLine().getErr());
            List<RuleSet> versions = byPartition.common();
            if (versions.isEmpty()) {
                terminal.out()
                        .println(
                                "no version published: the job runs with version 0, its rules file");
                return 0;
            }
            output.print(
                    Table.of(versions.stream().map(VersionRow::of).toList())
                            .column("VERSION", VersionRow::version)
                            .column("RULES", VersionRow::rules)
                            .column("PUBLISHED", VersionRow::publishedAt)
                            .column(
                                    "EFFECTIVE FROM",
                                    r -> r.effectiveFrom() == null ? "at once" : r.effectiveFrom())
                            .column("BY", VersionRow::publishedBy)
                            .column("COMMENT", VersionRow::comment));
            return 0;
        }
    }

    @Command(
            name = "show",
            mixinStandardHelpOptions = true,
            description = "The rules of a version (default: the newest), in the rules-file format.")
    static final class Show implements Callable<Integer> {

        @Mixin Terminal terminal;

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
            terminal.err()
                    .println(
                            "rules version "
                                    + shown.getVersion()
                                    + ", published "
                                    + shown.getPublishedAt()
                                    + (shown.getComment().isEmpty()
                                            ? ""
                                            : ": " + shown.getComment()));
            String canonical =
                    AlertRulesFile.toPublishedJson(AlertRulesFile.parse(shown.getRules()));
            terminal.out()
                    .println(
                            JSON.writerWithDefaultPrettyPrinter()
                                    .writeValueAsString(JSON.readTree(canonical)));
            return 0;
        }
    }
}
