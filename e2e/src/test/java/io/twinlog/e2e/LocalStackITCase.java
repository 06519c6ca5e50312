package io.twinlog.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.Socket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The local stack for real, through the project's own scripts: stack up (twice), topics create,
 * submit, a short simulation with faults, the CLI's read_committed consumers, checked against what
 * the simulator reports it sent; then stack down, and no process may be left.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class LocalStackITCase {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int DEVICES = 300;

    private Scripts scripts;
    private long decommissioned;

    @BeforeAll
    void up() throws Exception {
        Path root = Path.of("..").toAbsolutePath().normalize();
        Path work = Path.of("target", "stack-work").toAbsolutePath();
        deleteRecursively(
                work); // a stack of an earlier run (stopped by it) must not leave topics or state
        // behind
        Files.createDirectories(work);
        scripts = new Scripts(root, work);

        Scripts.Result up = scripts.run(Duration.ofMinutes(5), "stack", "up").ok();
        assertThat(up.output())
                .contains(
                        "kafka: ready",
                        "registry: ready",
                        "jobmanager: ready",
                        "taskmanager: ready",
                        "readside: ready");
        Scripts.Result again = scripts.run(Duration.ofMinutes(1), "stack", "up").ok();
        assertThat(again.output())
                .as("up twice is harmless")
                .contains(
                        "kafka: already running",
                        "registry: already running",
                        "jobmanager: already running",
                        "taskmanager: already running",
                        "readside: already running");
    }

    @AfterAll
    void downLeavesNothingRunning() throws Exception {
        // The folder also holds start locks and the supervisors' pid files: five components, and
        // a supervisor each for the TaskManager and the read side, all of which down must stop.
        List<Long> pids = new ArrayList<>();
        List<String> names = new ArrayList<>();
        try (Stream<Path> files = Files.list(scripts.work.resolve("pids"))) {
            for (Path file : files.filter(f -> f.toString().endsWith(".pid")).toList()) {
                names.add(file.getFileName().toString());
                pids.add(Long.parseLong(Files.readString(file).trim()));
            }
        }
        assertThat(names)
                .containsExactlyInAnyOrder(
                        "kafka.pid",
                        "registry.pid",
                        "jobmanager.pid",
                        "taskmanager.pid",
                        "readside.pid",
                        "taskmanager.supervisor.pid",
                        "readside.supervisor.pid");

        // The job still runs: down stops it with a savepoint rather than losing it with the
        // cluster.
        assertThat(scripts.run(Duration.ofMinutes(5), "stack", "down").ok().output())
                .contains("job stopped with a savepoint")
                .contains("scripts/stack up --resume starts it from there");
        String savepoint = Files.readString(scripts.work.resolve("last-savepoint")).strip();
        assertThat(
                        savepoint.startsWith("file:")
                                ? Path.of(java.net.URI.create(savepoint))
                                : Path.of(savepoint))
                .isDirectory();

        for (long pid : pids) {
            assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false))
                    .as("pid %d", pid)
                    .isFalse();
        }
        for (String port :
                List.of(
                        "TWINLOG_KAFKA_PORT",
                        "TWINLOG_REGISTRY_PORT",
                        "TWINLOG_FLINK_PORT",
                        "TWINLOG_READ_SIDE_PORT")) {
            assertThat(listening(scripts.port(port))).as(port).isFalse();
        }
        assertThat(scripts.run(Duration.ofMinutes(1), "stack", "status").exit())
                .as("status reports it down")
                .isNotZero();

        // A pid file naming a process that is not the stack's (here: this test's JVM) is ignored.
        long self = ProcessHandle.current().pid();
        Files.writeString(scripts.work.resolve("pids").resolve("kafka.pid"), Long.toString(self));
        assertThat(scripts.run(Duration.ofMinutes(1), "stack", "down").ok().output())
                .contains("pid " + self)
                .contains("is not this stack's");

        // clean asks (no terminal here: refused), deletes with --yes, and only its own folders.
        Scripts.Result unconfirmed = scripts.run(Duration.ofMinutes(1), "stack", "clean");
        assertThat(unconfirmed.exit()).isNotZero();
        assertThat(unconfirmed.output()).contains("scripts/stack clean --yes");
        assertThat(scripts.work.resolve("kafka")).exists();
        Path foreign = Files.createTempDirectory(scripts.work.getParent(), "not-a-stack");
        Files.writeString(foreign.resolve("precious.txt"), "keep me");
        Scripts other = new Scripts(scripts.root, foreign);
        Scripts.Result refused = other.run(Duration.ofMinutes(1), "stack", "clean", "--yes");
        assertThat(refused.exit()).isNotZero();
        assertThat(refused.output()).contains("not a folder scripts/stack made");
        assertThat(foreign.resolve("precious.txt")).exists();
        assertThat(scripts.run(Duration.ofMinutes(1), "stack", "clean", "--yes").ok().output())
                .contains("removed " + scripts.work);
        assertThat(scripts.work).doesNotExist();
    }

    @Test
    @Order(1)
    void thePipelineRunsOnTheStackAndTheConsumersSeeWhatWasSent() throws Exception {
        assertThat(scripts.run(Duration.ofMinutes(1), "twinlog", "topics", "create").ok().output())
                .contains("created  device-events")
                .contains("BACKWARD_TRANSITIVE");
        assertThat(scripts.run(Duration.ofMinutes(1), "twinlog", "topics", "create").ok().output())
                .as("idempotent")
                .contains("exists   device-events");
        assertThat(
                        scripts.run(
                                        Duration.ofMinutes(2),
                                        "twinlog",
                                        "submit",
                                        "--",
                                        "--checkpoint.interval",
                                        "2s",
                                        "--silence.timeout",
                                        "1h")
                                .ok()
                                .output())
                .contains("is RUNNING");
        assertThat(
                        JSON.readTree(
                                        URI.create(
                                                        "http://localhost:"
                                                                + scripts.port("TWINLOG_FLINK_PORT")
                                                                + "/jars")
                                                .toURL())
                                .path("files"))
                .as("the uploaded jar is deleted once the job runs")
                .isEmpty();
        Scripts.Result second = scripts.run(Duration.ofMinutes(1), "twinlog", "submit");
        assertThat(second.exit()).as("a second job on the same log is refused").isEqualTo(1);
        assertThat(second.output())
                .contains("is RUNNING and reads device-events")
                .contains("scripts/twinlog stop --job");
        assertThat(
                        scripts.run(Duration.ofMinutes(1), "twinlog", "submit", "--if-not-running")
                                .ok()
                                .output())
                .contains("already reads device-events");

        Scripts.Result simulated =
                scripts.run(
                                Duration.ofMinutes(2),
                                "twinlog",
                                "simulate",
                                "--seed",
                                "1",
                                "--devices",
                                Integer.toString(DEVICES),
                                "--rate",
                                "300",
                                "--duration",
                                "15s",
                                "--duplicates",
                                "0.02",
                                "--late",
                                "0.01",
                                "--out-of-order",
                                "0.02",
                                "--malformed",
                                "0.02",
                                "--decommissions",
                                "0.002",
                                "--firmware-updates",
                                "0.01",
                                "--quiet")
                        .ok();
        Map<String, Long> sent = sentCounts(simulated.output());
        assertThat(sent.get("registration")).isEqualTo(DEVICES);
        assertThat(sent.get("malformed")).isPositive();

        String summary = awaitSummary(sent);
        assertThat(count(summary, "twins")).isEqualTo(DEVICES);

        Map<String, JsonNode> twins = latestTwins();
        assertThat(twins).hasSize(DEVICES);
        assertThat(
                        twins.values().stream()
                                .mapToLong(t -> t.path("counters").path("duplicates").asLong())
                                .sum())
                .as("duplicates counted by the twins")
                .isEqualTo(sent.getOrDefault("duplicate", 0L));
        assertThat(
                        twins.values().stream()
                                .mapToLong(t -> t.path("counters").path("late").asLong())
                                .sum())
                .as("late events counted by the twins")
                .isEqualTo(sent.getOrDefault("late", 0L));
        decommissioned = sent.getOrDefault("decommissioning", 0L);
        assertThat(
                        twins.values().stream()
                                .filter(t -> t.path("status").asText().equals("DECOMMISSIONED"))
                                .count())
                .isEqualTo(decommissioned);

        List<JsonNode> alerts =
                lines(
                        scripts.run(
                                        Duration.ofMinutes(1),
                                        "twinlog",
                                        "alerts",
                                        "tail",
                                        "--from-beginning",
                                        "--json",
                                        "--idle-exit",
                                        "3s")
                                .ok()
                                .output());
        assertThat(alerts)
                .anySatisfy(
                        a -> assertThat(a.path("ruleId").asText()).isEqualTo("temperature-high"));
        Map<String, JsonNode> open = new HashMap<>();
        for (JsonNode alert : alerts) {
            String id = alert.path("alertId").asText();
            if (alert.path("status").asText().equals("RAISED")) {
                assertThat(open.put(id, alert)).as("one RAISED per episode").isNull();
            } else {
                assertThat(open.remove(id)).as("CLEARED %s follows its RAISED", id).isNotNull();
            }
        }
        String readable =
                scripts.run(
                                Duration.ofMinutes(1),
                                "twinlog",
                                "alerts",
                                "tail",
                                "--from-beginning",
                                "--max",
                                "3")
                        .ok()
                        .output();
        assertThat(
                        readable.lines()
                                .filter(l -> l.contains("RAISED") || l.contains("CLEARED"))
                                .count())
                .isEqualTo(3);

        // A backtest of the rules in force reproduces the job's own episodes (its fold is the
        // job's); a candidate with a higher threshold removes some and adds none for that rule.
        Map<String, Long> raisedByRule = new HashMap<>();
        for (JsonNode alert : alerts) {
            if (alert.path("status").asText().equals("RAISED")
                    && !alert.path("ruleId").asText().equals("device-silent")) {
                raisedByRule.merge(alert.path("ruleId").asText(), 1L, Long::sum);
            }
        }
        Path candidate = scripts.work.resolve("candidate-rules.json");
        Files.writeString(
                candidate,
                Files.readString(scripts.root.resolve("scripts/conf/alert-rules.json"))
                        .replace("\"high\": 80,", "\"high\": 84,"));
        assertThat(
                        scripts.run(
                                        Duration.ofMinutes(1),
                                        "twinlog",
                                        "rules",
                                        "diff",
                                        candidate.toString())
                                .ok()
                                .output())
                .contains("~ temperature-high: high 80.0 -> 84.0");
        JsonNode backtest =
                jsonDocument(
                        scripts.run(
                                        Duration.ofMinutes(2),
                                        "twinlog",
                                        "rules",
                                        "backtest",
                                        candidate.toString(),
                                        "--json")
                                .ok()
                                .output());
        Map<String, JsonNode> byRule = new HashMap<>();
        backtest.path("rules").forEach(r -> byRule.put(r.path("ruleId").asText(), r));
        assertThat(byRule.keySet())
                .containsExactlyInAnyOrder(
                        "temperature-high", "temperature-critical", "battery-low");
        raisedByRule.forEach(
                (rule, raised) ->
                        assertThat(byRule.get(rule).path("inForce").asLong())
                                .as("episodes of %s in force", rule)
                                .isEqualTo(raised));
        JsonNode high = byRule.get("temperature-high");
        assertThat(high.path("candidate").asLong()).isLessThan(high.path("inForce").asLong());
        assertThat(high.path("removed").size()).isPositive();
        assertThat(byRule.get("battery-low").path("added").size()).isZero();
        assertThat(byRule.get("battery-low").path("removed").size()).isZero();

        // The candidate goes live as version 1, into the log, without a restart: the next test's
        // events are evaluated with it, its rebuild and diff follow it, and the read side's
        // verification (third test) folds with it too.
        String[] publish = {"rules", "publish", candidate.toString(), "--comment", "e2e"};
        assertThat(scripts.run(Duration.ofMinutes(1), "twinlog", publish).ok().output())
                .contains("~ temperature-high: high 80.0 -> 84.0")
                .contains("published rules version 1 to the")
                .contains("the running job took version 1 in every partition");
        assertThat(scripts.run(Duration.ofMinutes(1), "twinlog", publish).exit())
                .as("the same rules again: nothing to publish")
                .isEqualTo(1);
        assertThat(scripts.run(Duration.ofMinutes(1), "twinlog", "rules", "list").ok().output())
                .containsPattern("(?m)^1 +3 .* e2e$");
        assertThat(
                        scripts.run(Duration.ofMinutes(1), "twinlog", "rules", "show", "1")
                                .ok()
                                .output())
                .contains("rules version 1, published")
                .contains("\"high\" : 84.0");
    }

    /**
     * Operations on the state of the job the first test left running: savepoint, stop, rebuild from
     * the log, diff, verify, inspect, and resume from the rebuilt savepoint.
     */
    @Test
    @Order(2)
    void theStateRoundTripsThroughSavepointsAndTheLog() throws Exception {
        long rejectedBefore = rejections(latestTwins());
        String taken =
                savepointPath(
                        scripts.run(Duration.ofMinutes(2), "twinlog", "savepoint").ok().output());
        String stopOutput = scripts.run(Duration.ofMinutes(2), "twinlog", "stop").ok().output();
        String stopped = savepointPath(stopOutput);
        assertThat(stopOutput)
                .as("a complete resume command")
                .contains("scripts/twinlog resume --from " + stopped)
                .contains("--checkpoint.interval 2s")
                .contains("--silence.timeout 1h");
        Scripts.Result otherOptions =
                scripts.run(
                        Duration.ofMinutes(2),
                        "twinlog",
                        "resume",
                        "--from",
                        stopped,
                        "--",
                        "--silence.timeout",
                        "10m");
        assertThat(otherOptions.exit())
                .as("resuming with other semantic options is refused")
                .isEqualTo(1);
        assertThat(otherOptions.output())
                .contains("silence.timeout: 1h -> 10m")
                .contains("--accept-option-change");
        assertThat(
                        scripts.run(Duration.ofMinutes(1), "twinlog", "savepoints", "list")
                                .ok()
                                .output())
                .contains(URI.create(taken).getPath(), URI.create(stopped).getPath());

        String rebuilt = scripts.work.resolve("rebuilt").toUri().toString();
        assertThat(
                        scripts.run(
                                        Duration.ofMinutes(5),
                                        "twinlog",
                                        "rebuild",
                                        "--to-savepoint",
                                        scripts.work.resolve("rebuilt").toString(),
                                        "--until",
                                        "savepoint:" + stopped,
                                        "--",
                                        "--silence.timeout",
                                        "1h")
                                .ok()
                                .output())
                .contains("rebuilt ")
                .contains("records in");
        assertThat(
                        scripts.run(
                                        Duration.ofMinutes(3),
                                        "twinlog",
                                        "state",
                                        "diff",
                                        stopped,
                                        rebuilt)
                                .ok()
                                .output())
                .contains(DEVICES + " devices identical, 0 differ");
        assertThat(
                        scripts.run(
                                        Duration.ofMinutes(3),
                                        "twinlog",
                                        "state",
                                        "verify",
                                        rebuilt,
                                        "--",
                                        "--silence.timeout",
                                        "1h")
                                .ok()
                                .output())
                .contains(DEVICES + " devices match the log, 0 mismatch");
        Scripts.Result wrongSettings =
                scripts.run(
                        Duration.ofMinutes(3),
                        "twinlog",
                        "state",
                        "verify",
                        rebuilt,
                        "--",
                        "--silence.timeout",
                        "1h",
                        "--allowed.lateness",
                        "3h",
                        "--dedup.window",
                        "3h");
        assertThat(wrongSettings.exit())
                .as("a fold with other settings (late events applied) disagrees")
                .isEqualTo(1);
        assertThat(wrongSettings.output()).contains("counters.late");
        assertThat(
                        lines(
                                scripts.run(
                                                Duration.ofMinutes(2),
                                                "twinlog",
                                                "state",
                                                "inspect",
                                                rebuilt,
                                                "--device",
                                                "dev-00001",
                                                "--json")
                                        .ok()
                                        .output()))
                .singleElement()
                .satisfies(
                        state ->
                                assertThat(state.at("/twin/deviceId").asText())
                                        .isEqualTo("dev-00001"));

        assertThat(
                        scripts.run(
                                        Duration.ofMinutes(2),
                                        "twinlog",
                                        "resume",
                                        "--from",
                                        rebuilt,
                                        "--",
                                        "--checkpoint.interval",
                                        "2s",
                                        "--silence.timeout",
                                        "1h")
                                .ok()
                                .output())
                .contains("is RUNNING");
        Map<String, Long> sent =
                sentCounts(
                        scripts.run(
                                        Duration.ofMinutes(2),
                                        "twinlog",
                                        "simulate",
                                        "--devices",
                                        Integer.toString(DEVICES),
                                        "--rate",
                                        "300",
                                        "--count",
                                        "600",
                                        "--seed",
                                        "7",
                                        "--quiet")
                                .ok()
                                .output());
        assertThat(sent.get("registration")).isEqualTo(DEVICES);
        // Exactly once across stop, rebuild and resume: each active device rejects its second
        // registration
        // once (a decommissioned device's twin is frozen and counts nothing).
        long expected = rejectedBefore + DEVICES - decommissioned;
        long deadline = System.currentTimeMillis() + 60_000;
        Map<String, JsonNode> twins = latestTwins();
        while (rejections(twins) < expected && System.currentTimeMillis() < deadline) {
            Thread.sleep(2_000);
            twins = latestTwins();
        }
        Thread.sleep(5_000);
        assertThat(rejections(latestTwins())).isEqualTo(expected);
    }

    /**
     * The read side on the job the second test left running: the CLI's history, as-of and
     * self-check, the service's answers, and the web console in a real browser (fleet, search, a
     * device and its as-of control against the API, a live alert arriving).
     */
    @Test
    @Order(3)
    void theReadSideAnswersForTheLogAndTheConsoleShowsIt() throws Exception {
        String verified =
                scripts.run(Duration.ofMinutes(3), "twinlog", "verify-read-side").ok().output();
        assertThat(verified).contains("checked of " + DEVICES).contains(", 0 mismatch");
        assertThat(latestTwins().values())
                .as("devices that reported after rules version 1 was published run with it")
                .anySatisfy(twin -> assertThat(twin.path("rulesVersion").asInt()).isEqualTo(1));

        JsonNode history = cliJson("history", "dev-00042", "--json");
        List<JsonNode> entries = new ArrayList<>();
        history.path("entries").forEach(entries::add);
        assertThat(entries.get(0).path("kind").asText()).isEqualTo("REGISTRATION");
        assertThat(entries.stream().filter(e -> e.path("kind").asText().equals("REGISTRATION")))
                .as("registered by both simulations")
                .hasSize(2);
        String third = entries.get(2).path("position").asText();
        JsonNode cliAsOf = cliJson("as-of", "dev-00042", third, "--json");
        assertThat(cliAsOf.path("recordsFolded").asInt()).isEqualTo(3);

        String service = "http://localhost:" + scripts.port("TWINLOG_READ_SIDE_PORT");
        JsonNode serviceAsOf =
                ReadSideApi.get(service + "/api/devices/dev-00042/as-of?position=" + third);
        assertThat(serviceAsOf.path("twin")).isEqualTo(cliAsOf.path("twin"));
        // The CLI asks the running read side; --offline folds the log in the CLI's own index,
        // with the same kernel: both must say the same.
        JsonNode offlineAsOf = cliJson("as-of", "dev-00042", third, "--json", "--offline");
        assertThat(offlineAsOf.path("twin")).isEqualTo(cliAsOf.path("twin"));
        assertThat(offlineAsOf.path("provenance")).isEqualTo(cliAsOf.path("provenance"));
        JsonNode offlineHistory = cliJson("history", "dev-00042", "--json", "--offline");
        assertThat(offlineHistory.path("entries").size()).isGreaterThanOrEqualTo(entries.size());
        for (int i = 0; i < entries.size(); i++) {
            assertThat(offlineHistory.path("entries").get(i)).isEqualTo(entries.get(i));
        }
        assertThat(
                        scripts.run(
                                        Duration.ofMinutes(1),
                                        "twinlog",
                                        "as-of",
                                        "dev-00042",
                                        third,
                                        "--read-side-url",
                                        "http://localhost:1")
                                .output())
                .contains("cannot reach the read side at http://localhost:1")
                .contains("--offline");
        // Metric names that are also names of every JavaScript object's properties.
        scripts.run(
                        Duration.ofMinutes(1),
                        "twinlog",
                        "send",
                        "--device",
                        "proto-dev",
                        "--register",
                        "thermo")
                .ok();
        scripts.run(
                        Duration.ofMinutes(1),
                        "twinlog",
                        "send",
                        "--device",
                        "proto-dev",
                        "--telemetry",
                        "constructor=1.5",
                        "--telemetry",
                        "__proto__=2.5")
                .ok();
        ReadSideApi.awaitReady(service, Duration.ofMinutes(2));
        assertThat(ReadSideApi.get(service + "/api/info").path("rulesVersions"))
                .singleElement()
                .satisfies(v -> assertThat(v.path("comment").asText()).isEqualTo("e2e"));

        Path shots = Path.of("target", "console-screenshots").toAbsolutePath();
        try (Browser browser = new Browser(scripts.work)) {
            ConsolePages pages = new ConsolePages(browser, service);
            pages.fleet(DEVICES);
            browser.screenshot(shots.resolve("fleet.png"));
            pages.searchAndOpen("dev-00042");
            pages.moveAsOfAndCompareWithTheApi("dev-00042");
            pages.theAsOfPointIsInTheUrl("dev-00042");
            pages.theFilterAndTheSearchAreInTheUrl("dev-00042");
            browser.screenshot(shots.resolve("device.png"));
            assertThat(pages.chartsOf("proto-dev")).containsExactly("__proto__", "constructor");
            pages.openLiveAlerts();
            var simulation =
                    java.util.concurrent.CompletableFuture.supplyAsync(
                            () -> {
                                try {
                                    return scripts.run(
                                            Duration.ofMinutes(2),
                                            "twinlog",
                                            "simulate",
                                            "--devices",
                                            "100",
                                            "--rate",
                                            "200",
                                            "--duration",
                                            "30s",
                                            "--device-prefix",
                                            "live-",
                                            // a fixed run: the page must see an alert
                                            "--seed",
                                            "1",
                                            "--quiet");
                                } catch (Exception e) {
                                    throw new IllegalStateException(e);
                                }
                            });
            pages.awaitLiveAlert(Duration.ofSeconds(90));
            browser.screenshot(shots.resolve("alerts.png"));
            simulation.get(3, java.util.concurrent.TimeUnit.MINUTES).ok();
        }
    }

    /** The JSON document a command printed, after the notes it wrote to stderr (merged here). */
    /** A read-side command of the CLI, its one JSON document. */
    private JsonNode cliJson(String... args) throws IOException, InterruptedException {
        return jsonDocument(scripts.run(Duration.ofMinutes(2), "twinlog", args).ok().output());
    }

    private static JsonNode jsonDocument(String output) throws IOException {
        int line = output.indexOf("\n{");
        int start = output.startsWith("{") ? 0 : line < 0 ? -1 : line + 1;
        assertThat(start).as("a JSON document in:\n" + output).isNotNegative();
        return JSON.readTree(output.substring(start));
    }

    private static long rejections(Map<String, JsonNode> twins) {
        return twins.values().stream()
                .mapToLong(t -> t.path("counters").path("rejected").asLong())
                .sum();
    }

    private static String savepointPath(String output) {
        return output.lines()
                .map(String::trim)
                .filter(l -> l.startsWith("file:"))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no savepoint path in:\n" + output));
    }

    /**
     * Waits until the job has committed a dead letter for every malformed record and a late record
     * for every late one.
     */
    private String awaitSummary(Map<String, Long> sent) throws Exception {
        long deadline = System.currentTimeMillis() + 90_000;
        String summary = "";
        while (System.currentTimeMillis() < deadline) {
            summary = scripts.run(Duration.ofMinutes(1), "twinlog", "summary").ok().output();
            if (count(summary, "dead letters") == sent.get("malformed")
                    && count(summary, "late events") == sent.getOrDefault("late", 0L)) {
                return summary;
            }
            Thread.sleep(2_000);
        }
        throw new AssertionError(
                "the pipeline did not commit the expected dead letters ("
                        + sent.get("malformed")
                        + ") and late events ("
                        + sent.get("late")
                        + ") in time:\n"
                        + summary);
    }

    private Map<String, JsonNode> latestTwins() throws Exception {
        Map<String, JsonNode> latest = new HashMap<>();
        for (JsonNode twin :
                lines(
                        scripts.run(
                                        Duration.ofMinutes(1),
                                        "twinlog",
                                        "twins",
                                        "tail",
                                        "--from-beginning",
                                        "--json",
                                        "--idle-exit",
                                        "3s")
                                .ok()
                                .output())) {
            latest.put(twin.path("deviceId").asText(), twin);
        }
        return latest;
    }

    private static List<JsonNode> lines(String output) throws IOException {
        List<JsonNode> nodes = new ArrayList<>();
        for (String line : output.lines().filter(l -> l.startsWith("{")).toList()) {
            nodes.add(JSON.readTree(line));
        }
        return nodes;
    }

    private static Map<String, Long> sentCounts(String output) {
        Map<String, Long> counts = new HashMap<>();
        Matcher matcher =
                Pattern.compile("^\\s{2}([a-z ]+?)\\s{2,}([\\d,]+)$", Pattern.MULTILINE)
                        .matcher(output);
        while (matcher.find()) {
            counts.put(matcher.group(1).trim(), Long.parseLong(matcher.group(2).replace(",", "")));
        }
        return counts;
    }

    private static long count(String summary, String label) {
        Matcher matcher =
                Pattern.compile("^" + label + "\\s+([\\d,]+)", Pattern.MULTILINE).matcher(summary);
        return matcher.find() ? Long.parseLong(matcher.group(1).replace(",", "")) : -1;
    }

    private static void deleteRecursively(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        }
    }

    private static boolean listening(int port) {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
