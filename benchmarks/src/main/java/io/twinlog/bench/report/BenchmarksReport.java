package io.twinlog.bench.report;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Writes the measured part of docs/BENCHMARKS.md (between its markers) and the plots beside it from
 * the results file, so that a rerun regenerates all of it; the analysis around the markers is
 * written by people.
 */
public final class BenchmarksReport {

    private static final double DECODE_TARGET_NANOS = 500;

    private BenchmarksReport() {}

    public static void write(ResultsFile results, Path document) throws IOException {
        Path plots = results.file().getParent();
        StringBuilder md = new StringBuilder();
        micro(results.section("micro"), md);
        JsonNode throughput = results.section("throughput");
        throughput(throughput, md);
        CompareReport.append(results.section("compare"), md, plots);
        JsonNode scale = results.section("scale");
        if (!scale.isMissingNode()) {
            scale(scale, md);
            Plots.throughputAgainstDevices(
                    scale.path("results").path("runs"), plots.resolve("throughput-vs-devices.png"));
            md.append("\n![throughput against devices](benchmarks/throughput-vs-devices.png)\n");
        }
        JsonNode latency = results.section("latency");
        if (!latency.isMissingNode()) {
            latency(latency, md);
            Plots.latencyDistribution(
                    latency.path("results").path("runs"),
                    plots.resolve("latency-distribution.png"));
            md.append("\n![latency distribution](benchmarks/latency-distribution.png)\n");
        }
        GeneratedSection.replace(document, "scripts/bench", "Benchmarks", md.toString());
    }

    private static void micro(JsonNode section, StringBuilder md) {
        if (section.isMissingNode()) {
            return;
        }
        md.append("\n### Micro-benchmarks (JMH, one thread, average time per operation)\n\n");
        machine(section, md);
        md.append("| benchmark | ns per operation | ± (99.9 %) |\n|---|---:|---:|\n");
        for (JsonNode score : section.path("results")) {
            md.append(
                    String.format(
                            Locale.ROOT,
                            "| %s | %,.0f | %,.0f |%n",
                            score.path("benchmark").asText(),
                            score.path("nanosPerOperation").asDouble(),
                            score.path("error").asDouble()));
        }
        for (JsonNode score : section.path("results")) {
            if (score.path("benchmark").asText().endsWith("decodeEvent")) {
                double nanos = score.path("nanosPerOperation").asDouble();
                md.append(
                        String.format(
                                Locale.ROOT,
                                "%nTarget decode ≤ %.0f ns: **%s** (%,.0f ns).%n",
                                DECODE_TARGET_NANOS,
                                nanos <= DECODE_TARGET_NANOS ? "met" : "not met",
                                nanos));
            }
        }
    }

    private static void throughput(JsonNode section, StringBuilder md) {
        if (section.isMissingNode()) {
            return;
        }
        JsonNode results = section.path("results");
        JsonNode ceiling = results.path("ceiling");
        double ceilingRate =
                ceiling.path("records").asDouble() / ceiling.path("seconds").asDouble();
        md.append("\n### End-to-end throughput\n\n");
        machine(section, md);
        JsonNode preload = results.path("preload");
        md.append(
                String.format(
                        Locale.ROOT,
                        "Log: %,d events over %,d devices, preloaded at %,.0f events/s (lz4-compressed batches). "
                                + "Each run reads it from the earliest offset with parallelism 2 until the job has committed the "
                                + "whole log (consumer group offsets, committed at checkpoints). *events/s* runs from submission"
                                + " (start-up included, as the CPU count does); *steady* is between 10 %% and 90 %% of the log.%n%n",
                        preload.path("events").asLong(),
                        preload.path("devices").asInt(),
                        preload.path("events").asDouble() / preload.path("seconds").asDouble()));
        md.append(
                "| run | events/s | start-up s | steady events/s (10-90 %) | vs ceiling | CPU s (all processes) | events per CPU-s "
                        + "| checkpoints p50 / p99 ms | TaskManager RSS peak | restarts |\n"
                        + "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        md.append(
                String.format(
                        Locale.ROOT,
                        "| ceiling: Kafka consumer → transactional producer | %,.0f | | | 1.00 | %.0f | %,.0f | | | |%n",
                        ceilingRate,
                        ceiling.path("cpuSeconds").asDouble(),
                        ceiling.path("records").asDouble()
                                / ceiling.path("cpuSeconds").asDouble()));
        for (JsonNode run : results.path("runs")) {
            if (failed(run)) {
                md.append(
                        String.format(
                                Locale.ROOT,
                                "| %s | **failed**: %s | | | | | | | | |%n",
                                describe(run.path("setup")),
                                run.path("failure").asText()));
                continue;
            }
            double rate = run.path("events").asDouble() / run.path("seconds").asDouble();
            md.append(
                    String.format(
                            Locale.ROOT,
                            "| %s | %,.0f | %.1f | %,.0f | %.2f | %.0f | %,.0f | %d / %d | %s | %d |%n",
                            describe(run.path("setup")),
                            rate,
                            run.path("startupSeconds").asDouble(),
                            run.path("steadyEventsPerSecond").asDouble(),
                            rate / ceilingRate,
                            run.path("cpuSeconds").asDouble(),
                            run.path("events").asDouble() / run.path("cpuSeconds").asDouble(),
                            run.path("checkpointP50Millis").asLong(),
                            run.path("checkpointP99Millis").asLong(),
                            megabytes(run.path("taskManagerRssPeak").asLong()),
                            run.path("restarts").asLong()));
        }
        profiles(results.path("profiles"), md);
        JsonNode exactlyOnce = find(results.path("runs"), "rocksdb", "exactly-once");
        JsonNode atLeastOnce = find(results.path("runs"), "rocksdb", "at-least-once");
        if (exactlyOnce != null) {
            double rate =
                    exactlyOnce.path("events").asDouble() / exactlyOnce.path("seconds").asDouble();
            md.append(
                    String.format(
                            Locale.ROOT,
                            "%nTarget ≥ 25,000 events/s (stretch 50,000): **%s** (%,.0f).%n",
                            rate >= 50_000
                                    ? "met, stretch met"
                                    : rate >= 25_000 ? "met" : "not met",
                            rate));
            if (atLeastOnce != null) {
                double alo =
                        atLeastOnce.path("events").asDouble()
                                / atLeastOnce.path("seconds").asDouble();
                double cost = 1 - rate / alo;
                double steadyCost =
                        1
                                - exactlyOnce.path("steadyEventsPerSecond").asDouble()
                                        / atLeastOnce.path("steadyEventsPerSecond").asDouble();
                double cpuCost = 1 - perCpuSecond(exactlyOnce) / perCpuSecond(atLeastOnce);
                md.append(
                        String.format(
                                Locale.ROOT,
                                "Target exactly-once costs ≤ 10 %% against at-least-once at 1 s "
                                        + "checkpoints: **%s** (%.1f %% of events/s; %.1f %% of steady events/s, %.1f %% of events per "
                                        + "CPU-second).%n",
                                cost <= 0.10 ? "met" : "not met",
                                cost * 100,
                                steadyCost * 100,
                                cpuCost * 100));
            }
        }
    }

    private static void scale(JsonNode section, StringBuilder md) {
        md.append("\n### Scale: devices\n\n");
        machine(section, md);
        md.append(
                "| devices | events | events/s | state size (latest checkpoint) | checkpoint files on disk "
                        + "| checkpoints p50 / p99 ms | TaskManager RSS peak |\n|---:|---:|---:|---:|---:|---:|---:|\n");
        for (JsonNode run : section.path("results").path("runs")) {
            if (failed(run)) {
                md.append(
                        String.format(
                                Locale.ROOT,
                                "| %,d | | **failed**: %s | | | | |%n",
                                run.path("devices").asInt(),
                                run.path("failure").asText()));
                continue;
            }
            md.append(
                    String.format(
                            Locale.ROOT,
                            "| %,d | %,d | %,.0f | %s | %s | %d / %d | %s |%n",
                            run.path("devices").asInt(),
                            run.path("events").asLong(),
                            run.path("events").asDouble() / run.path("seconds").asDouble(),
                            megabytes(run.path("stateSize").asLong()),
                            megabytes(run.path("checkpointBytesOnDisk").asLong()),
                            run.path("checkpointP50Millis").asLong(),
                            run.path("checkpointP99Millis").asLong(),
                            megabytes(run.path("taskManagerRssPeak").asLong())));
        }
    }

    private static void latency(JsonNode section, StringBuilder md) {
        md.append("\n### Latency at a fixed input rate\n\n");
        machine(section, md);
        md.append(
                "From producing an event (its event time) to a read_committed consumer receiving the twin or alert "
                        + "it caused; the first seconds (warm-up) are left out.\n\n");
        md.append(
                "| run | input events/s | records measured | p50 ms | p99 ms | max ms | target p99 ≤ interval + 1 s |\n"
                        + "|---|---:|---:|---:|---:|---:|---|\n");
        for (JsonNode run : section.path("results").path("runs")) {
            long target = run.path("setup").path("checkpointIntervalMillis").asLong() + 1000;
            long p99 = run.path("p99").asLong();
            md.append(
                    String.format(
                            Locale.ROOT,
                            "| %s | %,.0f | %,d | %d | %d | %d | %s (%d ms) |%n",
                            describe(run.path("setup")),
                            run.path("rate").asDouble(),
                            run.path("twins").asLong() + run.path("alerts").asLong(),
                            run.path("p50").asLong(),
                            p99,
                            run.path("max").asLong(),
                            p99 <= target ? "met" : "not met",
                            target));
        }
    }

    public static void machine(JsonNode section, StringBuilder md) {
        JsonNode machine = section.path("machine");
        md.append(
                String.format(
                        Locale.ROOT,
                        "Measured %s on %d cores (%s), %,d MB, %s, %s; Flink %s, Kafka %s.%n%n",
                        section.path("measuredAt").asText(),
                        machine.path("cores").asInt(),
                        machine.path("cpu").asText("?"),
                        machine.path("memoryMegabytes").asLong(),
                        machine.path("os").asText(),
                        machine.path("java").asText(),
                        machine.path("versions").path("flink").asText(),
                        machine.path("versions").path("kafka").asText()));
    }

    private static String describe(JsonNode setup) {
        return String.format(
                Locale.ROOT,
                "%s (%s, %s, checkpoints every %.0f s)",
                setup.path("name").asText(),
                setup.path("stateBackend").asText(),
                setup.path("deliveryGuarantee").asText(),
                setup.path("checkpointIntervalMillis").asLong() / 1000.0);
    }

    private static JsonNode find(JsonNode runs, String backend, String guarantee) {
        for (JsonNode run : runs) {
            if (!failed(run)
                    && run.path("setup").path("stateBackend").asText().equals(backend)
                    && run.path("setup").path("deliveryGuarantee").asText().equals(guarantee)) {
                return run;
            }
        }
        return null;
    }

    private static String megabytes(long bytes) {
        return String.format(Locale.ROOT, "%,.0f MB", bytes / 1048576.0);
    }

    private static double perCpuSecond(JsonNode run) {
        return run.path("events").asDouble() / run.path("cpuSeconds").asDouble();
    }

    private static void profiles(JsonNode profiles, StringBuilder md) {
        if (profiles.isMissingNode() || profiles.isNull() || profiles.isEmpty()) {
            return;
        }
        List<String> runs = new ArrayList<>();
        profiles.fieldNames().forEachRemaining(runs::add);
        Map<String, Map<String, Double>> shares = new LinkedHashMap<>();
        for (String run : runs) {
            for (JsonNode share : profiles.path(run).path("shares")) {
                shares.computeIfAbsent(share.path("part").asText(), p -> new LinkedHashMap<>())
                        .put(run, share.path("percent").asDouble());
            }
        }
        md.append(
                "\nWhere the TaskManager's CPU goes (Java Flight Recorder during a minute of each run, after its start-up; "
                        + "each execution sample counted under its innermost frame that names a part of the pipeline; share of "
                        + "the run's samples):\n\n| part |");
        runs.forEach(run -> md.append(' ').append(run).append(" |"));
        md.append("\n|---|").append("---:|".repeat(runs.size())).append('\n');
        for (Map.Entry<String, Map<String, Double>> part : shares.entrySet()) {
            md.append("| ").append(part.getKey()).append(" |");
            for (String run : runs) {
                Double percent = part.getValue().get(run);
                md.append(
                        percent == null ? " |" : String.format(Locale.ROOT, " %.1f %% |", percent));
            }
            md.append('\n');
        }
        md.append("| samples |");
        runs.forEach(
                run ->
                        md.append(
                                String.format(
                                        Locale.ROOT,
                                        " %,d |",
                                        profiles.path(run).path("samples").asLong())));
        md.append('\n');
    }

    static boolean failed(JsonNode run) {
        return run.hasNonNull("failure");
    }
}
