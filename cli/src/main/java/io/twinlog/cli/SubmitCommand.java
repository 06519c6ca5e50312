package io.twinlog.cli;

import com.fasterxml.jackson.databind.JsonNode;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** Uploads the shaded job jar through the Flink REST API and runs DeviceTwinJob. Builds nothing. */
@Command(name = "submit", mixinStandardHelpOptions = true,
        description = "Upload the job jar to the Flink cluster and run DeviceTwinJob from the start of the log.",
        footer = "Options after -- go to the job as they are, e.g. -- --silence.timeout 30s --checkpoint.interval 5s."
                + " The job lists its options with: java -cp <job jar> io.twinlog.jobs.DeviceTwinJob --help")
public final class SubmitCommand implements Callable<Integer> {

    static final String ENTRY_CLASS = "io.twinlog.jobs.DeviceTwinJob";

    @Mixin
    Connection connection;

    @Mixin
    Launch launch;

    @Mixin
    JobOptionsMixin job;

    @Parameters(paramLabel = "<job option>", description = "further DeviceTwinJob options, after --")
    List<String> jobOptions = new ArrayList<>();

    @Override
    public Integer call() {
        String jobId = launch.submit(connection, job, jobOptions, null, false);
        System.out.println("job " + jobId + " " + launch.awaitRunning(connection, jobId));
        System.out.println("  web UI: " + connection.flinkUrl + "/#/job/running/" + jobId + "/overview");
        return 0;
    }

    /** Where the job jar is and how wide it runs: shared by submit and resume. */
    static final class Launch {

        @Option(names = "--jar", paramLabel = "<file>", defaultValue = "${env:TWINLOG_JOB_JAR}",
                description = "the shaded job jar (default: ${DEFAULT-VALUE})")
        Path jar;

        @Option(names = "--parallelism", defaultValue = "2", description = "job parallelism (default: ${DEFAULT-VALUE})")
        int parallelism;

        String submit(Connection connection, JobOptionsMixin job, List<String> jobOptions, String savepoint,
                boolean allowNonRestoredState) {
            if (jar == null || !Files.isRegularFile(jar)) {
                throw new CliException("job jar not found" + (jar == null ? " (give --jar)" : " at " + jar)
                        + ": build it with `mvn -DskipTests package -pl pipeline-jobs -am`");
            }
            var arguments = job.arguments(connection, jobOptions);
            FlinkRestClient flink = connection.flink();
            String jarId = flink.uploadJar(jar);
            return flink.runJar(jarId, ENTRY_CLASS, parallelism, arguments, savepoint, allowNonRestoredState);
        }

        /** Waits until the job runs (or fails), up to a minute; returns its state. */
        String awaitRunning(Connection connection, String jobId) {
            FlinkRestClient flink = connection.flink();
            long deadline = System.currentTimeMillis() + 60_000;
            String state = "CREATED";
            while (System.currentTimeMillis() < deadline) {
                JsonNode jobInfo = flink.get("/jobs/" + jobId);
                state = jobInfo.path("state").asText();
                if (state.equals("RUNNING") || state.equals("FAILED") || state.equals("FINISHED")) {
                    break;
                }
                sleep(500);
            }
            if (state.equals("FAILED")) {
                JsonNode exceptions = flink.get("/jobs/" + jobId + "/exceptions");
                throw new CliException("job " + jobId + " failed: "
                        + exceptions.path("rootException").asText("see the Flink web UI").split("\n")[0]);
            }
            return "is " + state;
        }
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CliException("interrupted");
        }
    }
}
