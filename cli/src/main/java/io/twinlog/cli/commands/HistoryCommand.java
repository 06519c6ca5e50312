package io.twinlog.cli.commands;

import io.twinlog.cli.output.OutputOption;
import io.twinlog.cli.output.Table;
import io.twinlog.cli.output.Terminal;
import io.twinlog.readside.ReadSide;
import io.twinlog.readside.api.Answers;
import io.twinlog.readside.index.Position;
import io.twinlog.readside.query.HistoryEntry;
import io.twinlog.readside.query.HistoryQuery;
import io.twinlog.readside.query.Instants;
import io.twinlog.readside.query.Page;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** Every record of one device's log and what the fold made of it. */
@Command(
        name = "history",
        mixinStandardHelpOptions = true,
        description =
                "Print every record of a device's log in log order: its position, its outcome (APPLIED,"
                        + " DUPLICATE, LATE, REJECTED, DEAD_LETTER, ...) and the twin changes, derived events and"
                        + " alerts it caused, computed with the job's fold and semantic options.")
public final class HistoryCommand extends ReadSideCommand implements Callable<Integer> {

    @Mixin Terminal terminal;

    @Parameters(index = "0", paramLabel = "<device>")
    String device;

    @Parameters(
            index = "1..*",
            paramLabel = "<job option>",
            description = "the job's semantic options, after -- (as given to submit)")
    List<String> jobOptions = new ArrayList<>();

    @Override
    List<String> jobOptions() {
        return jobOptions;
    }

    @Option(
            names = "--from",
            paramLabel = "<time>",
            description = "from this event time (ISO-8601)")
    String from;

    @Option(names = "--to", paramLabel = "<time>", description = "up to this event time (ISO-8601)")
    String to;

    @Mixin OutputOption output;

    @Override
    public Integer call() throws Exception {
        Answers.HistoryAnswer answer = online() ? client().history(device, from, to) : offline();
        if (output.json()) {
            output.printJson(answer);
            return 0;
        }
        terminal.out()
                .printf(
                        "%s: %,d records in the log%s%n",
                        device,
                        answer.entries().size(),
                        from == null && to == null ? "" : " in the time range");
        ReadSideCommands.sayGaps(terminal.out(), answer.gaps());
        output.print(
                Table.of(answer.entries())
                        .column("POSITION", Answers.EntryView::position)
                        .column(
                                "EVENT TIME",
                                e -> e.eventTime() != null ? e.eventTime() : e.recordTime())
                        .column(
                                "KIND",
                                e -> e.kind() == null ? "(record)" : e.kind().name().toLowerCase())
                        .column("OUTCOME", Answers.EntryView::outcome)
                        .column("WHAT IT DID", ReadSideCommands::effects));
        return 0;
    }

    /** The history from the CLI's own index, brought up to date first: every page of it. */
    private Answers.HistoryAnswer offline() {
        Instant since = from == null ? null : ReadSideCommands.argument(() -> Instants.parse(from));
        Instant until = to == null ? null : ReadSideCommands.argument(() -> Instants.parse(to));
        try (ReadSide side = openCaughtUp()) {
            List<HistoryEntry> entries = new ArrayList<>();
            Position cursor = null;
            Page<HistoryEntry> page;
            do {
                HistoryQuery query =
                        ReadSideCommands.argument(
                                () -> new HistoryQuery(since, until, null, HistoryQuery.MAX_LIMIT));
                HistoryQuery after =
                        new HistoryQuery(query.from(), query.to(), cursor, query.limit());
                page = ReadSideCommands.answer(() -> side.history(device, after));
                entries.addAll(page.items());
                cursor = page.next() == null ? null : Position.parse(page.next());
            } while (cursor != null);
            Long total = since == null && until == null ? side.recordCount(device) : null;
            return Answers.history(device, entries, total, null, side);
        }
    }
}
