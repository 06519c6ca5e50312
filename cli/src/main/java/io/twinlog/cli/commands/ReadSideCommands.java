package io.twinlog.cli.commands;

import io.twinlog.cli.output.CliException;
import io.twinlog.readside.UnknownDeviceException;
import io.twinlog.readside.api.Answers;
import io.twinlog.readside.index.TooManyRecordsException;
import io.twinlog.readside.query.HistoryFold;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/** What the read-side commands share: turning the read side's refusals into CLI messages. */
public final class ReadSideCommands {

    private ReadSideCommands() {}

    /** Runs a query; an unknown device or one too large to fold is a one-line error. */
    static <T> T answer(Supplier<T> query) {
        try {
            return query.get();
        } catch (UnknownDeviceException
                | TooManyRecordsException
                | HistoryFold.TooLongException e) {
            throw new CliException(e.getMessage());
        }
    }

    /** Parses arguments; a malformed time or position is a one-line error. */
    static <T> T argument(Supplier<T> parse) {
        try {
            return parse.get();
        } catch (IllegalArgumentException e) {
            throw new CliException(e.getMessage());
        }
    }

    /**
     * What a record did, on one line: twin changes, derived events, alerts, or why it was refused.
     */
    static String effects(Answers.EntryView entry) {
        List<String> parts = new ArrayList<>(entry.changes());
        entry.derivedEvents()
                .forEach(
                        derived ->
                                parts.add("-> " + derived.path("payload").path("type").asText()));
        entry.alerts()
                .forEach(
                        alert ->
                                parts.add(
                                        "-> alert "
                                                + alert.path("ruleId").asText()
                                                + " "
                                                + alert.path("status").asText()));
        if (entry.detail() != null) {
            parts.add(entry.detail());
        }
        return parts.isEmpty() ? "-" : String.join("; ", parts);
    }

    /** Says what the log lost before the index read it (the answer is a fold of what remains). */
    static void sayGaps(java.io.PrintWriter out, java.util.List<Answers.GapView> gaps) {
        for (Answers.GapView gap : gaps) {
            out.printf(
                    "note: the log deleted offsets %d to %d of partition %d (%,d records) before the"
                            + " read side indexed them; this answer folds what remains%n",
                    gap.from(), gap.to() - 1, gap.partition(), gap.records());
        }
    }
}
