package io.twinlog.cli.commands;

import io.twinlog.cli.options.Connection;
import io.twinlog.cli.options.TailOptions;
import io.twinlog.cli.output.RecordLines;
import io.twinlog.cli.output.Terminal;
import io.twinlog.schema.twin.DeviceTwin;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

@Command(
        name = "twins",
        mixinStandardHelpOptions = true,
        description = "Read the twin topic.",
        subcommands = TwinsCommand.Tail.class)
public final class TwinsCommand {

    @Command(
            name = "tail",
            mixinStandardHelpOptions = true,
            description =
                    "Print twins as they change, read_committed (the topic is compacted: from the beginning"
                            + " it shows at least the latest twin of every device).")
    static final class Tail implements Callable<Integer> {

        @Mixin Terminal terminal;

        @Mixin Connection connection;

        @Mixin TailOptions options;

        @Override
        public Integer call() {
            new TopicTail<>(
                            connection,
                            connection.topics().twins(),
                            DeviceTwin.class,
                            RecordLines::twin)
                    .run(options, terminal.out(), terminal.err());
            return 0;
        }
    }
}
