package io.twinlog.cli.commands;

import io.twinlog.alerts.AlertRules;
import io.twinlog.alerts.ThresholdRule;
import io.twinlog.cli.options.Connection;
import io.twinlog.options.DeviceTwinJobOptions;
import io.twinlog.schema.twin.DeviceTwin;
import io.twinlog.serde.ConfluentAvroDeserializer;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;

/**
 * Warns about alert rules on metrics that no device reports, most likely a misspelled name. Metrics
 * are whatever devices send, so the job cannot refuse such a rule (a new metric may start
 * tomorrow); the twins committed so far are the best evidence there is (docs/FOLD.md, alert rules).
 */
public final class UnreportedMetrics {

    private static final int SAMPLE = 10_000;
    private static final Duration WITHIN = Duration.ofSeconds(3);

    private UnreportedMetrics() {}

    static void warn(Connection connection, DeviceTwinJobOptions options, PrintWriter out) {
        warn(connection, options.topics().twins(), options.rules(), out);
    }

    static void warn(Connection connection, String twinsTopic, AlertRules rules, PrintWriter out) {
        if (rules.all().isEmpty()) {
            return;
        }
        Set<String> reported = new TreeSet<>();
        int twins;
        try {
            twins = sample(connection, twinsTopic, reported);
        } catch (RuntimeException | java.io.IOException e) {
            return; // only a warning: a topic that cannot be read yet says nothing about the rules
        }
        if (twins == 0) {
            return;
        }
        for (ThresholdRule rule : rules.all()) {
            if (!reported.contains(rule.metric())) {
                out.println(
                        "warning: rule '"
                                + rule.id()
                                + "' watches metric '"
                                + rule.metric()
                                + "', which none of "
                                + twins
                                + " twins has reported (misspelled? reported: "
                                + String.join(", ", reported)
                                + ")");
            }
        }
    }

    private static int sample(Connection connection, String topic, Set<String> reported)
            throws java.io.IOException {
        ConfluentAvroDeserializer<DeviceTwin> decoder =
                new ConfluentAvroDeserializer<>(connection.registry(), DeviceTwin.class);
        int read = 0;
        try (KafkaConsumer<byte[], byte[]> consumer = connection.kafka().committedReader()) {
            List<TopicPartition> partitions =
                    consumer.partitionsFor(topic, Duration.ofSeconds(5)).stream()
                            .map(p -> new TopicPartition(topic, p.partition()))
                            .toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            long deadline = System.nanoTime() + WITHIN.toNanos();
            while (read < SAMPLE && System.nanoTime() < deadline) {
                var records = consumer.poll(Duration.ofMillis(200));
                if (records.isEmpty() && read > 0) {
                    break;
                }
                for (ConsumerRecord<byte[], byte[]> record : records) {
                    if (record.value() != null) {
                        reported.addAll(decoder.deserialize(record.value()).getReadings().keySet());
                        read++;
                    }
                }
            }
        }
        return read;
    }
}
