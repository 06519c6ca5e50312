package io.twinlog.cli;

import io.twinlog.jobs.DeviceTwinJobOptions;
import io.twinlog.schema.TopicNames;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * DeviceTwinJob's options as the CLI passes them: the connection of the CLI, the rules file, and any
 * further job options after {@code --}. Submit, resume, rebuild and verify take the same ones, so a
 * rebuilt or verified state is computed with exactly the settings the live job runs with.
 */
public final class JobOptionsMixin {

    @Option(names = "--rules", paramLabel = "<file>", defaultValue = "${env:TWINLOG_RULES}",
            description = "alert rules file, read by the job (default: ${DEFAULT-VALUE})")
    Path rules;

    @Parameters(paramLabel = "<job option>", description = "further DeviceTwinJob options, after --")
    List<String> jobOptions = new ArrayList<>();

    /** The job's command line. */
    List<String> arguments(Connection connection) {
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
    DeviceTwinJobOptions parse(Connection connection) {
        try {
            return DeviceTwinJobOptions.parse(arguments(connection).toArray(String[]::new));
        } catch (IllegalArgumentException | IOException e) {
            throw new CliException("job options: " + e.getMessage());
        }
    }
}
