package io.twinlog.cli;

import io.twinlog.jobs.DeviceTwinJobOptions;
import io.twinlog.schema.TopicNames;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import picocli.CommandLine.Option;

/**
 * DeviceTwinJob's options as the CLI passes them: the connection of the CLI, the rules file, and any
 * further job options after {@code --} (each command declares those itself, as picocli cannot mix
 * positionals from a mixin with the command's own). Submit, resume, rebuild and verify take the
 * same ones, so a rebuilt or verified state is computed with exactly the settings the live job
 * runs with.
 */
public final class JobOptionsMixin {

    @Option(names = "--rules", paramLabel = "<file>", defaultValue = "${env:TWINLOG_RULES}",
            description = "alert rules file, read by the job (default: ${DEFAULT-VALUE})")
    Path rules;

    /** The job's command line, with the further options the command took after {@code --}. */
    List<String> arguments(Connection connection, List<String> jobOptions) {
        TopicNames topics = connection.topics();
        List<String> args = new ArrayList<>(List.of(
                "--bootstrap.servers", connection.bootstrapServers,
                "--schema.registry.url", connection.registryUrl));
        if (!connection.topicPrefix.isEmpty()) {
            args.addAll(List.of("--topic.events", topics.events(), "--topic.twins", topics.twins(),
                    "--topic.twin-events", topics.twinEvents(), "--topic.alerts", topics.alerts(),
                    "--topic.late", topics.late(), "--topic.dlq", topics.deadLetters(),
                    "--group.id", connection.topicPrefix + "twinlog-device-twin",
                    "--transactional.id.prefix", connection.topicPrefix + "twinlog-device-twin"));
        }
        if (rules != null) {
            if (!Files.isRegularFile(rules)) {
                throw new CliException("rules file not found at " + rules);
            }
            args.addAll(List.of("--rules.file", rules.toAbsolutePath().toString()));
        }
        args.addAll(jobOptions);
        return args;
    }

    /** The same options, parsed as the job parses them. */
    DeviceTwinJobOptions parse(Connection connection, List<String> jobOptions) {
        try {
            return DeviceTwinJobOptions.parse(arguments(connection, jobOptions).toArray(String[]::new));
        } catch (IllegalArgumentException | IOException e) {
            throw new CliException("job options: " + e.getMessage());
        }
    }
}
