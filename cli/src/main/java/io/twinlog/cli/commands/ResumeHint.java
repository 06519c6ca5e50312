package io.twinlog.cli.commands;

import io.twinlog.cli.options.Connection;
import io.twinlog.config.Secrets;
import io.twinlog.options.DeviceTwinJobOptions;
import io.twinlog.options.FoldOptions;
import io.twinlog.options.SinkOptions;
import io.twinlog.options.SourceOptions;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The command that resumes a stopped job as it ran: its topics, connection and every option it ran
 * with that differs from the default. (The semantic options are recorded in the savepoint too, and
 * {@code resume} takes them from there; printing them keeps the command self-explanatory.)
 */
public final class ResumeHint {

    /** Options the CLI derives from --topic-prefix, or passes from its own connection. */
    private static final Set<String> FROM_CONNECTION =
            Set.of(
                    SourceOptions.BOOTSTRAP_SERVERS.key(),
                    SourceOptions.REGISTRY_URL.key(),
                    SourceOptions.TOPIC_EVENTS.key(),
                    SinkOptions.TOPIC_TWINS.key(),
                    SinkOptions.TOPIC_TWIN_EVENTS.key(),
                    SinkOptions.TOPIC_ALERTS.key(),
                    SinkOptions.TOPIC_LATE.key(),
                    SinkOptions.TOPIC_DLQ.key(),
                    SourceOptions.GROUP_ID.key(),
                    SinkOptions.TRANSACTIONAL_ID_PREFIX.key(),
                    FoldOptions.RULES_FILE.key(),
                    FoldOptions.RULES_JSON.key(),
                    FoldOptions.ACCEPT_OPTION_CHANGE.key());

    private ResumeHint() {}

    public static String of(
            String savepoint, Connection connection, Map<String, String> jobOptions) {
        Map<String, String> defaults;
        try {
            defaults = DeviceTwinJobOptions.parse().asText();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<String> command =
                new ArrayList<>(List.of("scripts/twinlog", "resume", "--from", savepoint));
        List<String> jobArgs = new ArrayList<>();
        if (!connection.topicPrefix.isEmpty()) {
            command.addAll(List.of("--topic-prefix", connection.topicPrefix));
        }
        String events = jobOptions.get(SourceOptions.TOPIC_EVENTS.key());
        if (events != null && !events.equals(connection.topics().events())) {
            // Topics that follow no prefix: name them all.
            FROM_CONNECTION.stream()
                    .filter(
                            k ->
                                    k.startsWith("topic.")
                                            || k.equals(SourceOptions.GROUP_ID.key())
                                            || k.equals(SinkOptions.TRANSACTIONAL_ID_PREFIX.key()))
                    .sorted()
                    .forEach(k -> jobArgs.addAll(List.of("--" + k, jobOptions.get(k))));
        }
        String rules = jobOptions.get(FoldOptions.RULES_FILE.key());
        if (rules != null) {
            command.addAll(List.of("--rules", rules));
        }
        jobOptions.forEach(
                (key, value) -> {
                    // a literal secret from the job's config file is published hidden: the
                    // config file gives it again
                    if (!FROM_CONNECTION.contains(key)
                            && !value.equals(defaults.get(key))
                            && !Secrets.HIDDEN.equals(value)) {
                        jobArgs.addAll(List.of("--" + key, value));
                    }
                });
        if (!jobArgs.isEmpty()) {
            command.add("--");
            command.addAll(jobArgs);
        }
        return String.join(" ", command.stream().map(ResumeHint::quoted).toList());
    }

    private static String quoted(String word) {
        return word.matches("[\\w@%+=:,./-]+") ? word : "'" + word.replace("'", "'\\''") + "'";
    }
}
