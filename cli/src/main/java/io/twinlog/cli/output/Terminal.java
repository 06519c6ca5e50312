package io.twinlog.cli.output;

import java.io.PrintWriter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * Where a command writes: picocli's writers of the command line that runs it, so a caller (a test,
 * a script embedding the CLI) decides where output goes, and nothing writes to {@code System.out}
 * behind picocli's back.
 */
@Command // a mixin without options still needs a command annotation for picocli
public final class Terminal {

    @Spec(Spec.Target.MIXEE)
    CommandSpec command;

    public PrintWriter out() {
        return command.commandLine().getOut();
    }

    public PrintWriter err() {
        return command.commandLine().getErr();
    }
}
