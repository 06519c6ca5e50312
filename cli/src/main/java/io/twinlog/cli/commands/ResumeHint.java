package io.twinlog.cli.commands;

import io.twinlog.cli.options.Connection;
import io.twinlog.config.Secrets;
import io.twinlog.jobs.config.DeviceTwinJobOptions;
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
                    DeviceTwinJobOptions.BOOTSTRAP_SERVERS.key(),
                    DeviceTwinJobOptions.REGISTRY_URL.key(),
                    DeviceTwinJobOptions.TOPIC_EVENTS.key(),
                    DeviceTwinJobOptions.TOPIC_TWINS.key(),
                    DeviceTwinJobOptions.TOPIC_TWIN_EVENTS.key(),
                    DeviceTwinJobOptions.TOPIC_ALERTS.key(),
                    DeviceTwinJobOptions.TOPIC_LATE.key(),
                    DeviceTwinJobOptions.TOPIC_DLQ.key(),
                    DeviceTwinJobOptions.GROUP_ID.key(),
                    DeviceTwinJobOptions.TRANSACTIONAL_ID_PREFIX.key(),
                    DeviceTwinJobOptions.RULES_FILE.key(),
                    DeviceTwinJobOptions.RULES_JSON.key(),
                    DeviceTwinJobOptions.ACCEPT_OPTION_CHANGE.key());

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
        String events = jobOptions.get(DeviceTwinJobOptions.TOPIC_EVENTS.key());
        if (events != null && !events.equals(connection.topics().events())) {
            // Topics that follow no prefix: name them all.
            FROM_CONNECTION.stream()
                    .filter(
                            k ->
                                    k.startsWith("topic.")
                                            || k.equals(DeviceTwinJobOptions.GROUP_ID.key())
                                            || k.equals(
                                                    DeviceTwinJobOptions.TRANSACTIONAL_ID_PREFIX
                                                            .key()))
                    .sorted()
                    .forEach(k -> jobArgs.addAll(List.of("--" + k, jobOptions.get(k))));
        }
        String rules = jobOptions.get(DeviceTwinJobOptions.RULES_FILE.key());
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
