package io.twinlog.readside;

import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.twinlog.readside.query.StateCheck;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.function.Supplier;
import org.apache.kafka.common.TopicPartition;

/**
 * The read side's counters, gauges and request latencies, on the Prometheus client library, in a
 * registry of the read side's own (several read sides in one JVM, as in the tests, do not share
 * it).
 */
public final class ReadSideMetrics {

    private final PrometheusRegistry registry = new PrometheusRegistry();

    private final Counter indexed =
            Counter.builder()
                    .name("twinlog_readside_indexed_records")
                    .help("Event-log records indexed by device.")
                    .register(registry);
    private final Counter unattributed =
            Counter.builder()
                    .name("twinlog_readside_unattributed_records")
                    .help(
                            "Event-log records without a key that can be a device id (not indexed;"
                                    + " the job dead-letters them).")
                    .register(registry);
    private final Counter undecodable =
            Counter.builder()
                    .name("twinlog_readside_undecodable_records")
                    .help("Records of the twins or alerts topic that could not be decoded.")
                    .labelNames("topic")
                    .register(registry);
    private final Counter lost =
            Counter.builder()
                    .name("twinlog_readside_lost_records")
                    .help(
                            "Offsets the log had deleted (retention) before the read side read"
                                    + " them: answers about their partitions say so.")
                    .register(registry);
    private final Counter snapshots =
            Counter.builder()
                    .name("twinlog_readside_snapshots_kept")
                    .help("Snapshots of devices' folds kept in the index (docs/READ-SIDE.md).")
                    .register(registry);
    private final Counter verified =
            Counter.builder()
                    .name("twinlog_readside_verified_devices")
                    .help("Devices whose twin was compared with the read side's fold.")
                    .register(registry);
    private final Counter verifyBehind =
            Counter.builder()
                    .name("twinlog_readside_verify_behind")
                    .help(
                            "Compared devices whose twin on the twins topic was an earlier state of"
                                    + " the fold (the job behind the log).")
                    .register(registry);
    private final Counter verifyMismatches =
            Counter.builder()
                    .name("twinlog_readside_verify_mismatches")
                    .help(
                            "Compared devices whose twin matched no state of the fold: the read side"
                                    + " and the job disagree.")
                    .register(registry);
    private final Counter verifySplit =
            Counter.builder()
                    .name("twinlog_readside_verify_split")
                    .help(
                            "Compared devices whose records are on more than one partition of the"
                                    + " log: not answered for.")
                    .register(registry);
    private final Histogram requests =
            Histogram.builder()
                    .name("twinlog_readside_request_seconds")
                    .help("HTTP request latency by route and status.")
                    .labelNames("route", "status")
                    .classicOnly()
                    .classicUpperBounds(
                            0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.2, 0.3, 0.5, 1, 2.5, 5)
                    .register(registry);

    void indexed(long records, long withoutDevice) {
        indexed.inc(records);
        unattributed.inc(withoutDevice);
    }

    void snapshotKept() {
        snapshots.inc();
    }

    void lost(long records) {
        lost.inc(records);
    }

    void undecodable(String topic) {
        undecodable.labelValues(topic).inc();
    }

    /** One device compared with its twin on the twins topic. */
    public void verified(StateCheck.Verdict verdict) {
        verified.inc();
        switch (verdict) {
            case BEHIND -> verifyBehind.inc();
            case MISMATCH -> verifyMismatches.inc();
            case SPLIT -> verifySplit.inc();
            default -> {}
        }
    }

    public long verifyMismatches() {
        return (long) verifyMismatches.get();
    }

    /** One answered request, by its route's template. */
    public void request(String route, int status, long nanos) {
        requests.labelValues(route, Integer.toString(status)).observe(nanos / 1e9);
    }

    void gauge(String name, String help, Supplier<Number> value) {
        GaugeWithCallback.builder()
                .name(name)
                .help(help)
                .callback(callback -> callback.call(value.get().doubleValue()))
                .register(registry);
    }

    /** Records between the index and the end of each partition it follows. */
    void lag(Supplier<Map<TopicPartition, Long>> lag) {
        GaugeWithCallback.builder()
                .name("twinlog_readside_lag_records")
                .help(
                        "Records between the read side and the end of the log (last committed),"
                                + " per partition.")
                .labelNames("topic", "partition")
                .callback(
                        callback ->
                                lag.get()
                                        .forEach(
                                                (partition, records) ->
                                                        callback.call(
                                                                records,
                                                                partition.topic(),
                                                                Integer.toString(
                                                                        partition.partition()))))
                .register(registry);
    }

    /** Everything, in Prometheus' text format (version 0.0.4). */
    public String prometheus() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            PrometheusTextFormatWriter.create().write(out, registry.scrape());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    public static String contentType() {
        return PrometheusTextFormatWriter.CONTENT_TYPE;
    }
}
