package io.twinlog.cli.commands;

import io.twinlog.cli.flink.FlinkErrors;
import io.twinlog.cli.flink.FlinkRestClient;
import io.twinlog.cli.flink.TwinlogJobs;
import io.twinlog.cli.options.Connection;
import io.twinlog.cli.options.JobOptionsMixin;
import io.twinlog.cli.options.SubmittedSemantics;
import io.twinlog.cli.output.CliException;
import io.twinlog.cli.output.Terminal;
import io.twinlog.options.DeviceTwinJobOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** Uploads the shaded job jar through the Flink REST API and runs DeviceTwinJob. Builds nothing. */
@Command(
        name = "submit",
        mixinStandardHelpOptions = true,
        description =
                "Upload the job jar to the Flink cluster and run DeviceTwinJob from the start of the log.",
        footer =
                "Options after -- go to the job as they are, e.g. -- --silence.timeout 30s --checkpoint.interval 5s."
                        + " The job lists its options with: java -cp <job jar> io.twinlog.jobs.DeviceTwinJob --help")
public final class SubmitCommand implements Callable<Integer> {

    @Mixin Terminal terminal;

    static final String ENTRY_CLASS = "io.twinlog.jobs.DeviceTwinJob";

    @Mixin Connection connection;

    @Mixin Launch launch;

    @Mixin JobOptionsMixin job;

    @Parameters(
            paramLabel = "<job option>",
            description = "further DeviceTwinJob options, after --")
    List<String> jobOptions = new ArrayList<>();

    @Option(
            names = "--if-not-running",
            description =
                    "do nothing when a DeviceTwinJob already reads this event log (instead of refusing)")
    boolean ifNotRunning;

    @Override
    public Integer call() {
        launch.checkJar();
        List<String> args = job.arguments(connection, jobOptions);
        DeviceTwinJobOptions options = JobOptionsMixin.parse(args);
        FlinkRestClient flink = connection.flink();
        if (ifNotRunning) {
            var running =
                    TwinlogJobs.active(flink).stream()
                            .filter(j -> options.topics().events().equals(j.eventsTopic()))
                            .findFirst();
            if (running.isPresent()) {
                terminal.out()
                        .println(
                                "DeviceTwinJob "
                                        + running.get()
                                        + " already reads "
                                        + options.topics().events());
                return 0;
            }
        }
        TwinlogJobs.refuseConflicts(flink, options);
        UnreportedMetrics.warn(connection, options, terminal.out());
        String jobId = launch.submit(connection, args, null, false);
        terminal.out().println("job " + jobId + " " + launch.awaitRunning(connection, jobId));
        terminal.out()
                .println(
                        "  web UI: "
                                + connection.flinkUrl
                                + "/#/job/running/"
                                + jobId
                                + "/overview");
        return 0;
    }

    /** Where the job jar is and how wide it runs: shared by submit and resume. */
    public static final class Launch {

        @Spec(Spec.Target.MIXEE)
        CommandSpec command;

        @Option(
                names = "--jar",
                paramLabel = "<file>",
                defaultValue = "${env:TWINLOG_JOB_JAR}",
                description = "the shaded job jar (default: ${DEFAULT-VALUE})")
        Path jar;

        @Option(
                names = "--parallelism",
                defaultValue = "2",
                description = "job parallelism (default: ${DEFAULT-VALUE})")
        int parallelism;

        /** Uploads the jar and runs the job with these arguments; returns the job id. */
        String submit(
                Connection connection,
                List<String> arguments,
                String savepoint,
                boolean allowNonRestoredState) {
            checkJar();
            FlinkRestClient flink = connection.flink();
            String jarId = flink.uploadJar(jar);
            String jobId;
            try {
                jobId =
                        flink.runJar(
                                jarId,
                                ENTRY_CLASS,
                                parallelism,
                                arguments,
                                savepoint,
                                allowNonRestoredState);
            } finally {
                // Each upload is the whole shaded jar; left behind, they fill the JobManager's
                // disk.
                deleteUploadedJar(flink, jarId);
            }
            SubmittedSemantics.record(jobId, JobOptionsMixin.parse(arguments));
            return jobId;
        }

        private void deleteUploadedJar(FlinkRestClient flink, String jarId) {
            try {
                flink.deleteJar(jarId);
            } catch (RuntimeException e) {
                command.commandLine()
                        .getErr()
                        .println(
                                "note: could not delete the uploaded jar "
                                        + jarId
                                        + ": "
                                        + e.getMessage());
            }
        }

        void checkJar() {
            if (jar == null || !Files.isRegularFile(jar)) {
                throw new CliException(
                        "job jar not found"
                                + (jar == null ? " (give --jar)" : " at " + jar)
                                + ": build it with `mvn -DskipTests package -pl pipeline-jobs -am`");
            }
        }

        /**
         * Waits until every task of the job runs, up to a minute; returns its state. A job that
         * fails, or restarts on the way (a task failed), is a failure: the job's first exception
         * says why.
         */
        public String awaitRunning(Connection connection, String jobId) {
            FlinkRestClient flink = connection.flink();
            long deadline = System.currentTimeMillis() + 60_000;
            String state = "CREATED";
            while (System.currentTimeMillis() < deadline) {
                var jobInfo = flink.job(jobId);
                state = jobInfo.state();
                if (Set.of("FAILED", "FAILING", "RESTARTING", "CANCELED", "FINISHED")
                                .contains(state)
                        || state.equals("RUNNING") && jobInfo.allTasksRunning()) {
                    break;
                }
                FlinkRestClient.pause(500);
            }
            if (Set.of("FAILED", "FAILING", "RESTARTING").contains(state)) {
                throw new CliException(
                        "job "
                                + jobId
                                + " is "
                                + state
                                + ": "
                                + FlinkErrors.latestFailure(
                                        flink.get("/jobs/" + jobId + "/exceptions"))
                                + (state.equals("RESTARTING")
                                        ? " (it keeps restarting: scripts/twinlog stop or cancel it in the Flink web UI)"
                                        : ""));
            }
            return "is " + state;
        }
    }
}
