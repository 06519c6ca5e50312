package io.twinlog.bench.report;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.ToDoubleFunction;

/** The "against Kafka Streams" part of docs/BENCHMARKS.md, from {@code scripts/bench compare}. */
final class CompareReport {

    private static final String BASELINE = "kafka-streams";
    private static final String TWINLOG = "twinlog";

    private CompareReport() {}

    static void append(JsonNode section, StringBuilder md, Path plots) throws IOException {
        if (section.isMissingNode()) {
            return;
        }
        JsonNode results = section.path("results");
        JsonNode runs = results.path("runs");
        List<String> engines = new ArrayList<>();
        results.path("engines").forEach(e -> engines.add(e.asText()));
        md.append("\n### Against Kafka Streams: the same fold on the same log\n\n");
        BenchmarksReport.machine(section, md);
        JsonNode preload = results.path("preload");
        md.append(
                String.format(
                        Locale.ROOT,
                        "Log: %,d events over %,d devices in 4 partitions, preloaded at %,.0f events/s"
                                + " (lz4-compressed producer batches of up to 256 KiB). Each pass reads it from the"
                                + " earliest offset, exactly-once, commits or checkpoints every %.0f s, with output"
                                + " topics of its own. The clock runs from submission (Flink: the REST request that"
                                + " runs the jar; Kafka Streams: starting its JVM) until the pass's committed"
                                + " consumer offsets reach the end of the log: *events/s* includes start-up,"
                                + " *steady* is the rate between 10 %% and 90 %% of the log committed. CPU is counted"
                                + " over the same span for the broker, the registry and the engine's processes"
                                + " (JobManager and TaskManager; the Streams JVM). The engines alternate, the"
                                + " first one rotating each round.%n%n",
                        preload.path("events").asLong(),
                        preload.path("devices").asInt(),
                        preload.path("events").asDouble() / preload.path("seconds").asDouble(),
                        results.path("checkpointIntervalMillis").asLong() / 1000.0));
        JsonNode variants = results.path("variants");
        if (variants.size() > 0) {
            md.append("Variants of DeviceTwinJob in the same rounds:\n\n");
            variants.fields()
                    .forEachRemaining(
                            v ->
                                    md.append("- **")
                                            .append(v.getKey())
                                            .append("**: `")
                                            .append(v.getValue().toString())
                                            .append("`\n"));
            md.append('\n');
        }
        md.append(
                "| engine | round | events/s | start-up s | steady events/s | CPU µs per event"
                        + " (all processes) | of which broker | worker RSS peak | restarts |\n"
                        + "|---|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        for (JsonNode run : runs) {
            double events = run.path("events").asDouble();
            md.append(
                    String.format(
                            Locale.ROOT,
                            "| %s | %d | %,.0f | %.1f | %,.0f | %.1f | %.1f | %,d MB | %d |%n",
                            run.path("engine").asText(),
                            run.path("round").asInt(),
                            events / run.path("seconds").asDouble(),
                            run.path("startupSeconds").asDouble(),
                            run.path("steadyEventsPerSecond").asDouble(),
                            cpuSeconds(run) * 1e6 / events,
                            run.path("cpuSecondsByProcess").path("kafka").asDouble() * 1e6 / events,
                            run.path("workerRssPeak").asLong() / (1024 * 1024),
                            run.path("restarts").asLong()));
        }
        md.append(
                "\n| engine | median events/s (min-max) | median steady events/s (min-max) | median CPU µs"
                        + " per event | events/s against Kafka Streams | steady against Kafka Streams |\n"
                        + "|---|---:|---:|---:|---:|---:|\n");
        double baseline = median(runs, BASELINE, CompareReport::rate);
        double baselineSteady =
                median(runs, BASELINE, r -> r.path("steadyEventsPerSecond").asDouble());
        for (String engine : engines) {
            double[] rates = values(runs, engine, CompareReport::rate);
            double[] steady = values(runs, engine, r -> r.path("steadyEventsPerSecond").asDouble());
            md.append(
                    String.format(
                            Locale.ROOT,
                            "| %s | %,.0f (%,.0f-%,.0f) | %,.0f (%,.0f-%,.0f) | %.1f | %.2f | %.2f |%n",
                            engine,
                            median(rates),
                            rates[0],
                            rates[rates.length - 1],
                            median(steady),
                            steady[0],
                            steady[steady.length - 1],
                            median(
                                    runs,
                                    engine,
                                    r -> cpuSeconds(r) * 1e6 / r.path("events").asDouble()),
                            median(rates) / baseline,
                            median(steady) / baselineSteady));
        }
        md.append(
                results.path("outputsIdentical").asBoolean()
                        ? "\nEvery pass wrote the same records (count and digest of each output topic; the twins topic: each device's latest twin).\n"
                        : "\n**The passes wrote different records**: "
                                + results.path("outputDifferences")
                                + "\n");
        JsonNode rebuild = results.path("rebuild");
        if (!rebuild.isMissingNode() && !rebuild.isNull()) {
            md.append(
                    String.format(
                            Locale.ROOT,
                            "%nRebuild of the same log (`twinlog rebuild`, its replay in the harness's JVM,"
                                    + " parallelism 2): %,.0f events/s, %.1f s from the command to the written"
                                    + " savepoint (%,d MB), %.1f µs CPU per event in the replaying process and the"
                                    + " broker.%n",
                            rebuild.path("events").asDouble() / rebuild.path("seconds").asDouble(),
                            rebuild.path("seconds").asDouble(),
                            rebuild.path("savepointBytes").asLong() / (1024 * 1024),
                            rebuild.path("cpuSeconds").asDouble()
                                    * 1e6
                                    / rebuild.path("events").asDouble()));
        }
        threads(runs, engines, md);
        profiles(runs, engines, md);
        rocksDb(runs, engines, preload.path("devices").asDouble(), md);
        Plots.compareRounds(runs, engines, plots.resolve("compare-rounds.png"));
        md.append("\n![events per second of each pass](benchmarks/compare-rounds.png)\n");
        md.append(
                String.format(
                        Locale.ROOT,
                        "%nRatio twinlog / Kafka Streams (medians): **%.2f** including start-up, **%.2f** steady.%n",
                        median(runs, TWINLOG, CompareReport::rate) / baseline,
                        median(runs, TWINLOG, r -> r.path("steadyEventsPerSecond").asDouble())
                                / baselineSteady));
    }

    /** The worker's CPU per group of threads over whole passes, in µs per event (from /proc). */
    private static void threads(JsonNode runs, List<String> engines, StringBuilder md) {
        Map<String, Map<String, Double>> micros = new TreeMap<>();
        for (String engine : engines) {
            double events = 0;
            Map<String, Double> seconds = new LinkedHashMap<>();
            for (JsonNode run : runs) {
                if (run.path("engine").asText().equals(engine)) {
                    events += run.path("events").asDouble();
                    run.path("workerThreads")
                            .fields()
                            .forEachRemaining(
                                    t ->
                                            seconds.merge(
                                                    t.getKey(),
                                                    t.getValue().asDouble(),
                                                    Double::sum));
                }
            }
            double total = events;
            seconds.forEach(
                    (group, s) ->
                            micros.computeIfAbsent(group, g -> new LinkedHashMap<>())
                                    .put(engine, s * 1e6 / total));
        }
        md.append(
                "\nThe worker process's CPU by thread (from /proc over whole passes, all passes of an engine;"
                        + " µs per event). The worker is the TaskManager or the Streams JVM:\n\n| threads |");
        engines.forEach(e -> md.append(' ').append(e).append(" |"));
        md.append("\n|---|").append("---:|".repeat(engines.size())).append('\n');
        micros.forEach((group, byEngine) -> row(md, group, byEngine, engines, " %.1f |"));
    }

    /** async-profiler's shares of the worker's CPU samples, summed over an engine's passes. */
    private static void profiles(JsonNode runs, List<String> engines, StringBuilder md) {
        Map<String, Map<String, Double>> byThread = new LinkedHashMap<>();
        Map<String, Map<String, Double>> byPart = new LinkedHashMap<>();
        Map<String, Double> rocksdb = new LinkedHashMap<>();
        Map<String, Double> compression = new LinkedHashMap<>();
        Map<String, Long> samples = new LinkedHashMap<>();
        for (String engine : engines) {
            long total = 0;
            Map<String, Double> threadCounts = new LinkedHashMap<>();
            Map<String, Double> partCounts = new LinkedHashMap<>();
            double nativeCount = 0;
            double compressionCount = 0;
            for (JsonNode run : runs) {
                JsonNode profile = run.path("profile");
                if (!run.path("engine").asText().equals(engine)
                        || profile.isMissingNode()
                        || profile.isNull()) {
                    continue;
                }
                long n = profile.path("samples").asLong();
                total += n;
                for (JsonNode share : profile.path("byThread")) {
                    threadCounts.merge(
                            share.path("part").asText(),
                            share.path("percent").asDouble() * n,
                            Double::sum);
                }
                for (JsonNode share : profile.path("taskThreadsByPart")) {
                    partCounts.merge(
                            share.path("part").asText(),
                            share.path("percent").asDouble() * n,
                            Double::sum);
                }
                nativeCount += profile.path("nativeRocksDb").asDouble() * n;
                compressionCount += profile.path("compression").asDouble() * n;
            }
            if (total == 0) {
                continue;
            }
            long n = total;
            samples.put(engine, n);
            threadCounts.forEach(
                    (k, v) ->
                            byThread.computeIfAbsent(k, x -> new LinkedHashMap<>())
                                    .put(engine, v / n));
            partCounts.forEach(
                    (k, v) ->
                            byPart.computeIfAbsent(k, x -> new LinkedHashMap<>())
                                    .put(engine, v / n));
            rocksdb.put(engine, nativeCount / n);
            compression.put(engine, compressionCount / n);
        }
        if (samples.isEmpty()) {
            return;
        }
        List<String> profiled = new ArrayList<>(samples.keySet());
        md.append(
                "\nWhere the worker's CPU goes (async-profiler, CPU samples of every thread with native frames,"
                        + " 30 s from 15 s after the tasks run, summed over the passes; shares of all the worker's"
                        + " samples). Task-thread parts are attributed to the innermost frame that names one:\n\n| |");
        profiled.forEach(e -> md.append(' ').append(e).append(" |"));
        md.append("\n|---|").append("---:|".repeat(profiled.size())).append('\n');
        shareRows(byThread, profiled, "threads: ", md);
        shareRows(byPart, profiled, "task threads: ", md);
        // Ordered: Map.of iterates in an order that changes from one JVM to the next.
        Map<String, Map<String, Double>> anyThread = new LinkedHashMap<>();
        anyThread.put("any thread: in RocksDB's C++ code", rocksdb);
        anyThread.put("any thread: in compression code", compression);
        shareRows(anyThread, profiled, "", md);
        md.append("| samples |");
        profiled.forEach(e -> md.append(String.format(Locale.ROOT, " %,d |", samples.get(e))));
        md.append('\n');
    }

    private static void shareRows(
            Map<String, Map<String, Double>> rows,
            List<String> engines,
            String prefix,
            StringBuilder md) {
        rows.forEach(
                (row, byEngine) ->
                        row(
                                md,
                                row.startsWith("task threads") ? row : prefix + row,
                                byEngine,
                                engines,
                                " %.1f %% |"));
    }

    /**
     * One row of a table with a column per engine; an engine without a value gets an empty cell.
     */
    private static void row(
            StringBuilder md,
            String label,
            Map<String, Double> byEngine,
            List<String> engines,
            String cell) {
        md.append("| ").append(label).append(" |");
        for (String engine : engines) {
            Double value = byEngine.get(engine);
            md.append(value == null ? " |" : String.format(Locale.ROOT, cell, value));
        }
        md.append('\n');
    }

    /** RocksDB's own counters at the end of each DeviceTwinJob pass (medians over its passes). */
    private static void rocksDb(
            JsonNode runs, List<String> engines, double devices, StringBuilder md) {
        Map<String, ToDoubleFunction<JsonNode>> rows = new LinkedHashMap<>();
        rows.put(
                "block cache hit rate",
                m -> ratio(m, "rocksdb_block_cache_hit", "rocksdb_block_cache_miss"));
        rows.put(
                "point reads a bloom filter answered, per event",
                m -> per(m, "rocksdb_bloom_filter_useful"));
        rows.put("bytes read from SST files per event", m -> per(m, "rocksdb_bytes_read"));
        rows.put("bytes written per event", m -> per(m, "rocksdb_bytes_written"));
        rows.put("compaction bytes read per event", m -> per(m, "rocksdb_compact_read_bytes"));
        rows.put("compaction bytes written per event", m -> per(m, "rocksdb_compact_write_bytes"));
        rows.put(
                "L0 files at the end (all states)",
                m -> sumEnding(m, "rocksdb_num-files-at-level0"));
        rows.put(
                "keys at the end (estimate, all states)",
                m -> sumEnding(m, "rocksdb_estimate-num-keys"));
        rows.put(
                "checkpointed state per device, bytes",
                m -> m.path("checkpoint_state_size").asDouble() / devices);
        List<String> flink = new ArrayList<>();
        for (String engine : engines) {
            for (JsonNode run : runs) {
                if (run.path("engine").asText().equals(engine)
                        && run.path("stateMetrics").size() > 0) {
                    flink.add(engine);
                    break;
                }
            }
        }
        if (flink.isEmpty()) {
            return;
        }
        md.append(
                "\nRocksDB in DeviceTwinJob at the end of each pass (its native metrics; medians over the passes):\n\n| |");
        flink.forEach(e -> md.append(' ').append(e).append(" |"));
        md.append("\n|---|").append("---:|".repeat(flink.size())).append('\n');
        rows.forEach(
                (row, value) -> {
                    md.append("| ").append(row).append(" |");
                    for (String engine : flink) {
                        double v = median(runs, engine, r -> value.applyAsDouble(withEvents(r)));
                        md.append(String.format(Locale.ROOT, v < 10 ? " %.2f |" : " %,.0f |", v));
                    }
                    md.append('\n');
                });
    }

    /** The pass's state metrics with its event count beside them, for per-event rows. */
    private static JsonNode withEvents(JsonNode run) {
        com.fasterxml.jackson.databind.node.ObjectNode metrics =
                run.path("stateMetrics").deepCopy();
        metrics.put("events", run.path("events").asDouble());
        return metrics;
    }

    private static double per(JsonNode metrics, String name) {
        return metrics.path(name).asDouble() / metrics.path("events").asDouble();
    }

    private static double ratio(JsonNode metrics, String hits, String misses) {
        double hit = metrics.path(hits).asDouble();
        double total = hit + metrics.path(misses).asDouble();
        return total == 0 ? Double.NaN : hit / total;
    }

    private static double sumEnding(JsonNode metrics, String suffix) {
        double sum = 0;
        var fields = metrics.fields();
        while (fields.hasNext()) {
            var field = fields.next();
            if (field.getKey().endsWith(suffix)) {
                sum += field.getValue().asDouble();
            }
        }
        return sum;
    }

    static double rate(JsonNode run) {
        return run.path("events").asDouble() / run.path("seconds").asDouble();
    }

    private static double cpuSeconds(JsonNode run) {
        double sum = 0;
        for (JsonNode seconds : run.path("cpuSecondsByProcess")) {
            sum += seconds.asDouble();
        }
        return sum;
    }

    private static double[] values(JsonNode runs, String engine, ToDoubleFunction<JsonNode> value) {
        List<Double> values = new ArrayList<>();
        for (JsonNode run : runs) {
            if (run.path("engine").asText().equals(engine)) {
                values.add(value.applyAsDouble(run));
            }
        }
        double[] sorted = values.stream().mapToDouble(Double::doubleValue).toArray();
        Arrays.sort(sorted);
        return sorted.length == 0 ? new double[] {Double.NaN} : sorted;
    }

    private static double median(JsonNode runs, String engine, ToDoubleFunction<JsonNode> value) {
        return median(values(runs, engine, value));
    }

    private static double median(double[] sorted) {
        int middle = sorted.length / 2;
        return sorted.length % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
    }
}
