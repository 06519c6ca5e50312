package io.twinlog.cli;

import com.fasterxml.jackson.databind.JsonNode;

import io.twinlog.schema.TopicNames;

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
        description = "Upload the job jar to the Flink cluster and run DeviceTwinJob.",
        footer = "Options after -- go to the job as they are, e.g. -- --silence.timeout 30s --checkpoint.interval 5s."
                + " The job lists its options with: java -cp <job jar> io.twinlog.jobs.DeviceTwinJob --help")
public final class SubmitCommand implements Callable<Integer> {

    static final String ENTRY_CLASS = "io.twinlog.jobs.DeviceTwinJob";

    @Mixin
    Connection connection;

    @Option(names = "--jar", paramLabel = "<file>", defaultValue = "${env:TWINLOG_JOB_JAR}",
            description = "the shaded job jar (default: ${DEFAULT-VALUE})")
    Path jar;

    @Option(names = "--parallelism", defaultValue = "2", description = "job parallelism (default: ${DEFAULT-VALUE})")
    int parallelism;

    @Option(names = "--rules", paramLabel = "<file>", defaultValue = "${env:TWINLOG_RULES}",
            description = "alert rules file, read by the JobManager (default: ${DEFAULT-VALUE})")
    Path rules;

    @Option(names = "--from-savepoint", paramLabel = "<path>", description = "restore this savepoint or retained checkpoint")
    String savepoint;

    @Option(names = "--allow-non-restored-state",
            description = "start even if some state of the savepoint belongs to no operator (that state is dropped)")
    boolean allowNonRestoredState;

    @Parameters(paramLabel = "<job option>", description = "further DeviceTwinJob options, after --")
    List<String> jobOptions = new ArrayList<>();

    @Override
    public Integer call() {
        JobSubmission submission = new JobSubmission(connection, jar, parallelism, rules, jobOptions);
        String jobId = submission.submit(savepoint, allowNonRestoredState);
        System.out.println("job " + jobId + " " + submission.awaitRunning(jobId));
        System.out.println("  web UI: " + connection.flinkUrl + "/#/job/running/" + jobId + "/overview");
        return 0;
    }

    /** The job arguments that point the job at the same stack as the CLI. */
    static List<String> connectionArguments(Connection connection) {
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
        return args;
    }

    /** Upload and run, shared by submit and resume. */
    static final class JobSubmission {
        private final Connection connection;
        private final Path jar;
        private final int parallelism;
        private final Path rules;
        private final List<String> jobOptions;

        JobSubmission(Connection connection, Path jar, int parallelism, Path rules, List<String> jobOptions) {
            this.connection = connection;
            this.jar = jar;
            this.parallelism = parallelism;
            this.rules = rules;
            this.jobOptions = jobOptions;
        }

        String submit(String savepoint, boolean allowNonRestoredState) {
            if (jar == null || !Files.isRegularFile(jar)) {
                throw new CliException("job jar not found" + (jar == null ? " (give --jar)" : " at " + jar)
                        + ": build it with `mvn -DskipTests package -pl pipeline-jobs -am`");
            }
            List<String> args = connectionArguments(connection);
            if (rules != null) {
                if (!Files.isRegularFile(rules)) {
                    throw new CliException("rules file not found at " + rules);
                }
                args.addAll(List.of("--rules.file", rules.toAbsolutePath().toString()));
            }
            args.addAll(jobOptions);
            FlinkRestClient flink = connection.flink();
            String jarId = flink.uploadJar(jar);
            return flink.runJar(jarId, ENTRY_CLASS, parallelism, args, savepoint, allowNonRestoredState);
        }

        /** Waits until the job runs (or fails), up to a minute; returns its state. */
        String awaitRunning(String jobId) {
            FlinkRestClient flink = connection.flink();
            long deadline = System.currentTimeMillis() + 60_000;
            String state = "CREATED";
            while (System.currentTimeMillis() < deadline) {
                JsonNode job = flink.get("/jobs/" + jobId);
                state = job.path("state").asText();
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
