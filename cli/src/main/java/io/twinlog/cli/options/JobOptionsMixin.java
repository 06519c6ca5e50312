package io.twinlog.cli.options;

import io.twinlog.cli.output.CliException;
import io.twinlog.options.DeviceTwinJobOptions;
import io.twinlog.options.FoldOptions;
import io.twinlog.options.JobManifest;
import io.twinlog.options.SemanticOptions;
import io.twinlog.schema.TopicNames;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.configuration.ConfigOption;
import picocli.CommandLine.Option;

/**
 * DeviceTwinJob's options as the CLI passes them: the connection of the CLI, the rules file, and
 * any further job options after {@code --} (each command declares those itself, as picocli cannot
 * mix positionals from a mixin with the command's own).
 *
 * <p>A job's outputs are a function of the log and of its semantic options, which its savepoints
 * record. Commands that continue or check a savepoint (resume, state verify, rebuild from a
 * savepoint's range) take those recorded options for every one the user does not give, the rules
 * included; a new job takes the defaults and {@code $TWINLOG_RULES}.
 */
public final class JobOptionsMixin {

    /**
     * A job options file every job the CLI submits gets ({@code --config}): the secured local stack
     * puts the job's Kafka and registry client settings there, secrets by reference.
     */
    static final String JOB_CONFIG_ENV = "TWINLOG_JOB_CONFIG";

    @Option(
            names = "--rules",
            paramLabel = "<file>",
            description =
                    "alert rules file, read by the job (default: the rules recorded in the savepoint when"
                            + " there is one, else $TWINLOG_RULES)")
    public Path rules;

    /** The job's command line for a job without recorded options. */
    public List<String> arguments(Connection connection, List<String> jobOptions) {
        List<String> args = base(connection);
        Path file = rules != null ? rules : environmentRules();
        if (file != null && !givesRules(jobOptions)) {
            args.addAll(rulesFile(file));
        }
        args.addAll(jobOptions);
        return args;
    }

    /**
     * The job's command line continuing a state: what the user gave, and the recorded value of
     * every semantic option the user did not give.
     */
    public List<String> arguments(
            Connection connection, List<String> jobOptions, JobManifest recorded) {
        List<String> args = base(connection);
        if (rules != null) {
            args.addAll(rulesFile(rules));
        }
        args.addAll(jobOptions);
        DeviceTwinJobOptions given = parse(args);
        var values = recorded.semantics().values();
        for (ConfigOption<?> param : SemanticOptions.PARAMS) {
            if (!given.isSet(param) && values.containsKey(param.key())) {
                args.addAll(List.of("--" + param.key(), values.get(param.key())));
            }
        }
        if (!given.isSet(FoldOptions.RULES_FILE)
                && !given.isSet(FoldOptions.RULES_JSON)
                && values.containsKey(SemanticOptions.RULES)) {
            args.addAll(
                    List.of(
                            "--" + FoldOptions.RULES_JSON.key(),
                            values.get(SemanticOptions.RULES)));
        }
        return args;
    }

    /** The options parsed as the job parses them. */
    public static DeviceTwinJobOptions parse(List<String> args) {
        try {
            return DeviceTwinJobOptions.parse(args.toArray(String[]::new));
        } catch (IllegalArgumentException | IOException e) {
            throw new CliException("job options: " + e.getMessage());
        }
    }

    /** The options of a job without recorded options, parsed. */
    public DeviceTwinJobOptions parse(Connection connection, List<String> jobOptions) {
        return parse(arguments(connection, jobOptions));
    }

    public static List<String> base(Connection connection) {
        TopicNames topics = connection.topics();
        List<String> args =
                new ArrayList<>(
                        List.of(
                                "--bootstrap.servers", connection.bootstrapServers,
                                "--schema.registry.url", connection.registryUrl));
        String jobConfig = System.getenv(JOB_CONFIG_ENV);
        if (jobConfig != null && !jobConfig.isBlank()) {
            // read by the job where its main runs (the JobManager): on the local stack, this
            // machine
            args.addAll(List.of("--config", Path.of(jobConfig).toAbsolutePath().toString()));
        }
        if (!connection.topicPrefix.isEmpty()) {
            args.addAll(
                    List.of(
                            "--topic.events",
                            topics.events(),
                            "--topic.twins",
                            topics.twins(),
                            "--topic.twin-events",
                            topics.twinEvents(),
                            "--topic.alerts",
                            topics.alerts(),
                            "--topic.late",
                            topics.late(),
                            "--topic.dlq",
                            topics.deadLetters(),
                            "--group.id",
                            connection.topicPrefix + "twinlog-device-twin",
                            "--transactional.id.prefix",
                            connection.topicPrefix + "twinlog-device-twin"));
        }
        return args;
    }

    private static List<String> rulesFile(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new CliException("rules file not found at " + file);
        }
        return List.of("--" + FoldOptions.RULES_FILE.key(), file.toAbsolutePath().toString());
    }

    private static boolean givesRules(List<String> jobOptions) {
        return jobOptions.stream()
                .anyMatch(
                        o ->
                                o.startsWith("--" + FoldOptions.RULES_FILE.key())
                                        || o.startsWith("--" + FoldOptions.RULES_JSON.key()));
    }

    private static Path environmentRules() {
        String file = System.getenv("TWINLOG_RULES");
        return file == null || file.isBlank() ? null : Path.of(file);
    }
}
