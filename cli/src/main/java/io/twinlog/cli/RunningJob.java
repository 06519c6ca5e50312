package io.twinlog.cli;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.List;

/** Finds the DeviceTwinJob to act on when the user names none. */
final class RunningJob {

    static final String JOB_NAME = "twinlog DeviceTwinJob";

    private RunningJob() {}

    /** The given job id, or the one running DeviceTwinJob on the cluster. */
    static String resolve(FlinkRestClient flink, String jobId) {
        if (jobId != null) {
            return jobId;
        }
        List<String> running = new ArrayList<>();
        for (JsonNode job : flink.get("/jobs/overview").path("jobs")) {
            if (job.path("name").asText().equals(JOB_NAME) && job.path("state").asText().equals("RUNNING")) {
                running.add(job.path("jid").asText());
            }
        }
        if (running.size() != 1) {
            throw new CliException(running.isEmpty() ? "no DeviceTwinJob is running on " + flink.url()
                    : running.size() + " DeviceTwinJobs are running " + running + ": name one with --job");
        }
        return running.get(0);
    }
}
