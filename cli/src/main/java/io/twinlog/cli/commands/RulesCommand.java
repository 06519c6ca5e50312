package io.twinlog.cli.commands;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.twinlog.alerts.AlertRules;
import io.twinlog.alerts.RuleChanges;
import io.twinlog.backtest.RuleBacktest;
import io.twinlog.cli.kafka.CommittedRecords;
import io.twinlog.cli.output.CliException;
import io.twinlog.cli.output.OutputOption;
import io.twinlog.cli.output.Table;
import io.twinlog.cli.output.Terminal;
import io.twinlog.connect.RecordAdmission;
import io.twinlog.options.DeviceTwinJobOptions;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(
        name = "rules",
        description =
                "Alert rules: try candidate rules on the log, publish them as a new version into"
                        + " the log, list and show the versions.",
        mixinStandardHelpOptions = true,
        subcommands = {
            RulesCommand.Diff.class,
            RulesCommand.Backtest.class,
            RulesVersionsCommands.Publish.class,
            RulesVersionsCommands.ListVersions.class,
            RulesVersionsCommands.Show.class
        })
public final class RulesCommand {

    @Command(
            name = "diff",
            mixinStandardHelpOptions = true,
            description =
                    "Check a rules file (its format, duplicate ids, deadbands, contradictions) and print"
                            + " what it changes from the rules in force (the newest version published"
                            + " in the log, else those the last submit recorded, else --rules or"
                            + " $TWINLOG_RULES), rule by rule and field by"
                            + " field; warn about metrics no twin has reported.")
    static final class Diff implements Callable<Integer> {

        @Mixin Terminal terminal;

        @Mixin CandidateRules file;

        @Override
        public Integer call() throws IOException {
            DeviceTwinJobOptions options = file.jobOptions();
            AlertRules candidate = file.rules();
            AlertRules inForce =
                    CandidateRules.newest(
                            RulesVersionsCommands.published(file.connection), options);
            RuleChanges changes = RuleChanges.between(inForce, candidate);
            if (changes.none()) {
                terminal.out().println("no change: the file holds the rules in force");
            }
            changes.describe().forEach(terminal.out()::println);
            UnreportedMetrics.warn(
                    file.connection, options.topics().twins(), candidate, terminal.out());
            return 0;
        }
    }

    @Command(
            name = "backtest",
            mixinStandardHelpOptions = true,
            description = {
                "Replay the event log through the job's own fold twice, outside the job: with the"
                        + " rules in force (those the last submit recorded, else --rules or"
                        + " $TWINLOG_RULES) and with the candidate rules; then compare their alert"
                        + " episodes per rule: added, removed, ended differently, devices affected,"
                        + " with examples. Every device is folded from its first event; --from and"
                        + " --to select the episodes compared by when they were raised.",
                "Writes nothing; the live job is left alone."
            })
    static final class Backtest implements Callable<Integer> {

        @Mixin Terminal terminal;

        @Mixin CandidateRules file;

        @Option(names = "--from", paramLabel = "<time>", description = "ISO-8601 instant")
        Instant from;

        @Option(names = "--to", paramLabel = "<time>", description = "ISO-8601 instant")
        Instant to;

        @Option(
                names = "--devices",
                split = ",",
                paramLabel = "<id>",
                description = "only these devices (comma-separated)")
        Set<String> devices;

        @Option(
                names = "--examples",
                defaultValue = "3",
                description = "examples per rule and kind of change (default: ${DEFAULT-VALUE})")
        int examples;

        @Mixin OutputOption output;

        @Option(
                names = "--threads",
                paramLabel = "<n>",
                description =
                        "threads folding, each a share of the devices (default: the cores, at most 4)")
        int threads = Math.max(1, Math.min(4, Runtime.getRuntime().availableProcessors()));

        @Override
        public Integer call() throws IOException {
            DeviceTwinJobOptions options = file.jobOptions();
            AlertRules candidate = file.rules();
            Predicate<String> chosen = devices == null ? d -> true : devices::contains;
            if (threads < 1 || threads > 64) {
                throw new CliException("--threads must be between 1 and 64 (got " + threads + ")");
            }
            List<RuleBacktest> backtests = new ArrayList<>();
            for (int i = 0; i < threads; i++) {
                backtests.add(
                        new RuleBacktest(
                                options.foldSettings(),
                                options.rules(),
                                candidate,
                                from,
                                to,
                                chosen));
            }
            long began = System.nanoTime();
            long records = replay(options, backtests);
            double seconds = (System.nanoTime() - began) / 1e9;
            terminal.err()
                    .printf(
                            "read %,d records of %s in %.1f s (%,.0f records/s), folded %,d events twice"
                                    + " (%d threads)%n",
                            records,
                            options.topics().events(),
                            seconds,
                            records / Math.max(seconds, 0.001),
                            backtests.stream().mapToLong(RuleBacktest::events).sum(),
                            threads);
            List<RuleBacktest.RuleDiff> diffs =
                    RuleBacktest.merge(backtests.stream().map(RuleBacktest::compare).toList());
            if (output.json()) {
                printJson(diffs);
            } else {
                RuleChanges.between(backtests.get(0).newestInForce(), candidate)
                        .describe()
                        .forEach(terminal.out()::println);
                print(diffs);
            }
            return 0;
        }

        /**
         * Every committed record of the log, to its end when the backtest started. This thread
         * fetches; each shard decodes, admits and folds the records of its devices (by the record
         * key, so a device's records stay in log order on one thread).
         */
        private long replay(DeviceTwinJobOptions options, List<RuleBacktest> shards)
                throws IOException {
            String topic = options.topics().events();
            List<ShardWorker> workers = new ArrayList<>();
            for (RuleBacktest shard : shards) {
                workers.add(new ShardWorker(shard, options, topic, file.connection.registry()));
            }
            workers.forEach(Thread::start);
            long records;
            try (KafkaConsumer<byte[], byte[]> consumer =
                    file.connection.kafka().committedReader()) {
                records =
                        CommittedRecords.readAll(
                                consumer,
                                topic,
                                record -> {
                                    if (RecordAdmission.isMarker(record.headers())) {
                                        workers.forEach(worker -> worker.add(record));
                                    } else {
                                        workers.get(
                                                        Math.floorMod(
                                                                Arrays.hashCode(record.key()),
                                                                workers.size()))
                                                .add(record);
                                    }
                                });
            } finally {
                for (ShardWorker worker : workers) {
                    worker.finish();
                }
            }
            for (ShardWorker worker : workers) {
                worker.await();
            }
            return records;
        }

        private void print(List<RuleBacktest.RuleDiff> diffs) {
            Table.of(diffs)
                    .column("RULE", RuleBacktest.RuleDiff::ruleId)
                    .number("IN FORCE", RuleBacktest.RuleDiff::inForce)
                    .number("CANDIDATE", RuleBacktest.RuleDiff::candidate)
                    .number("ADDED", d -> d.added().size())
                    .number("REMOVED", d -> d.removed().size())
                    .number("CHANGED", d -> d.changed().size())
                    .number("DEVICES", RuleBacktest.RuleDiff::devicesAffected)
                    .render(terminal.out());
            for (RuleBacktest.RuleDiff diff : diffs) {
                diff.added().stream().limit(examples).forEach(e -> example("+", e));
                diff.removed().stream().limit(examples).forEach(e -> example("-", e));
                diff.changed().stream()
                        .limit(examples)
                        .forEach(
                                c -> {
                                    example("~", c.inForce());
                                    terminal.out()
                                            .println(
                                                    "      candidate: "
                                                            + (c.candidate()
                                                                            .raisedBy()
                                                                            .equals(
                                                                                    c.inForce()
                                                                                            .raisedBy())
                                                                    ? ""
                                                                    : "raised "
                                                                            + c.candidate()
                                                                                    .raisedAt()
                                                                            + " by "
                                                                            + c.candidate()
                                                                                    .raisedBy()
                                                                            + ", ")
                                                            + (c.candidate().clearedAt() == null
                                                                    ? "still open"
                                                                    : "cleared "
                                                                            + c.candidate()
                                                                                    .clearedAt()
                                                                            + " by "
                                                                            + c.candidate()
                                                                                    .clearedBy()));
                                });
            }
        }

        private void example(String sign, RuleBacktest.Episode episode) {
            terminal.out()
                    .printf(
                            "  %s %s %s: raised %s by %s (%s), %s%n",
                            sign,
                            episode.ruleId(),
                            episode.deviceId(),
                            episode.raisedAt(),
                            episode.raisedBy(),
                            episode.raisedValue(),
                            episode.clearedAt() == null
                                    ? "still open"
                                    : "cleared "
                                            + episode.clearedAt()
                                            + " by "
                                            + episode.clearedBy());
        }

        private void printJson(List<RuleBacktest.RuleDiff> diffs) throws IOException {
            ObjectMapper mapper = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
            ObjectNode document = mapper.createObjectNode();
            document.put("candidate", file.file.toString());
            document.put("from", from == null ? null : from.toString());
            document.put("to", to == null ? null : to.toString());
            ArrayNode rules = document.putArray("rules");
            for (RuleBacktest.RuleDiff diff : diffs) {
                ObjectNode rule = rules.addObject();
                rule.put("ruleId", diff.ruleId());
                rule.put("inForce", diff.inForce());
                rule.put("candidate", diff.candidate());
                rule.put("devicesAffected", diff.devicesAffected());
                diff.added().forEach(e -> episode(rule.withArray("added").addObject(), e));
                diff.removed().forEach(e -> episode(rule.withArray("removed").addObject(), e));
                for (RuleBacktest.Changed changed : diff.changed()) {
                    ObjectNode pair = rule.withArray("changed").addObject();
                    episode(pair.putObject("inForce"), changed.inForce());
                    episode(pair.putObject("candidate"), changed.candidate());
                }
            }
            terminal.out().println(mapper.writeValueAsString(document));
        }

        private static void episode(ObjectNode node, RuleBacktest.Episode episode) {
            node.put("alertId", episode.alertId());
            node.put("deviceId", episode.deviceId());
            node.put("raisedAt", episode.raisedAt().toString());
            node.put("raisedBy", episode.raisedBy());
            if (!Double.isNaN(episode.raisedValue())) {
                node.put("raisedValue", episode.raisedValue());
            }
            node.put(
                    "clearedAt",
                    episode.clearedAt() == null ? null : episode.clearedAt().toString());
            node.put("clearedBy", episode.clearedBy());
        }
    }
}
