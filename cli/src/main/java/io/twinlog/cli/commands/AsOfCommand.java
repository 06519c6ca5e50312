package io.twinlog.cli.commands;

import io.twinlog.cli.output.CliException;
import io.twinlog.cli.output.OutputOption;
import io.twinlog.cli.output.RecordLines;
import io.twinlog.cli.output.Table;
import io.twinlog.cli.output.Terminal;
import io.twinlog.readside.ReadSide;
import io.twinlog.readside.api.Answers;
import io.twinlog.readside.index.Position;
import io.twinlog.readside.query.Instants;
import io.twinlog.readside.query.Replay;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** The twin of one device as it was at an event time or a position of the log. */
@Command(
        name = "as-of",
        mixinStandardHelpOptions = true,
        description = {
            "Print a device's twin as it was, computed from the log with the job's fold and semantic"
                    + " options, and the events that set each of its fields.",
            "At an event time T: the twin the job held when the device's clock (its greatest applied"
                    + " event time) last was at or before T. At partition:offset: the twin after the"
                    + " device's records up to that position. docs/READ-SIDE.md says why."
        })
public final class AsOfCommand extends ReadSideCommand implements Callable<Integer> {

    @Mixin Terminal terminal;

    @Parameters(index = "0", paramLabel = "<device>")
    String device;

    @Parameters(
            index = "1",
            paramLabel = "<time | partition:offset>",
            description = "an event time (ISO-8601, a date, or epoch ms) or a log position")
    String at;

    @Parameters(
            index = "2..*",
            paramLabel = "<job option>",
            description = "the job's semantic options, after -- (as given to submit)")
    List<String> jobOptions = new ArrayList<>();

    @Override
    List<String> jobOptions() {
        return jobOptions;
    }

    @Mixin OutputOption output;

    @Override
    public Integer call() throws Exception {
        boolean byPosition = Instants.isPosition(at);
        Answers.AsOfAnswer answer = online() ? asked(byPosition) : offline(byPosition);
        if (output.json()) {
            output.printJson(answer);
            return 0;
        }
        terminal.out()
                .printf(
                        "%s as of %s: after %,d records, the last at %s%n",
                        device, at, answer.recordsFolded(), answer.position());
        ReadSideCommands.sayGaps(terminal.out(), answer.gaps());
        terminal.out().println(RecordLines.twin(answer.twin()));
        terminal.out().println("set by:");
        output.print(
                Table.of(List.copyOf(answer.provenance().entrySet()))
                        .column("  FIELD", field -> "  " + field.getKey())
                        .column("POSITION", field -> field.getValue().position())
                        .column("KIND", field -> field.getValue().kind().name().toLowerCase())
                        .column("EVENT TIME", field -> field.getValue().eventTime())
                        .column("EVENT ID", field -> field.getValue().eventId()));
        return 0;
    }

    private Answers.AsOfAnswer asked(boolean byPosition) {
        if (!byPosition) {
            // Refused here with the CLI's message rather than by the service.
            ReadSideCommands.argument(() -> Instants.parse(at));
        }
        return client().asOf(device, at, byPosition);
    }

    /** The twin from the CLI's own index, brought up to date first. */
    private Answers.AsOfAnswer offline(boolean byPosition) {
        Position position = byPosition ? ReadSideCommands.argument(() -> Position.parse(at)) : null;
        var time = byPosition ? null : ReadSideCommands.argument(() -> Instants.parse(at));
        try (ReadSide side = openCaughtUp()) {
            Replay replay =
                    ReadSideCommands.answer(
                            () ->
                                    byPosition
                                            ? side.asOf(device, position)
                                            : side.asOf(device, time));
            if (replay.twin() == null) {
                throw new CliException("device " + device + " had no state yet at " + at);
            }
            return Answers.asOf(device, at, replay, side.gapsAsOf(device, position), side);
        }
    }
}
