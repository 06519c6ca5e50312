package io.twinlog.cli;

import io.twinlog.cli.commands.AclsCommand;
import io.twinlog.cli.commands.AlertsCommand;
import io.twinlog.cli.commands.AsOfCommand;
import io.twinlog.cli.commands.CancelCommand;
import io.twinlog.cli.commands.HistoryCommand;
import io.twinlog.cli.commands.JobCommand;
import io.twinlog.cli.commands.JobsCommand;
import io.twinlog.cli.commands.RebuildCommand;
import io.twinlog.cli.commands.ResumeCommand;
import io.twinlog.cli.commands.RulesCommand;
import io.twinlog.cli.commands.SavepointCommands;
import io.twinlog.cli.commands.SavepointsCommand;
import io.twinlog.cli.commands.SendCommand;
import io.twinlog.cli.commands.ServeCommand;
import io.twinlog.cli.commands.SimulateCommand;
import io.twinlog.cli.commands.StateCommand;
import io.twinlog.cli.commands.SubmitCommand;
import io.twinlog.cli.commands.SummaryCommand;
import io.twinlog.cli.commands.TopicsCommand;
import io.twinlog.cli.commands.TwinsCommand;
import io.twinlog.cli.commands.VerifyReadSideCommand;
import io.twinlog.cli.output.CliException;
import io.twinlog.jobs.kafka.KafkaAccessFailure;
import io.twinlog.jobs.state.UnreadableSavepointException;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** twinlog's operator CLI: one entry point, a subcommand per task, --help on each. */
@Command(
        name = "twinlog",
        mixinStandardHelpOptions = true,
        versionProvider = TwinlogCli.BuildVersion.class,
        description =
                "Operate twinlog: topics, the device-twin job, a device simulator, and readers of its topics.")
public final class TwinlogCli {

    /**
     * The subcommands, in the order the help lists them. They are added to the command line here
     * rather than in the annotation so that a run builds the model of its own command only: picocli
     * reflects over every command it is given, which was most of a short command's start
     * (docs/READ-SIDE.md, "The CLI").
     */
    static final List<Class<?>> SUBCOMMANDS =
            List.of(
                    TopicsCommand.class,
                    AclsCommand.class,
                    RulesCommand.class,
                    SubmitCommand.class,
                    SimulateCommand.class,
                    SendCommand.class,
                    AlertsCommand.class,
                    TwinsCommand.class,
                    SummaryCommand.class,
                    SavepointCommands.Take.class,
                    SavepointCommands.Stop.class,
                    CancelCommand.class,
                    JobsCommand.class,
                    JobCommand.class,
                    ResumeCommand.class,
                    SavepointsCommand.class,
                    RebuildCommand.class,
                    StateCommand.class,
                    HistoryCommand.class,
                    AsOfCommand.class,
                    VerifyReadSideCommand.class,
                    ServeCommand.class,
                    CommandLine.HelpCommand.class);

    /** The whole command line, every subcommand in it (help, documentation, tests). */
    public static CommandLine commandLine() {
        CommandLine cli = new CommandLine(new TwinlogCli());
        SUBCOMMANDS.forEach(cli::addSubcommand);
        return cli;
    }

    /**
     * The command line for these arguments: only the subcommand they name when the first is one,
     * else every subcommand (the root's own options, help, a usage error listing them).
     */
    static CommandLine commandLine(String... args) {
        if (args.length > 0) {
            for (Class<?> subcommand : SUBCOMMANDS) {
                if (subcommand != CommandLine.HelpCommand.class
                        && names(subcommand).contains(args[0])) {
                    CommandLine cli = new CommandLine(new TwinlogCli());
                    cli.addSubcommand(subcommand);
                    return cli;
                }
            }
        }
        return commandLine();
    }

    private static List<String> names(Class<?> subcommand) {
        Command command = subcommand.getAnnotation(Command.class);
        List<String> names = new ArrayList<>(List.of(command.aliases()));
        names.add(command.name());
        return names;
    }

    /** The version Maven wrote into the jar's manifest ("development" outside a jar). */
    static final class BuildVersion implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String version = TwinlogCli.class.getPackage().getImplementationVersion();
            return new String[] {"twinlog " + (version == null ? "development" : version)};
        }
    }

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs a command line; returns the exit code (0 ok, 1 failed, 2 usage error). */
    public static int run(String... args) {
        CommandLine cli = commandLine(args);
        cli.setExecutionExceptionHandler(
                (error, commandLine, parsed) -> {
                    var security = KafkaAccessFailure.of(error, "--command-config");
                    if (security.isPresent()) {
                        commandLine.getErr().println("error: " + security.get());
                        return 1;
                    }
                    Throwable shown = error instanceof CliException ? error : rootCause(error);
                    commandLine
                            .getErr()
                            .println(
                                    "error: "
                                            + (shown instanceof CliException
                                                            || shown
                                                                    instanceof
                                                                    UnreadableSavepointException
                                                    ? shown.getMessage()
                                                    : shown.getClass().getSimpleName()
                                                            + ": "
                                                            + shown.getMessage()));
                    return 1;
                });
        try {
            return cli.execute(args);
        } finally {
            cli.getOut().flush();
            cli.getErr().flush();
        }
    }

    /** The first of twinlog's own messages in the chain, or else the innermost cause. */
    private static Throwable rootCause(Throwable error) {
        Throwable cause = error;
        while (cause.getCause() != null && cause.getCause() != cause) {
            if (cause instanceof CliException || cause instanceof UnreadableSavepointException) {
                return cause;
            }
            cause = cause.getCause();
        }
        return cause;
    }
}
