package io.twinlog.cli.commands;

import io.twinlog.cli.flink.FlinkRestClient;
import io.twinlog.cli.kafka.LogBounds;
import io.twinlog.cli.options.Connection;
import io.twinlog.cli.output.CliException;
import io.twinlog.cli.output.OutputOption;
import io.twinlog.cli.output.Table;
import io.twinlog.cli.output.Terminal;
import io.twinlog.jobs.state.RebuildMetadata;
import io.twinlog.jobs.state.SavepointContents;
import io.twinlog.jobs.state.UnreadableSavepointException;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(
        name = "savepoints",
        mixinStandardHelpOptions = true,
        description = "The savepoints of the cluster.",
        subcommands = SavepointsCommand.ListSavepoints.class)
public final class SavepointsCommand {

    @Command(
            name = "list",
            mixinStandardHelpOptions = true,
            description =
                    "List savepoints (and with --checkpoints, retained checkpoints), newest first, with their time,"
                            + " job and the event-log offsets they cover. Reads the cluster's directories on this machine.")
    static final class ListSavepoints implements Callable<Integer> {

        @Mixin Terminal terminal;

        @Mixin Connection connection;

        @Mixin OutputOption output;

        @Option(
                names = "--dir",
                paramLabel = "<dir>",
                description = "savepoint directory (default: the cluster's)")
        String directory;

        @Option(names = "--checkpoints", description = "also list retained checkpoints")
        boolean checkpoints;

        @Option(
                names = "--max",
                defaultValue = "10",
                description = "at most this many, newest first (default: ${DEFAULT-VALUE})")
        int max;

        @Override
        public Integer call() throws Exception {
            FlinkRestClient flink = connection.flink();
            List<Entry> entries = new ArrayList<>();
            collect(
                    local(
                            directory != null
                                    ? directory
                                    : flink.clusterConfig("execution.checkpointing.savepoint-dir")),
                    "savepoint",
                    entries);
            if (checkpoints) {
                collect(
                        local(flink.clusterConfig("execution.checkpointing.dir")),
                        "checkpoint",
                        entries);
            }
            entries.sort(Comparator.comparing(Entry::time).reversed());
            List<SavepointRow> rows = new ArrayList<>();
            for (Entry entry : entries.subList(0, Math.min(max, entries.size()))) {
                Instant time = entry.time.toInstant().truncatedTo(ChronoUnit.SECONDS);
                try {
                    SavepointContents.Coverage coverage =
                            SavepointContents.coverage(entry.path.toString());
                    rows.add(
                            new SavepointRow(
                                    time,
                                    coverage.rebuilt() ? "rebuilt" : entry.kind,
                                    entry.job(),
                                    coverage.records(),
                                    entry.path.toString(),
                                    LogBounds.describe(coverage.nextOffsets())));
                } catch (UnreadableSavepointException | IllegalStateException e) {
                    // One broken savepoint must not hide the others.
                    rows.add(
                            new SavepointRow(
                                    time,
                                    "UNREADABLE",
                                    entry.job(),
                                    null,
                                    entry.path.toString(),
                                    e.getMessage()));
                }
            }
            output.print(
                    Table.of(rows)
                            .column("TIME", SavepointRow::time)
                            .column("KIND", SavepointRow::kind)
                            .column("JOB", SavepointRow::job)
                            .number("RECORDS", SavepointRow::records)
                            .column("PATH", SavepointRow::path)
                            .column("COVERED OFFSETS / WHY UNREADABLE", SavepointRow::coverage));
            long unreadable = rows.stream().filter(r -> r.records() == null).count();
            if (unreadable > 0 && !output.json()) {
                terminal.out()
                        .printf(
                                "%d unreadable: do not resume from %s%n",
                                unreadable, unreadable == 1 ? "it" : "them");
            }
            return 0;
        }

        private static Path local(String directory) {
            if (directory == null || directory.isBlank()) {
                throw new CliException(
                        "the cluster has no savepoint directory configured: give --dir");
            }
            if (directory.startsWith("file:")) {
                return Path.of(URI.create(directory));
            }
            if (directory.contains("://")) {
                throw new CliException(
                        directory
                                + " is not on this machine: savepoints list reads local directories only");
            }
            return Path.of(directory);
        }

        private static void collect(Path root, String kind, List<Entry> entries)
                throws IOException {
            if (!Files.isDirectory(root)) {
                return;
            }
            try (Stream<Path> found =
                    Files.find(
                            root,
                            3,
                            (path, attributes) ->
                                    path.getFileName().toString().equals("_metadata"))) {
                for (Path metadata : found.toList()) {
                    Path directory = metadata.getParent();
                    if (!directory.equals(root)) {
                        entries.add(
                                new Entry(kind, directory, Files.getLastModifiedTime(metadata)));
                    }
                }
            }
            try (Stream<Path> rebuilt = Files.list(root)) {
                for (Path directory :
                        rebuilt.filter(d -> Files.exists(d.resolve(RebuildMetadata.FILE_NAME)))
                                .toList()) {
                    if (entries.stream().noneMatch(e -> e.path.equals(directory))) {
                        entries.add(
                                new Entry(kind, directory, Files.getLastModifiedTime(directory)));
                    }
                }
            }
        }

        /** A savepoint or checkpoint directory. */
        /** One savepoint or checkpoint as listed; no record count when it cannot be read. */
        record SavepointRow(
                Instant time,
                String kind,
                String job,
                Long records,
                String path,
                String coverage) {}

        private record Entry(String kind, Path path, FileTime time) {
            String job() {
                // savepoint-<first 6 hex digits of the job id>-<random>; <checkpoint dir>/<job
                // id>/chk-<n>
                String name = path.getFileName().toString();
                if (name.startsWith("chk-")) {
                    return path.getParent().getFileName() + " #" + name.substring(4);
                }
                if (name.startsWith("savepoint-")) {
                    return name.split("-")[1] + "...";
                }
                return "-";
            }
        }
    }
}
