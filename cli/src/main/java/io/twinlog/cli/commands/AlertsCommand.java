package io.twinlog.cli.commands;

import io.twinlog.cli.options.Connection;
import io.twinlog.cli.options.TailOptions;
import io.twinlog.cli.output.RecordLines;
import io.twinlog.cli.output.Terminal;
import io.twinlog.schema.alert.Alert;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

@Command(
        name = "alerts",
        mixinStandardHelpOptions = true,
        description = "Read the alert topic.",
        subcommands = AlertsCommand.Tail.class)
public final class AlertsCommand {

    @Command(
            name = "tail",
            mixinStandardHelpOptions = true,
            description = "Print alerts (RAISED / CLEARED) as they are committed, read_committed.")
    static final class Tail implements Callable<Integer> {

        @Mixin Terminal terminal;

        @Mixin Connection connection;

        @Mixin TailOptions options;

        @Override
        public Integer call() {
            new TopicTail<>(
                            connection,
                            connection.topics().alerts(),
                            Alert.class,
                            RecordLines::alert)
                    .run(options, terminal.out(), terminal.err());
            return 0;
        }
    }
}
