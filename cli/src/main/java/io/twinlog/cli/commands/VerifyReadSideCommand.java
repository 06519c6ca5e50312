package io.twinlog.cli.commands;

import io.twinlog.cli.output.OutputOption;
import io.twinlog.cli.output.Terminal;
import io.twinlog.readside.FleetCheck;
import io.twinlog.readside.ReadSide;
import io.twinlog.readside.api.Answers;
import io.twinlog.readside.query.StateCheck;
import java.util.ArrayList;
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

    @Mixin OutputOption output;

    @Override
    public Integer call() {
        long began = System.nanoTime();
        Answers.VerifyAnswer answer;
        if (online()) {
            answer = client().verify(sample, max);
        } else {
            try (ReadSide side = openCaughtUp()) {
                answer = Answers.verify(FleetCheck.run(side, sample, max), side);
            }
        }
        if (output.json()) {
            output.printJson(answer);
        } else {
            print(answer, (System.nanoTime() - began) / 1e9);
        }
        return answer.mismatches().isEmpty() && answer.split().isEmpty() ? 0 : 1;
    }

    private void print(Answers.VerifyAnswer answer, double seconds) {
        answer.mismatches().forEach(d -> terminal.out().println("MISMATCH " + d));
        answer.split()
                .forEach(
                        d ->
                                terminal.out()
                                        .println(
                                                "SPLIT "
                                                        + d
                                                        + ": records on more than one partition of the"
                                                        + " log, no order to check"));
        answer.notChecked()
                .forEach(
                        d ->
                                terminal.out()
                                        .println(
                                                "NOT CHECKED "
                                                        + d
                                                        + ": more records than --max-device-records"));
        Map<StateCheck.Verdict, Integer> verdicts = answer.verdicts();
        terminal.out()
                .printf(
                        "%,d devices checked of %,d: %,d match, %,d behind (the job has not folded their"
                                + " newest events yet), %,d mismatch, %,d split over partitions"
                                + " (%.1f s)%n",
                        answer.checked(),
                        answer.devices(),
                        verdicts.getOrDefault(StateCheck.Verdict.MATCH, 0),
                        verdicts.getOrDefault(StateCheck.Verdict.BEHIND, 0),
                        verdicts.getOrDefault(StateCheck.Verdict.MISMATCH, 0),
                        verdicts.getOrDefault(StateCheck.Verdict.SPLIT, 0),
                        seconds);
    }
}
