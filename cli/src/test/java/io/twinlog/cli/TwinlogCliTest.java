package io.twinlog.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * What an operator sees when something is wrong: one clear line and a non-zero exit, no stack
 * trace.
 */
public class TwinlogCliTest {

    @Test
    void aWrongBrokerAddressIsOneLine() throws Exception {
        String dead = "127.0.0.1:" + freePort();
        CliRun run = CliRun.of("topics", "create", "--bootstrap-servers", dead, "--timeout", "2s");

        assertThat(run.exit()).isEqualTo(1);
        assertThat(run.err().strip())
                .startsWith("error: cannot reach Kafka at " + dead + " within 2 s")
                .doesNotContain("\n\tat ");
        assertThat(run.err().strip().lines()).hasSize(1);
    }

    @Test
    void aShareOutsideZeroToOneIsRefusedBeforeAnythingIsSent() {
        CliRun run =
                CliRun.of(
                        "simulate",
                        "--duplicates",
                        "1.5",
                        "--bootstrap-servers",
                        "127.0.0.1:1",
                        "--timeout",
                        "1s");
        assertThat(run.exit()).isEqualTo(1);
        assertThat(run.err())
                .isEqualTo(
                        "error: --duplicates is a share between 0 and 1 (0.01 is 1 %), not 1.5\n");
    }

    @Test
    void aMissingJobJarIsOneLine() {
        CliRun run = CliRun.of("submit", "--jar", "/nonexistent/job.jar");

        assertThat(run.exit()).isEqualTo(1);
        assertThat(run.err().strip())
                .isEqualTo(
                        "error: job jar not found at /nonexistent/job.jar: build it with"
                                + " `mvn -DskipTests package -pl pipeline-jobs -am`");
    }

    @Test
    void anUnreachableFlinkIsOneLine() throws Exception {
        java.nio.file.Path jar = java.nio.file.Files.createTempFile("job", ".jar");
        CliRun run =
                CliRun.of(
                        "submit",
                        "--jar",
                        jar.toString(),
                        "--flink-url",
                        "http://127.0.0.1:" + freePort());

        assertThat(run.exit()).isEqualTo(1);
        assertThat(run.err().strip())
                .startsWith("error: cannot reach Flink at http://127.0.0.1:")
                .contains("scripts/stack status");
    }

    @Test
    void usageErrorsExitWithTwoAndNameTheOption() {
        CliRun run = CliRun.of("simulate", "--duration", "soon");

        assertThat(run.exit()).isEqualTo(2);
        assertThat(run.err()).contains("--duration").contains("not a duration");
    }

    /**
     * Every command of the tree, leaves and groups, walked from the top rather than listed by hand.
     */
    @Test
    void everyCommandHasHelp() {
        List<List<String>> commands = new ArrayList<>();
        collect(TwinlogCli.commandLine(), new ArrayList<>(), commands);
        assertThat(commands)
                .as("the walk reaches the leaves")
                .contains(List.of("state", "verify"), List.of("topics", "list"));
        for (List<String> command : commands) {
            List<String> args = new ArrayList<>(command);
            args.add("--help");
            CliRun run = CliRun.of(args.toArray(String[]::new));
            assertThat(run.exit()).as(String.join(" ", args)).isZero();
            assertThat(run.out()).as(String.join(" ", args)).contains("Usage: twinlog");
        }
    }

    @Test
    void aRunBuildsOnlyTheCommandItNames() {
        assertThat(subcommands("history", "d-1")).containsExactly("history");
        assertThat(subcommands("job", "submit")).containsExactly("job");
        assertThat(subcommands("savepoint", "--help")).containsExactly("savepoint");
        for (String[] args :
                List.of(
                        new String[] {},
                        new String[] {"--version"},
                        new String[] {"help", "history"},
                        new String[] {"no-such-command"})) {
            assertThat(subcommands(args))
                    .as(String.join(" ", args))
                    .hasSameSizeAs(TwinlogCli.SUBCOMMANDS)
                    .contains("history", "serve", "help");
        }
    }

    /** The subcommands a run with these arguments builds, each once under its own name. */
    private static List<String> subcommands(String... args) {
        return TwinlogCli.commandLine(args).getSubcommands().values().stream()
                .distinct()
                .map(CommandLine::getCommandName)
                .toList();
    }

    @Test
    void theJobGroupHoldsTheLifecycleCommandsAndTheOldNamesStillWork() {
        for (String command : List.of("submit", "resume", "savepoint", "stop", "cancel")) {
            CliRun grouped = CliRun.of("job", command, "--help");
            CliRun alone = CliRun.of(command, "--help");
            assertThat(grouped.exit()).as("job " + command).isZero();
            assertThat(alone.exit()).as(command).isZero();
            assertThat(optionLines(grouped.out()))
                    .as("the same options either way")
                    .isNotEmpty()
                    .isEqualTo(optionLines(alone.out()));
            assertThat(grouped.out()).startsWith("Usage: twinlog job " + command + " ");
        }
    }

    /**
     * The option list of a command's help, without the synopsis (its wrapping depends on the name).
     */
    private static List<String> optionLines(String help) {
        return help.lines().filter(line -> line.matches("(  -\\w, |      )--\\S+.*")).toList();
    }

    private static void collect(
            picocli.CommandLine command, List<String> path, List<List<String>> into) {
        into.add(path);
        command.getSubcommands()
                .forEach(
                        (name, sub) -> {
                            if (!name.equals("help")) {
                                List<String> deeper = new ArrayList<>(path);
                                deeper.add(name);
                                collect(sub, deeper, into);
                            }
                        });
    }

    private static int freePort() throws Exception {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
