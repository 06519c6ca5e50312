package io.twinlog.cli.commands;

import io.twinlog.alerts.AlertRules;
import io.twinlog.alerts.AlertRulesFile;
import io.twinlog.cli.options.Connection;
import io.twinlog.cli.options.JobOptionsMixin;
import io.twinlog.cli.options.SubmittedSemantics;
import io.twinlog.cli.output.CliException;
import io.twinlog.options.DeviceTwinJobOptions;
import io.twinlog.schema.rules.RuleSet;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * What the rules commands that take a rules file share: the stack, the job's semantic options
 * (version 0 of the rules among them) and the file.
 */
public final class CandidateRules {

    @Mixin Connection connection;

    @Mixin JobOptionsMixin job;

    @Parameters(index = "0", paramLabel = "<rules file>", description = "the candidate rules")
    Path file;

    @Parameters(
            index = "1..*",
            paramLabel = "<job option>",
            description = "the job's semantic options, after -- (as given to submit)")
    List<String> jobOptions = new ArrayList<>();

    @Spec(Spec.Target.MIXEE)
    CommandSpec command;

    /** The job options whose rules are version 0: those the last submit recorded, else given. */
    DeviceTwinJobOptions jobOptions() {
        return new SubmittedSemantics(
                        SubmittedSemantics.defaultFile(),
                        JobOptionsMixin.base(connection),
                        jobOptions,
                        job.arguments(connection, jobOptions),
                        () ->
                                command.commandLine()
                                        .getErr()
                                        .println(
                                                "rules in force: those the last submit recorded in "
                                                        + SubmittedSemantics.defaultFile()))
                .get();
    }

    /** The file's rules, checked. */
    AlertRules rules() throws IOException {
        try {
            return AlertRulesFile.read(file);
        } catch (IllegalArgumentException e) {
            throw new CliException(e.getMessage());
        }
    }

    /** The rules in force now: the newest version published in the log, else version 0. */
    static AlertRules newest(List<RuleSet> published, DeviceTwinJobOptions options) {
        return published.isEmpty()
                ? options.rules()
                : AlertRulesFile.parse(published.get(published.size() - 1).getRules());
    }
}
