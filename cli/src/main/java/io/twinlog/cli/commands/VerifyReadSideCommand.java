package io.twinlog.cli.commands;

import io.twinlog.cli.output.Terminal;
import io.twinlog.readside.ReadSide;
import io.twinlog.readside.index.TooManyRecordsException;
import io.twinlog.readside.query.Page;
import io.twinlog.readside.query.StateCheck;
import io.twinlog.readside.views.FleetEntry;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** The read side's self-check: its fold of the log against the twins the job published. */
@Command(
        name = "verify-read-side",
        mixinStandardHelpOptions = true,
        description = {
            "Compare each device's twin on the twins topic with the read side's fold of the device's"
                    + " log (as-of the latest position). MATCH: equal to the fold's last twin; BEHIND: equal"
                    + " to an earlier one (the job has not folded the newest events yet); MISMATCH: equal to"
                    + " none, the read side and the job disagree (other semantic options, or a bug); SPLIT:"
                    + " the device's records are on more than one partition, so they have no order.",
            "Exit code 1 when any device mismatches or is split."
        })
public final class VerifyReadSideCommand extends ReadSideCommand implements Callable<Integer> {

    @Mixin Terminal terminal;

    @Parameters(
            index = "0..*",
            paramLabel = "<job option>",
            description = "the job's semantic options, after -- (as given to submit)")
    List<String> jobOptions = new ArrayList<>();

    @Override
    List<String> jobOptions() {
        return jobOptions;
    }

    @Option(
            names = "--sample",
            paramLabel = "<n>",
            defaultValue = "0",
            description = "check every k-th device so that about n are checked (default: all)")
    int sample;

    @Option(
            names = "--max",
            defaultValue = "20",
            description = "print at most this many mismatches (default: ${DEFAULT-VALUE})")
    int max;

    @Override
    public Integer call() {
        long began = System.nanoTime();
        try (ReadSide side = openCaughtUp()) {
            int devices = side.fleet().size();
            int step = sample <= 0 || sample >= devices ? 1 : devices / sample;
            Map<StateCheck.Verdict, Integer> counts = new EnumMap<>(StateCheck.Verdict.class);
            List<String> mismatches = new ArrayList<>();
            List<String> split = new ArrayList<>();
            List<String> tooLarge = new ArrayList<>();
            String cursor = null;
            int seen = 0;
            do {
                Page<FleetEntry> page = side.fleet().page(null, null, cursor, 1_000);
                for (FleetEntry entry : page.items()) {
                    if (seen++ % step != 0) {
                        continue;
                    }
                    StateCheck.Verdict verdict;
                    try {
                        verdict = side.verify(entry.deviceId());
                    } catch (TooManyRecordsException e) {
                        tooLarge.add(entry.deviceId());
                        continue;
                    }
                    counts.merge(verdict, 1, Integer::sum);
                    if (verdict == StateCheck.Verdict.MISMATCH) {
                        mismatches.add(entry.deviceId());
                    } else if (verdict == StateCheck.Verdict.SPLIT) {
                        split.add(entry.deviceId());
                    }
                }
                cursor = page.next();
            } while (cursor != null);
            mismatches.stream().limit(max).forEach(d -> terminal.out().println("MISMATCH " + d));
            split.stream()
                    .limit(max)
                    .forEach(
                            d ->
                                    terminal.out()
                                            .println(
                                                    "SPLIT "
                                                            + d
                                                            + ": records on more than one partition of the"
                                                            + " log, no order to check"));
            tooLarge.stream()
                    .limit(max)
                    .forEach(
                            d ->
                                    terminal.out()
                                            .println(
                                                    "NOT CHECKED "
                                                            + d
                                                            + ": more records than --max-device-records"));
            terminal.out()
                    .printf(
                            "%,d devices checked of %,d: %,d match, %,d behind (the job has not folded their"
                                    + " newest events yet), %,d mismatch, %,d split over partitions"
                                    + " (%.1f s)%n",
                            counts.values().stream().mapToInt(Integer::intValue).sum(),
                            devices,
                            counts.getOrDefault(StateCheck.Verdict.MATCH, 0),
                            counts.getOrDefault(StateCheck.Verdict.BEHIND, 0),
                            counts.getOrDefault(StateCheck.Verdict.MISMATCH, 0),
                            split.size(),
                            (System.nanoTime() - began) / 1e9);
            return mismatches.isEmpty() && split.isEmpty() ? 0 : 1;
        }
    }
}
