package io.twinlog.bench.compare;

import io.twinlog.bench.e2e.JobRun;
import io.twinlog.bench.e2e.LocalStack;
import io.twinlog.bench.e2e.Preload;
import io.twinlog.bench.e2e.Topics;
import io.twinlog.bench.report.BenchmarksReport;
import io.twinlog.bench.report.ResultsFile;
import io.twinlog.schema.TopicNames;
import io.twinlog.schema.Topics.Topic;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * {@code scripts/bench compare}: preloads one log, then in each round runs every engine over it
 * once, alternating which goes first, and checks that every pass wrote the same records.
 */
public final class Comparison {

    static final String TWINLOG = "twinlog";
    private static final long ONE_SECOND = 1000;
    private static final Duration PROFILE_DELAY = Duration.ofSeconds(15);
    private static final Duration PROFILE_DURATION = Duration.ofSeconds(30);
    private static final Duration PASS_TIMEOUT = Duration.ofMinutes(30);

    /** What the report needs: the log, every pass, and whether their outputs agreed. */
    public record Results(
            Preload.Result preload,
            long checkpointIntervalMillis,
            List<String> engines,
            Map<String, Map<String, String>> variants,
            List<EngineRun.Result> runs,
            boolean outputsIdentical,
            List<String> outputDifferences,
            RebuildRun rebuild) {}

    private Comparison() {}

    public static int run(
            ResultsFile results,
            Path document,
            long events,
            int devices,
            int rounds,
            List<String> variantSpecs,
            boolean profile)
            throws Exception {
        LocalStack stack = LocalStack.fromEnvironment();
        Map<String, Map<String, String>> variants = new LinkedHashMap<>();
        List<Engine> engines = new ArrayList<>();
        engines.add(new StreamsEngine(stack));
        engines.add(new FlinkEngine(stack, TWINLOG, Map.of(), Map.of(), null));
        for (String spec : variantSpecs) {
            Variant variant = Variant.parse(spec);
            variants.put(variant.name(), variant.settings());
            engines.add(
                    new FlinkEngine(
                            stack,
                            variant.name(),
                            variant.flinkConfiguration(),
                            variant.jobOptions(),
                            variant.jobJar()));
        }
        Path work = stack.work().resolve("compare");
        EngineRun.ProfileWindow window =
                profile
                        ? new EngineRun.ProfileWindow(
                                PROFILE_DELAY,
                                PROFILE_DURATION,
                                Profiler.library(work),
                                java.nio.file.Files.createDirectories(work.resolve("profiles")))
                        : null;
        List<EngineRun.Result> runs = new ArrayList<>();
        Preload.Result preload;
        RebuildRun rebuild;
        try (Topics topics = new Topics(stack)) {
            String prefix = "bench-compare-" + devices + "-";
            String log = prefix + "device-events";
            topics.createTopic(log, true);
            say("preload: %,d events over %,d devices into %s", events, devices, log);
            preload = Preload.fill(stack, log, events, devices, 42);
            say("  %,.0f events/s", preload.eventsPerSecond());
            for (int round = 1; round <= rounds; round++) {
                List<Engine> order = new ArrayList<>(engines);
                java.util.Collections.rotate(order, -(round - 1));
                for (Engine engine : order) {
                    runs.add(pass(stack, topics, engine, round, log, window));
                }
            }
            say("rebuild: twinlog rebuild of the log into a savepoint");
            rebuild = RebuildRun.of(stack, prefix, preload.events(), work);
            say(
                    "  %,.0f events/s (%.1f s, %.1f us CPU per event in the replaying process and the"
                            + " broker, savepoint %,d MB)",
                    rebuild.eventsPerSecond(),
                    rebuild.seconds(),
                    rebuild.cpuSeconds() * 1e6 / rebuild.events(),
                    rebuild.savepointBytes() / (1024 * 1024));
            topics.delete(List.of(log));
        }
        List<String> differences = differences(runs);
        Results summary =
                new Results(
                        preload,
                        ONE_SECOND,
                        engines.stream().map(Engine::name).toList(),
                        variants,
                        runs,
                        differences.isEmpty(),
                        differences,
                        rebuild);
        results.put("compare", summary);
        BenchmarksReport.write(results, document);
        say(
                differences.isEmpty()
                        ? "outputs: every pass wrote the same records"
                        : "outputs DIFFER: %s",
                differences);
        for (String engine : summary.engines()) {
            say(
                    "%-14s median %,.0f events/s (steady %,.0f), %.1f us CPU per event",
                    engine,
                    median(runs, engine, EngineRun.Result::eventsPerSecond),
                    median(runs, engine, EngineRun.Result::steadyEventsPerSecond),
                    median(runs, engine, EngineRun.Result::cpuMicrosPerEvent));
        }
        System.out.printf(
                Locale.ROOT,
                "ratio twinlog / kafka-streams: %.2f (steady %.2f)%n",
                median(runs, TWINLOG, EngineRun.Result::eventsPerSecond)
                        / median(runs, StreamsEngine.NAME, EngineRun.Result::eventsPerSecond),
                median(runs, TWINLOG, EngineRun.Result::steadyEventsPerSecond)
                        / median(
                                runs, StreamsEngine.NAME, EngineRun.Result::steadyEventsPerSecond));
        return differences.isEmpty() ? 0 : 1;
    }

    private static EngineRun.Result pass(
            LocalStack stack,
            Topics topics,
            Engine engine,
            int round,
            String log,
            EngineRun.ProfileWindow window)
            throws Exception {
        String prefix = "cmp-" + engine.name() + "-r" + round + "-";
        TopicNames outputs = topics.create(prefix);
        Map<String, String> options =
                JobRun.options(
                        stack,
                        new JobRun.Setup(engine.name(), "rocksdb", "exactly-once", ONE_SECOND),
                        log,
                        outputs,
                        prefix);
        say("round %d: %s", round, engine.name());
        try {
            EngineRun.Result result =
                    EngineRun.run(stack, topics, engine, round, options, log, PASS_TIMEOUT, window);
            Map<String, String> roles = new LinkedHashMap<>();
            for (Topic<?> topic : io.twinlog.schema.Topics.ALL) {
                if (topic != io.twinlog.schema.Topics.EVENTS) {
                    roles.put(topic.nameIn(outputs), topic.role());
                }
            }
            result =
                    EngineRun.withOutputs(
                            result,
                            OutputDigest.of(stack.bootstrapServers(), roles, outputs.twins()));
            say(
                    "  %,.0f events/s from submission (start-up %.1f s), steady %,.0f; %.1f us CPU per event %s; outputs %s",
                    result.eventsPerSecond(),
                    result.startupSeconds(),
                    result.steadyEventsPerSecond(),
                    result.cpuMicrosPerEvent(),
                    result.cpuSecondsByProcess(),
                    result.outputs());
            return result;
        } finally {
            topics.delete(outputs.all());
            topics.deleteStartingWith(options.get("group.id") + "-");
        }
    }

    /** Every pass must have written what the first one wrote. */
    static List<String> differences(List<EngineRun.Result> runs) {
        List<String> differences = new ArrayList<>();
        if (runs.isEmpty()) {
            return differences;
        }
        EngineRun.Result first = runs.get(0);
        for (EngineRun.Result run : runs) {
            if (!Objects.equals(run.outputs(), first.outputs())) {
                differences.add(
                        run.engine()
                                + " round "
                                + run.round()
                                + " wrote "
                                + run.outputs()
                                + ", "
                                + first.engine()
                                + " round "
                                + first.round()
                                + " "
                                + first.outputs());
            }
        }
        return differences;
    }

    static double median(
            List<EngineRun.Result> runs,
            String engine,
            java.util.function.ToDoubleFunction<EngineRun.Result> value) {
        double[] values =
                runs.stream()
                        .filter(r -> r.engine().equals(engine))
                        .mapToDouble(value)
                        .sorted()
                        .toArray();
        if (values.length == 0) {
            return Double.NaN;
        }
        int middle = values.length / 2;
        return values.length % 2 == 1 ? values[middle] : (values[middle - 1] + values[middle]) / 2;
    }

    static void say(String format, Object... args) {
        Object[] all = new Object[args.length + 1];
        all[0] = System.currentTimeMillis();
        System.arraycopy(args, 0, all, 1, args.length);
        System.out.printf(Locale.ROOT, "%tT " + format + "%n", all);
    }

    /**
     * Another DeviceTwinJob pass: {@code name:key=value,...}; keys starting with {@code flink.} are
     * Flink configuration of the job, {@code jar} another job jar, the rest job options.
     */
    record Variant(String name, Map<String, String> settings) {

        private static final String JAR = "jar";

        static Variant parse(String spec) {
            int colon = spec.indexOf(':');
            if (colon <= 0) {
                throw new IllegalArgumentException("a variant is name:key=value,...; got " + spec);
            }
            Map<String, String> settings = new LinkedHashMap<>();
            Arrays.stream(spec.substring(colon + 1).split(","))
                    .filter(s -> !s.isBlank())
                    .forEach(
                            setting -> {
                                int eq = setting.indexOf('=');
                                if (eq <= 0) {
                                    throw new IllegalArgumentException(
                                            "a variant's setting is key=value; got " + setting);
                                }
                                settings.put(
                                        setting.substring(0, eq).trim(),
                                        setting.substring(eq + 1).trim());
                            });
            return new Variant(spec.substring(0, colon), settings);
        }

        Map<String, String> flinkConfiguration() {
            Map<String, String> flink = new LinkedHashMap<>();
            settings.forEach(
                    (key, value) -> {
                        if (key.startsWith("flink.")) {
                            flink.put(key.substring("flink.".length()), value);
                        }
                    });
            return flink;
        }

        Map<String, String> jobOptions() {
            Map<String, String> job = new LinkedHashMap<>(settings);
            job.keySet().removeIf(key -> key.startsWith("flink.") || key.equals(JAR));
            return job;
        }

        /** The job jar of another build ({@code jar=<path>}), or null. */
        Path jobJar() {
            return settings.containsKey(JAR) ? Path.of(settings.get(JAR)) : null;
        }
    }
}
