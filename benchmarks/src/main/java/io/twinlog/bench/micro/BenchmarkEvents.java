package io.twinlog.bench.micro;

import io.twinlog.alerts.AlertRules;
import io.twinlog.alerts.AlertRulesFile;
import io.twinlog.schema.event.DeviceEvent;
import io.twinlog.schema.event.TelemetryReported;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Inputs of the micro-benchmarks: telemetry events like the simulator's (temperature, humidity and
 * battery readings), and the rules of the local stack.
 */
final class BenchmarkEvents {

    static final long START = Instant.parse("2026-01-01T00:00:00Z").toEpochMilli();

    private BenchmarkEvents() {}

    static DeviceEvent telemetry(
            String deviceId, String eventId, long eventTime, SplittableRandom random) {
        Map<String, Double> readings = new LinkedHashMap<>();
        readings.put("temperature", 20 + random.nextDouble() * 70);
        readings.put("humidity", 30 + random.nextDouble() * 40);
        readings.put("battery", 5 + random.nextDouble() * 95);
        return DeviceEvent.newBuilder()
                .setEventId(eventId)
                .setDeviceId(deviceId)
                .setEventTime(Instant.ofEpochMilli(eventTime))
                .setPayload(new TelemetryReported(readings))
                .build();
    }

    /**
     * The rules file of the local stack, found from the working directory (the repo or a module).
     */
    static AlertRules stackRules() {
        for (Path candidate :
                new Path[] {
                    Path.of("scripts/conf/alert-rules.json"),
                    Path.of("../scripts/conf/alert-rules.json")
                }) {
            if (candidate.toFile().isFile()) {
                try {
                    return AlertRulesFile.read(candidate);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
        }
        throw new IllegalStateException(
                "scripts/conf/alert-rules.json not found from " + Path.of("").toAbsolutePath());
    }
}
