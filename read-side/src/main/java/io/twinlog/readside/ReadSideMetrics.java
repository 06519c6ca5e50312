package io.twinlog.readside;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.function.Supplier;

/** The read side's counters, gauges and request latencies, written in Prometheus' text format. */
public final class ReadSideMetrics {

    /** Upper bounds of the request latency histogram, in seconds. */
    private static final double[] BUCKETS = {
        0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.2, 0.3, 0.5, 1, 2.5, 5
    };

    private final AtomicLong indexed = new AtomicLong();
    private final AtomicLong unattributed = new AtomicLong();
    private final Map<String, AtomicLong> undecodable = new ConcurrentHashMap<>();
    private final AtomicLong verified = new AtomicLong();
    private final AtomicLong verifyBehind = new AtomicLong();
    private final AtomicLong verifyMismatches = new AtomicLong();
    private final AtomicLong verifySplit = new AtomicLong();
    private final Map<String, Histogram> requests = new ConcurrentHashMap<>();
    private final Map<String, Supplier<Number>> gauges = new ConcurrentHashMap<>();

    void indexed(long records, long withoutDevice) {
        indexed.addAndGet(records);
        unattributed.addAndGet(withoutDevice);
    }

    void undecodable(String topic) {
        undecodable.computeIfAbsent(topic, t -> new AtomicLong()).incrementAndGet();
    }

    /** One device compared with its twin on the twins topic. */
    public void verified(StateCheck.Verdict verdict) {
        verified.incrementAndGet();
        switch (verdict) {
            case BEHIND -> verifyBehind.incrementAndGet();
            case MISMATCH -> verifyMismatches.incrementAndGet();
            case SPLIT -> verifySplit.incrementAndGet();
            default -> {}
        }
    }

    public long verifyMismatches() {
        return verifyMismatches.get();
    }

    void request(String route, int status, long nanos) {
        requests.computeIfAbsent(route + "\u0000" + status, k -> new Histogram())
                .observe(nanos / 1e9);
    }

    void gauge(String name, Supplier<Number> value) {
        gauges.put(name, value);
    }

    public String prometheus() {
        StringBuilder out = new StringBuilder();
        counter(
                out,
                "twinlog_readside_indexed_records_total",
                "Event-log records indexed by device.",
                indexed.get());
        counter(
                out,
                "twinlog_readside_unattributed_records_total",
                "Event-log records without a key that can be a device id (not indexed; the job dead-letters them).",
                unattributed.get());
        out.append(
                "# HELP twinlog_readside_undecodable_records_total Records of the twins or alerts topic that could not be decoded.\n");
        out.append("# TYPE twinlog_readside_undecodable_records_total counter\n");
        new TreeMap<>(undecodable)
                .forEach(
                        (topic, n) ->
                                out.append("twinlog_readside_undecodable_records_total{topic=\"")
                                        .append(topic)
                                        .append("\"} ")
                                        .append(n.get())
                                        .append('\n'));
        counter(
                out,
                "twinlog_readside_verified_devices_total",
                "Devices whose twin was compared with the read side's fold.",
                verified.get());
        counter(
                out,
                "twinlog_readside_verify_behind_total",
                "Compared devices whose twin on the twins topic was an earlier state of the fold (the job behind the log).",
                verifyBehind.get());
        counter(
                out,
                "twinlog_readside_verify_mismatches_total",
                "Compared devices whose twin matched no state of the fold: the read side and the job disagree.",
                verifyMismatches.get());
        counter(
                out,
                "twinlog_readside_verify_split_total",
                "Compared devices whose records are on more than one partition of the log: not answered for.",
                verifySplit.get());
        new TreeMap<>(gauges)
                .forEach(
                        (name, value) -> {
                            out.append("# TYPE ").append(name).append(" gauge\n");
                            out.append(name).append(' ').append(value.get()).append('\n');
                        });
        out.append(
                "# HELP twinlog_readside_request_seconds HTTP request latency by route and status.\n");
        out.append("# TYPE twinlog_readside_request_seconds histogram\n");
        new TreeMap<>(requests)
                .forEach(
                        (key, histogram) -> {
                            String[] parts = key.split("\u0000");
                            histogram.write(
                                    out, "route=\"" + parts[0] + "\",status=\"" + parts[1] + "\"");
                        });
        return out.toString();
    }

    /** Lines for a labelled gauge, e.g. lag per partition; appended by the caller. */
    static void labelled(
            StringBuilder out, String name, String help, Map<String, ? extends Number> values) {
        out.append("# HELP ").append(name).append(' ').append(help).append('\n');
        out.append("# TYPE ").append(name).append(" gauge\n");
        new TreeMap<>(values)
                .forEach(
                        (labels, value) ->
                                out.append(name)
                                        .append('{')
                                        .append(labels)
                                        .append("} ")
                                        .append(value)
                                        .append('\n'));
    }

    private static void counter(StringBuilder out, String name, String help, long value) {
        out.append("# HELP ").append(name).append(' ').append(help).append('\n');
        out.append("# TYPE ").append(name).append(" counter\n");
        out.append(name).append(' ').append(value).append('\n');
    }

    private static final class Histogram {
        private final AtomicLongArray counts = new AtomicLongArray(BUCKETS.length);
        private final AtomicLong count = new AtomicLong();
        private final AtomicLong sumMicros = new AtomicLong();

        void observe(double seconds) {
            for (int i = 0; i < BUCKETS.length; i++) {
                if (seconds <= BUCKETS[i]) {
                    counts.incrementAndGet(i);
                }
            }
            count.incrementAndGet();
            sumMicros.addAndGet((long) (seconds * 1e6));
        }

        void write(StringBuilder out, String labels) {
            for (int i = 0; i < BUCKETS.length; i++) {
                out.append("twinlog_readside_request_seconds_bucket{")
                        .append(labels)
                        .append(",le=\"")
                        .append(BUCKETS[i])
                        .append("\"} ")
                        .append(counts.get(i))
                        .append('\n');
            }
            out.append("twinlog_readside_request_seconds_bucket{")
                    .append(labels)
                    .append(",le=\"+Inf\"} ")
                    .append(count.get())
                    .append('\n');
            out.append("twinlog_readside_request_seconds_sum{")
                    .append(labels)
                    .append("} ")
                    .append(sumMicros.get() / 1e6)
                    .append('\n');
            out.append("twinlog_readside_request_seconds_count{")
                    .append(labels)
                    .append("} ")
                    .append(count.get())
                    .append('\n');
        }
    }
}
