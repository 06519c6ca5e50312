package io.twinlog.bench.drills;

import com.fasterxml.jackson.databind.JsonNode;
import io.twinlog.bench.DocsOptions;
import io.twinlog.bench.e2e.FlinkJob;
import io.twinlog.bench.e2e.LocalStack;
import io.twinlog.bench.e2e.Topics;
import io.twinlog.bench.report.GeneratedSection;
import io.twinlog.bench.report.ResultsFile;
import io.twinlog.cli.simulator.DeviceSimulator;
import io.twinlog.jobs.state.SavepointContents;
import io.twinlog.registry.CachingSchemaRegistry;
import io.twinlog.registry.RegistryRestClient;
import io.twinlog.registry.SchemaRegistry;
import io.twinlog.schema.TopicNames;
import io.twinlog.schema.event.DeviceEvent;
import io.twinlog.schema.state.DeviceState;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * The failure drills. Each runs on a freshly cleaned stack, writes a fixed scenario while the job
 * runs, injects its fault mid-stream, lets the pipeline finish and compares every output topic with
 * a fault-free reference run of the same scenario: the records of each key must be identical.
 */
@Command(
        name = "drills",
        mixinStandardHelpOptions = true,
        description =
                "failure drills on the local stack (scripts/drills starts it); results in docs/RELIABILITY.md")
public final class DrillsCommand implements Callable<Integer> {

    static final List<String> ALL =
            List.of(
                    "taskmanager-kill",
                    "broker-kill",
                    "broker-outage",
                    "jobmanager-loss",
                    "registry-outage",
                    "poison-storm",
                    "device-flood",
                    "soak");
    private static final Duration TIMEOUT = Duration.ofMinutes(10);
    private static final double FAULT_AT = 0.4;

    /**
     * Growth of the savepoint from the second phase of the device flood to the third that still
     * counts as flat.
     */
    private static final double MAX_STATE_GROWTH = 0.10;

    /** One drill's outcome: times in seconds, -1 where not applicable. */
    public record Result(
            String drill,
            String fault,
            boolean passed,
            String verdict,
            long events,
            double faultAt,
            double downAfter,
            double runningAgainAfter,
            double processingAgainAfter,
            double finishedLaterBy,
            long restarts,
            long outputRecords,
            List<String> differences,
            Map<String, Object> numbers) {}

    @Mixin DocsOptions docs;

    @Option(
            names = "--only",
            split = ",",
            description = "drills to run (default: all): ${COMPLETION-CANDIDATES}")
    List<String> only = new ArrayList<>(ALL);

    @Option(
            names = "--events",
            defaultValue = "120000",
            description = "events in the scenario (default: ${DEFAULT-VALUE})")
    int events;

    @Option(
            names = "--devices",
            defaultValue = "2000",
            description = "devices in the scenario (default: ${DEFAULT-VALUE})")
    int devices;

    @Option(
            names = "--rate",
            defaultValue = "4000",
            description = "events per second written (default: ${DEFAULT-VALUE})")
    double rate;

    @Option(
            names = "--soak-hours",
            defaultValue = "24",
            description = "event time the soak spans (default: ${DEFAULT-VALUE} h)")
    int soakHours;

    @Option(
            names = "--soak-events-per-device",
            defaultValue = "1200",
            description =
                    "events of each device in the soak, over --devices / 10 devices (default: ${DEFAULT-VALUE})")
    int soakEventsPerDevice;

    @Override
    public Integer call() throws Exception {
        LocalStack stack = LocalStack.fromEnvironment();
        TopicNames topics = TopicNames.defaults();
        List<Result> results = new ArrayList<>();
        DrillScenario scenario = null;
        DrillRun.Outcome reference = null;
        for (String drill : only) {
            if (!ALL.contains(drill)) {
                throw new IllegalArgumentException("unknown drill " + drill + "; drills: " + ALL);
            }
            SchemaRegistry registry = freshStack(stack, topics);
            if (drill.equals("poison-storm")) {
                results.add(poisonStorm(stack, topics, registry));
                continue;
            }
            if (drill.equals("device-flood")) {
                results.add(deviceFlood(stack, topics, registry));
                continue;
            }
            if (drill.equals("soak")) {
                results.add(soak(stack, topics, registry));
                continue;
            }
            DrillScenario built =
                    DrillScenario.build(
                            registry,
                            topics,
                            events,
                            devices,
                            rate,
                            new DeviceSimulator.Faults(0.01, 0.01, 0.002, 0.005, 0.002, 0.001, 0),
                            false,
                            0.6,
                            5);
            if (scenario == null) {
                scenario = built;
                say(
                        "reference run: %,d events over %,d devices at %,.0f/s, no fault",
                        events, devices, rate);
                reference = new DrillRun(stack, topics).run(scenario, rate, 0, null, TIMEOUT);
                say(
                        "  %,d output records, finished at %.1f s",
                        reference.outputs().count(), reference.finishedAt());
                registry = freshStack(stack, topics);
                DrillScenario.build(
                        registry,
                        topics,
                        1,
                        devices,
                        rate,
                        DeviceSimulator.Faults.none(),
                        false,
                        0.6,
                        5);
            }
            results.add(faultDrill(drill, stack, topics, scenario, reference));
        }
        write(results);
        boolean allPassed = results.stream().allMatch(Result::passed);
        say(
                "%d of %d drills passed; results in %s",
                results.stream().filter(Result::passed).count(),
                results.size(),
                docs.docs().resolve("RELIABILITY.md"));
        return allPassed ? 0 : 1;
    }

    private Result faultDrill(
            String drill,
            LocalStack stack,
            TopicNames topics,
            DrillScenario scenario,
            DrillRun.Outcome reference)
            throws Exception {
        record Spec(String fault, DrillRun.Fault inject) {}
        Spec spec =
                switch (drill) {
                    case "taskmanager-kill" ->
                            new Spec(
                                    "kill -9 of the TaskManager; a new one is started at once",
                                    Drills::killTaskManager);
                    case "broker-kill" ->
                            new Spec(
                                    "kill -9 of the Kafka broker, restarted 10 s later",
                                    Drills::killBroker);
                    case "broker-outage" ->
                            new Spec(
                                    "kill -9 of the Kafka broker, restarted 5 min later",
                                    Drills::longBrokerOutage);
                    case "jobmanager-loss" ->
                            new Spec(
                                    "kill -9 of the JobManager (no HA); restarted, the job resumed with "
                                            + "`twinlog resume --from <newest retained checkpoint>`",
                                    Drills::loseJobManager);
                    case "registry-outage" ->
                            new Spec(
                                    "kill -9 of the schema registry for 20 s, while records of a schema "
                                            + "version the job has not seen yet arrive",
                                    Drills::stopRegistry);
                    default -> throw new IllegalArgumentException(drill);
                };
        say("%s: %s, at %.0f %% of the scenario", drill, spec.fault(), FAULT_AT * 100);
        DrillRun.Outcome outcome =
                new DrillRun(stack, topics).run(scenario, rate, FAULT_AT, spec.inject(), TIMEOUT);
        List<String> differences = outcome.outputs().differencesFrom(reference.outputs(), 10);
        Map<String, Object> numbers = new LinkedHashMap<>();
        numbers.put("referenceOutputRecords", reference.outputs().count());
        if (outcome.committedDuringFault() >= 0) {
            numbers.put("eventsCommittedDuringFault", outcome.committedDuringFault());
        }
        numbers.put("taskManagerRestartsBySupervisor", stack.restartsBySupervisor("taskmanager"));
        numbers.put("deadLetters", outcome.outputs().count(topics.deadLetters()));
        numbers.put("deadLettersInReference", reference.outputs().count(topics.deadLetters()));
        boolean passed =
                differences.isEmpty() && outcome.outputs().count() == reference.outputs().count();
        Result result =
                new Result(
                        drill,
                        spec.fault(),
                        passed,
                        passed
                                ? "outputs identical to the reference run"
                                : differences.size() + "+ keys differ",
                        events,
                        outcome.faultAt(),
                        since(outcome.downAt(), outcome.faultAt()),
                        since(outcome.runningAgainAt(), outcome.faultAt()),
                        since(outcome.processingAgainAt(), outcome.faultAt()),
                        outcome.finishedAt() - reference.finishedAt(),
                        outcome.restarts(),
                        outcome.outputs().count(),
                        differences,
                        numbers);
        report(result);
        return result;
    }

    /**
     * 10 % malformed records (each kind of bad input, hostile ones included) and 20 records of 1 MB
     * written as fast as the producer goes.
     */
    private Result poisonStorm(LocalStack stack, TopicNames topics, SchemaRegistry registry)
            throws Exception {
        DrillScenario storm =
                DrillScenario.build(
                                registry,
                                topics,
                                events * 2,
                                devices,
                                rate,
                                new DeviceSimulator.Faults(0, 0, 0, 0.10, 0, 0, 0),
                                true,
                                1.0,
                                9)
                        .withOversized(20, 9);
        int count = storm.records().size();
        long malformed = storm.count(DeviceSimulator.Kind.MALFORMED);
        say(
                "poison-storm: %,d records, %,d of them malformed, written at full speed",
                count, malformed);
        DrillRun.Outcome outcome =
                new DrillRun(stack, topics).run(storm, Double.MAX_VALUE, 0, null, TIMEOUT);
        long deadLetters = outcome.outputs().count(topics.deadLetters());
        boolean passed = outcome.restarts() == 0 && deadLetters == malformed;
        Map<String, Object> numbers = new LinkedHashMap<>();
        numbers.put("malformedSent", malformed);
        numbers.put("deadLetters", deadLetters);
        numbers.put("eventsPerSecond", Math.round(count / outcome.finishedAt()));
        Result result =
                new Result(
                        "poison-storm",
                        "10 % malformed records of "
                                + DeviceSimulator.Malformation.values().length
                                + " kinds ("
                                + java.util.Arrays.stream(DeviceSimulator.Malformation.values())
                                        .map(Enum::name)
                                        .map(String::toLowerCase)
                                        .collect(java.util.stream.Collectors.joining(", "))
                                + ") and 20 malformed records of 1 MB, at full rate",
                        passed,
                        passed
                                ? "no restart; dead letters = malformed records sent"
                                : "restarts "
                                        + outcome.restarts()
                                        + ", dead letters "
                                        + deadLetters
                                        + " for "
                                        + malformed
                                        + " malformed",
                        count,
                        -1,
                        -1,
                        -1,
                        -1,
                        -1,
                        outcome.restarts(),
                        outcome.outputs().count(),
                        List.of(),
                        numbers);
        report(result);
        return result;
    }

    /**
     * One device sends 100 times as often as each of the others. Its dedup memory is bounded by
     * {@code dedup.max-ids-per-device}, every device's by {@code dedup.window}: once the window has
     * passed, the job's state stops growing with the events.
     */
    private Result deviceFlood(LocalStack stack, TopicNames topics, SchemaRegistry registry)
            throws Exception {
        int perPhase = events;
        DrillScenario flood =
                DrillScenario.flood(registry, topics, perPhase * 3, devices, 100, rate, 13);
        List<DrillScenario.Record> records = flood.records();
        DrillRun run = new DrillRun(stack, topics);
        // With the default scenario a phase spans 30 s of event time: with a 10 s dedup window
        // every
        // device's memory turns over within a phase, and the cap (below the ~1,900 ids the flooding
        // device sends in a window) binds.
        int cap = 1000;
        run.settings(
                Map.of(
                        "allowed.lateness",
                        "10s",
                        "dedup.window",
                        "10s",
                        "dedup.max-ids-per-device",
                        Integer.toString(cap)));
        run.startJob();
        Map<String, Object> numbers = new LinkedHashMap<>();
        List<long[]> sizes = new ArrayList<>();
        int[] phaseEnds = {perPhase, perPhase * 2, perPhase * 3};
        int from = 0;
        say(
                "device-flood: 1 device at 100x the rate of each of %,d others, %,d events in 3 phases",
                devices, perPhase * 3);
        for (int end : phaseEnds) {
            run.produce(records.subList(from, end), rate * 2);
            run.awaitCommitted(TIMEOUT);
            String savepoint =
                    FlinkJob.client(stack)
                            .savepoint(run.job().id(), null, false, Duration.ofMinutes(5));
            Map<String, DeviceState> states = SavepointContents.deviceStates(savepoint);
            DeviceState flooding =
                    states.values().stream()
                            .filter(s -> s.getTwin().getDeviceId().startsWith("flood-"))
                            .findFirst()
                            .orElseThrow();
            long floodEvents =
                    records.subList(0, end).stream()
                            .filter(
                                    r ->
                                            new String(
                                                            r.key(),
                                                            java.nio.charset.StandardCharsets.UTF_8)
                                                    .startsWith("flood-"))
                            .count();
            long savepointBytes = FlinkJob.sizeOnDisk(Path.of(URI.create(savepoint)));
            sizes.add(new long[] {end, floodEvents, flooding.getSeenIdCount(), savepointBytes});
            say(
                    "  after %,d events (%,d from the flooding device): its dedup memory holds %,d ids; savepoint %,d bytes",
                    end, floodEvents, flooding.getSeenIdCount(), savepointBytes);
            from = end;
        }
        run.stop();
        long[] second = sizes.get(1);
        long[] third = sizes.get(2);
        double growth = (double) third[3] / second[3] - 1;
        boolean bounded = second[2] <= cap && third[2] <= cap && growth < MAX_STATE_GROWTH;
        numbers.put("dedupCapPerDevice", cap);
        numbers.put("dedupWindow", "10 s");
        numbers.put(
                "phases",
                sizes.stream()
                        .map(
                                s ->
                                        Map.of(
                                                "eventsSoFar",
                                                s[0],
                                                "floodingDeviceEvents",
                                                s[1],
                                                "floodingDeviceSeenIds",
                                                s[2],
                                                "savepointBytes",
                                                s[3]))
                        .toList());
        numbers.put(
                "savepointGrowthInLastPhase", String.format(Locale.ROOT, "%.1f %%", growth * 100));
        Result result =
                new Result(
                        "device-flood",
                        "one device sends 100x as often as each of " + devices + " others",
                        bounded,
                        bounded
                                ? "the flooding device's dedup memory stays at the cap, and the state stops growing"
                                : "the dedup memory grew past the cap, or the state kept growing",
                        perPhase * 3L,
                        -1,
                        -1,
                        -1,
                        -1,
                        -1,
                        run.job().restarts(),
                        0,
                        List.of(),
                        numbers);
        report(result);
        return result;
    }

    /**
     * Hours of event time in minutes of wall time: every device sends hundreds of events, so its
     * dedup memory spills buckets and drops them many times, and the busiest reach the dedup bound.
     * A fault-free reference run first; then the same log with the TaskManager killed mid-stream
     * and, later, the job stopped with a savepoint and resumed (an upgrade). Passes when the
     * outputs equal the reference's, the only restart is the kill's, and every device's state is
     * bounded.
     */
    private Result soak(LocalStack stack, TopicNames topics, SchemaRegistry registry)
            throws Exception {
        int soakDevices = Math.max(10, devices / 10);
        int count = soakDevices * soakEventsPerDevice;
        Duration span = Duration.ofHours(soakHours);
        double eventRate = count / (double) span.toSeconds();
        long start = System.currentTimeMillis() - span.plusHours(1).toMillis();
        int cap = 60; // the busiest devices hold more ids than this within the 1 h window
        Map<String, String> settings =
                Map.of(
                        "allowed.lateness", "1h",
                        "dedup.window", "1h",
                        "dedup.max-ids-per-device", Integer.toString(cap));
        // Decommissions rarer than in the other drills: over hundreds of events per device, most
        // devices would end decommissioned.
        DeviceSimulator.Faults faults =
                new DeviceSimulator.Faults(0.01, 0.01, 0.002, 0.005, 0.002, 0.0001, 0);
        say(
                "soak: %,d events over %,d devices spanning %d h of event time, written at %,.0f/s",
                count, soakDevices, soakHours, rate);
        DrillScenario scenario =
                DrillScenario.build(
                        registry,
                        topics,
                        count,
                        soakDevices,
                        eventRate,
                        faults,
                        false,
                        0.6,
                        23,
                        start);
        DrillRun referenceRun = new DrillRun(stack, topics);
        referenceRun.settings(settings);
        DrillRun.Outcome reference =
                referenceRun.run(scenario, rate, 0, null, Duration.ofMinutes(30));
        say("  reference: %,d output records", reference.outputs().count());

        registry = freshStack(stack, topics);
        DrillScenario.build(
                registry, topics, count, soakDevices, eventRate, faults, false, 0.6, 23, start);
        DrillRun run = new DrillRun(stack, topics);
        run.settings(settings);
        run.startJob();
        List<DrillScenario.Record> records = scenario.records();
        int third = records.size() / 3;
        run.produce(records.subList(0, third), rate);
        Thread killer =
                new Thread(
                        () -> {
                            while (run.produced() < third * 3 / 2) {
                                FlinkJob.sleep(20);
                            }
                            say("  kill -9 of the TaskManager at %,d records", run.produced());
                            Drills.killTaskManager(run);
                        },
                        "soak-kill");
        killer.start();
        run.produce(records.subList(third, 2 * third), rate);
        killer.join();
        run.awaitCommitted(Duration.ofMinutes(10));
        say("  stop with a savepoint and resume at %,d records", run.produced());
        long restartsBefore = Drills.stopAndResume(run);
        run.produce(records.subList(2 * third, records.size()), rate);
        run.awaitCommitted(Duration.ofMinutes(10));
        FlinkJob.sleep(2_000);
        long restartsAfter = run.job().restarts();
        String savepoint =
                FlinkJob.client(stack)
                        .savepoint(run.job().id(), null, false, Duration.ofMinutes(5));
        Map<String, io.twinlog.jobs.state.DeviceSnapshot> states =
                SavepointContents.devices(savepoint);
        run.stop();
        OutputSnapshot outputs =
                OutputSnapshot.read(stack.bootstrapServers(), stack.registryUrl(), topics);

        int maxIds =
                states.values().stream().mapToInt(d -> d.seenEventIds().size()).max().orElse(0);
        long atCap =
                states.values().stream()
                        .filter(d -> d.seenEventIds().size() >= cap * 3 / 4)
                        .count();
        long maxApplied =
                states.values().stream()
                        .mapToLong(d -> d.state().getTwin().getCounters().getApplied())
                        .max()
                        .orElse(0);
        List<String> differences = outputs.differencesFrom(reference.outputs(), 10);
        boolean identical = differences.isEmpty() && outputs.count() == reference.outputs().count();
        // A fold that failed is quarantined the same way in both runs: count it apart.
        long foldFailed =
                outputs.countWithHeader(
                        topics.deadLetters(), "twinlog.errors.reason", "FOLD_FAILED");
        boolean passed =
                identical
                        && restartsBefore == 1
                        && restartsAfter == 0
                        && maxIds <= cap
                        && foldFailed == 0;
        Map<String, Object> numbers = new LinkedHashMap<>();
        numbers.put("eventTimeHours", soakHours);
        numbers.put("devices", soakDevices);
        numbers.put("mostEventsAppliedByADevice", maxApplied);
        numbers.put("dedupCapPerDevice", cap);
        numbers.put("mostIdsRemembered", maxIds);
        numbers.put("devicesNearTheCap", atCap);
        numbers.put("foldFailedDeadLetters", foldFailed);
        numbers.put("restartsBeforeTheResume", restartsBefore);
        numbers.put("restartsAfterTheResume", restartsAfter);
        numbers.put("referenceOutputRecords", reference.outputs().count());
        Result result =
                new Result(
                        "soak",
                        soakHours
                                + " h of event time; kill -9 of the TaskManager at half, stop with a"
                                + " savepoint and resume at two thirds",
                        passed,
                        passed
                                ? "outputs identical to the reference run, one restart (the kill), dedup memory within its bound"
                                : (identical ? "" : differences.size() + "+ keys differ; ")
                                        + "restarts "
                                        + restartsBefore
                                        + " then "
                                        + restartsAfter
                                        + ", most ids "
                                        + maxIds
                                        + ", FOLD_FAILED "
                                        + foldFailed,
                        count,
                        -1,
                        -1,
                        -1,
                        -1,
                        -1,
                        restartsBefore + restartsAfter,
                        outputs.count(),
                        differences,
                        numbers);
        report(result);
        return result;
    }

    /**
     * {@code stack clean} then {@code stack up}, the topics, and the schemas in a fixed order
     * (fixed ids).
     */
    private static SchemaRegistry freshStack(LocalStack stack, TopicNames topics) throws Exception {
        stack.script(Duration.ofMinutes(2), "stack", "clean", "--yes");
        stack.up();
        try (Topics admin = new Topics(stack)) {
            admin.create("");
        }
        SchemaRegistry registry =
                new CachingSchemaRegistry(new RegistryRestClient(stack.registryUrl()));
        String subject = TopicNames.valueSubject(topics.events());
        int first = registry.register(subject, DeviceEvent.getClassSchema());
        int second = registry.register(subject, DrillScenario.nextEventSchema());
        if (first != 1 || second != 2) {
            throw new IllegalStateException(
                    "a fresh registry gave ids " + first + " and " + second + ", not 1 and 2");
        }
        return registry;
    }

    /**
     * Each drill's result in a section of its own, so that running some drills again (--only)
     * replaces their rows and keeps the others, each with the date it was measured.
     */
    private void write(List<Result> results) throws Exception {
        ResultsFile file =
                ResultsFile.open(docs.docs().resolve("reliability").resolve("results.json"));
        for (Result result : results) {
            file.put("drill " + result.drill(), result);
        }
        StringBuilder md = new StringBuilder("\n");
        io.twinlog.bench.report.BenchmarksReport.machine(
                file.section("drill " + results.get(results.size() - 1).drill()), md);
        md.append(
                "| drill | fault | outcome | job down after | tasks running again after | processing again after "
                        + "| finished later than reference by | restarts | output records | numbers | measured |\n"
                        + "|---|---|---|---:|---:|---:|---:|---:|---:|---|---|\n");
        for (String drill : ALL) {
            JsonNode section = file.section("drill " + drill);
            if (section.isMissingNode()) {
                continue;
            }
            JsonNode r = section.path("results");
            md.append(
                    String.format(
                            Locale.ROOT,
                            "| %s | %s | **%s**: %s | %s | %s | %s | %s | %d | %,d | %s | %s |%n",
                            drill,
                            r.path("fault").asText(),
                            r.path("passed").asBoolean() ? "pass" : "FAIL",
                            r.path("verdict").asText(),
                            seconds(r.path("downAfter").asDouble()),
                            seconds(r.path("runningAgainAfter").asDouble()),
                            seconds(r.path("processingAgainAfter").asDouble()),
                            seconds(r.path("finishedLaterBy").asDouble()),
                            r.path("restarts").asLong(),
                            r.path("outputRecords").asLong(),
                            r.path("numbers").toString().replace("|", "/"),
                            section.path("measuredAt").asText()));
        }
        GeneratedSection.replace(
                docs.docs().resolve("RELIABILITY.md"),
                "scripts/drills",
                "Reliability",
                md.toString());
    }

    private static void report(Result result) {
        say(
                "  %s: %s (down after %s, running again after %s, processing again after %s, restarts %d)",
                result.passed() ? "pass" : "FAIL",
                result.verdict(),
                seconds(result.downAfter()),
                seconds(result.runningAgainAfter()),
                seconds(result.processingAgainAfter()),
                result.restarts());
        result.differences().forEach(d -> say("    %s", d));
    }

    private static double since(double at, double faultAt) {
        return at < 0 || faultAt < 0 ? -1 : at - faultAt;
    }

    private static String seconds(double value) {
        return value < 0 ? "-" : String.format(Locale.ROOT, "%.1f s", value);
    }

    static void say(String format, Object... args) {
        System.out.println(
                String.format(Locale.ROOT, "%tT ", System.currentTimeMillis())
                        + String.format(Locale.ROOT, format, args));
    }
}
