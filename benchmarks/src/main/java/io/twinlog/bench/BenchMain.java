package io.twinlog.bench;

import io.twinlog.bench.drills.DrillsCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** Entry point of scripts/bench and scripts/drills. */
@Command(
        name = "bench",
        mixinStandardHelpOptions = true,
        description = "twinlog's benchmarks and failure drills; results go to docs/.",
        subcommands = {
            MicroCommand.class,
            EndToEndCommand.class,
            CompareCommand.class,
            ReportCommand.class,
            DrillsCommand.class,
            ReadSideBenchCommand.class,
            CommandLine.HelpCommand.class
        })
public final class BenchMain {

    public static void main(String[] args) {
        System.exit(new CommandLine(new BenchMain()).execute(args));
    }
}
