package io.twinlog.cli.flink;

import io.twinlog.cli.output.CliException;
import io.twinlog.jobs.DeviceTwinJob;
import io.twinlog.options.DeviceTwinJobOptions;
import io.twinlog.options.SinkOptions;
import io.twinlog.options.SourceOptions;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The DeviceTwinJobs on a Flink cluster, with the options each runs with (the job publishes them as
 * its parameters, visible under {@code /jobs/<id>/config}). Two jobs reading the same event log or
 * writing with the same transactional id prefix would write every output twice and fence each
 * other's transactions, so the CLI starts no job next to one of those, and acts on the job of the
 * topics it is pointed at.
 */
public final class TwinlogJobs {

    /** States in which a job holds, or may soon hold, slots and producers. */
    public static final Set<String> ACTIVE =
            Set.of(
                    "INITIALIZING",
                    "CREATED",
                    "RUNNING",
                    "RESTARTING",
                    "FAILING",
                    "CANCELLING",
                    "RECONCILING");

    /** One job: id, state, and its options (empty for a job that published none). */
    public record Job(String id, String state, Map<String, String> options) {
        public String eventsTopic() {
            return options.get(SourceOptions.TOPIC_EVENTS.key());
        }

        String transactionalIdPrefix() {
            return options.get(SinkOptions.TRANSACTIONAL_ID_PREFIX.key());
        }

        @Override
        public String toString() {
            return id
                    + " ("
                    + state
                    + (eventsTopic() == null ? "" : ", reading " + eventsTopic())
                    + ")";
        }
    }

    private TwinlogJobs() {}

    /** The DeviceTwinJobs that are not finished, failed or cancelled. */
    public static List<Job> active(FlinkRestClient flink) {
        List<Job> jobs = new ArrayList<>();
        for (var job : flink.jobs().jobs()) {
            if (DeviceTwinJob.JOB_NAME.equals(job.name()) && ACTIVE.contains(job.state())) {
                jobs.add(new Job(job.jid(), job.state(), options(flink, job.jid())));
            }
        }
        return jobs;
    }

    /** The options a job published (empty when it published none). */
    public static Map<String, String> options(FlinkRestClient flink, String jobId) {
        Map<String, String> options = new LinkedHashMap<>();
        flink.get("/jobs/" + jobId + "/config")
                .path("execution-config")
                .path("user-config")
                .fields()
                .forEachRemaining(e -> options.put(e.getKey(), e.getValue().asText()));
        return options;
    }

    /**
     * The given job id, or the one active DeviceTwinJob reading {@code eventsTopic} (a job that
     * published no options counts when it is the only one).
     */
    public static String resolve(FlinkRestClient flink, String jobId, String eventsTopic) {
        if (jobId != null) {
            return jobId;
        }
        List<Job> active = active(flink);
        List<Job> matching =
                active.stream().filter(j -> eventsTopic.equals(j.eventsTopic())).toList();
        if (matching.isEmpty() && active.size() == 1 && active.get(0).options().isEmpty()) {
            matching = active;
        }
        if (matching.size() != 1) {
            throw new CliException(
                    matching.isEmpty()
                            ? "no DeviceTwinJob reading "
                                    + eventsTopic
                                    + " is running on "
                                    + flink.url()
                                    + (active.isEmpty()
                                            ? ""
                                            : " (others: "
                                                    + active
                                                    + "; choose with --topic-prefix or --job)")
                            : matching.size()
                                    + " DeviceTwinJobs read "
                                    + eventsTopic
                                    + ": "
                                    + matching
                                    + "; name one with --job");
        }
        return matching.get(0).id();
    }

    /**
     * Refuses to start a job next to an active one that reads the same event log or writes with the
     * same transactional id prefix, or whose options are unknown.
     */
    public static void refuseConflicts(FlinkRestClient flink, DeviceTwinJobOptions options) {
        String events = options.topics().events();
        String prefix = options.get(SinkOptions.TRANSACTIONAL_ID_PREFIX);
        for (Job job : active(flink)) {
            String clash =
                    job.options().isEmpty()
                            ? "publishes no options, so it may read " + events
                            : events.equals(job.eventsTopic())
                                    ? "reads " + events
                                    : prefix.equals(job.transactionalIdPrefix())
                                            ? "writes with the transactional id prefix " + prefix
                                            : null;
            if (clash != null) {
                throw new CliException(
                        "DeviceTwinJob "
                                + job.id()
                                + " is "
                                + job.state()
                                + " and "
                                + clash
                                + ": a second job would write every output again and fence the first one's transactions."
                                + " Stop it first (scripts/twinlog stop --job "
                                + job.id()
                                + ", which keeps a savepoint to"
                                + " resume from), or give this job its own topics (--topic-prefix).");
            }
        }
    }
}
