package io.twinlog.cli.commands;

import io.twinlog.cli.options.Connection;
import io.twinlog.cli.options.JobOptionsMixin;
import io.twinlog.cli.options.ReadSideOptions;
import io.twinlog.cli.options.ReadSideService;
import io.twinlog.cli.output.CliException;
import io.twinlog.cli.readside.ReadSideClient;
import io.twinlog.readside.ReadSide;
import java.time.Duration;
import java.util.List;
import picocli.CommandLine.Mixin;

/**
 * What the read-side commands share: where the stack is, the job's semantic options, and the index.
 * Each command declares where its job options start among its positional parameters.
 */
public abstract class ReadSideCommand {

    public @Mixin Connection connection;

    public @Mixin JobOptionsMixin job;

    @Mixin ReadSideOptions readSide;

    @Mixin public ReadSideService service;

    /** The job's options, given after {@code --} as to submit. */
    abstract List<String> jobOptions();

    /**
     * Whether to ask the running read side. It folds with the semantic options of the job it
     * serves, so options given here only make sense with {@code --offline}.
     */
    boolean online() {
        if (!service.offline && !jobOptions().isEmpty()) {
            throw new CliException(
                    "job options are for --offline: the running read side folds with the options"
                            + " the job was submitted with");
        }
        return !service.offline;
    }

    ReadSideClient client() {
        return service.client(connection.timeout);
    }

    /** The read side on the index of this name (the CLI's own, or the service's). */
    ReadSide open(String indexName) {
        return open(indexName, null);
    }

    /** The read side on the index of this name, in a read-side group (or alone if null). */
    ReadSide open(String indexName, io.twinlog.readside.group.GroupConfig group) {
        return readSide.open(connection, job, jobOptions(), indexName, group);
    }

    /** The CLI's index, brought up to date with the log before it answers. */
    ReadSide openCaughtUp() {
        ReadSide side = open("cli");
        try {
            side.catchUp(Duration.ofMinutes(30));
        } catch (RuntimeException e) {
            side.close();
            throw e;
        }
        return side;
    }
}
