package io.twinlog.spec;

import io.twinlog.schema.event.DeviceDecommissioned;
import io.twinlog.schema.event.DeviceEvent;
import io.twinlog.schema.event.DeviceRegistered;
import io.twinlog.schema.event.FirmwareUpdated;
import io.twinlog.schema.event.SilenceObserved;
import io.twinlog.schema.event.TelemetryReported;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * One generated step of a device history: which device, what it sends, how its clock moves. Steps
 * are small integers, so that jqwik shrinks a failing history to a short, readable one; {@link
 * #events} turns them into events deterministically.
 *
 * @param device which of three devices
 * @param timeStep index into {@link #TIME_STEPS}: how far the event time is from the device's
 *     newest
 * @param choice picks values, metrics, versions and which earlier event to re-send
 */
record HistoryStep(int device, Kind kind, int timeStep, int choice) {

    enum Kind {
        TELEMETRY,
        REGISTRATION,
        FIRMWARE,
        DECOMMISSIONING,
        RESEND,
        RESEND_RECENT,
        OBSERVATION,
        WIDE_TELEMETRY
    }

    /**
     * Seconds from the device's newest event time: equal times, small steps, steps past the silence
     * timeouts (45 s, 100 s) and the hold (20 s), disorder within and beyond the lateness bounds
     * (30 s, 60 s).
     */
    static final long[] TIME_STEPS = {
        0, 1, 1, 5, 10, 10, 21, 31, 35, 50, 61, 65, 101, 150, -1, -5, -25, -40, -59, -61, -200
    };

    /**
     * Values around each rule's threshold and deadband bounds (temperature: 80/75 and 90/85;
     * battery: 15/20).
     */
    private static final Map<String, double[]> VALUES =
            Map.of(
                    "temperature",
                            new double[] {20, 74, 75, 76, 79, 80, 81, 85, 86, 90, 91, 95, 95, 97},
                    "battery", new double[] {10, 14, 15, 16, 19, 20, 21, 50},
                    "humidity", new double[] {40, 60},
                    "pressure", new double[] {1000, 1013});

    private static final String[] METRICS = {
        "temperature", "battery", "temperature", "humidity", "battery", "pressure"
    };

    /** The events of the steps, in log order. */
    static List<DeviceEvent> events(List<HistoryStep> steps, long seed) {
        Map<Integer, Long> newest = new HashMap<>();
        Map<Integer, List<DeviceEvent>> sent = new HashMap<>();
        List<DeviceEvent> log = new ArrayList<>();
        int counter = 0;
        for (HistoryStep step : steps) {
            String device = "d" + step.device;
            long base = newest.getOrDefault(step.device, 1_767_225_600_000L);
            long time = base + TIME_STEPS[step.timeStep] * 1000;
            List<DeviceEvent> earlier = sent.computeIfAbsent(step.device, d -> new ArrayList<>());
            // Ids sort like their order most of the time, but not always: ties in event time must
            // be broken by id.
            String id = "e" + ((counter++ * 7 + step.choice) % 100) + "-" + counter;
            DeviceEvent event =
                    switch (step.kind) {
                        case TELEMETRY ->
                                event(
                                        id,
                                        device,
                                        time,
                                        telemetry(step.choice, 1 + step.choice % 2));
                        case WIDE_TELEMETRY ->
                                event(
                                        id,
                                        device,
                                        time,
                                        telemetry(step.choice, 3 + step.choice % 2));
                        case REGISTRATION ->
                                event(
                                        id,
                                        device,
                                        time,
                                        new DeviceRegistered(
                                                "model-" + step.choice % 3,
                                                "1." + step.choice % 3,
                                                Map.of("site", "s" + step.choice % 2)));
                        case FIRMWARE ->
                                event(
                                        id,
                                        device,
                                        time,
                                        new FirmwareUpdated("1." + step.choice % 4));
                        case DECOMMISSIONING ->
                                event(
                                        id,
                                        device,
                                        time,
                                        new DeviceDecommissioned("reason " + step.choice % 2));
                        case RESEND ->
                                earlier.isEmpty()
                                        ? event(id, device, time, telemetry(step.choice, 1))
                                        : earlier.get(step.choice % earlier.size());
                        // One of the last few: re-sent while the original is near the edges of the
                        // window and the bound.
                        case RESEND_RECENT ->
                                earlier.isEmpty()
                                        ? event(id, device, time, telemetry(step.choice, 1))
                                        : earlier.get(
                                                earlier.size()
                                                        - 1
                                                        - step.choice
                                                                % Math.min(5, earlier.size()));
                        case OBSERVATION ->
                                earlier.isEmpty()
                                        ? event(id, device, time, telemetry(step.choice, 1))
                                        : event(
                                                "obs-" + id,
                                                device,
                                                time,
                                                new SilenceObserved(
                                                        earlier.get(
                                                                        earlier.size()
                                                                                - 1
                                                                                - step.choice
                                                                                        % Math.min(
                                                                                                2,
                                                                                                earlier
                                                                                                        .size()))
                                                                .getEventId()));
                    };
            if (!(event.getPayload() instanceof SilenceObserved)) {
                earlier.add(event);
                newest.merge(step.device, event.getEventTime().toEpochMilli(), Math::max);
            }
            log.add(event);
        }
        return log;
    }

    /** The same per-device sequences, merged in another interleaving. */
    static List<DeviceEvent> interleavedDifferently(List<DeviceEvent> log, Random random) {
        Map<String, List<DeviceEvent>> byDevice = new LinkedHashMap<>();
        log.forEach(e -> byDevice.computeIfAbsent(e.getDeviceId(), d -> new ArrayList<>()).add(e));
        List<List<DeviceEvent>> queues = new ArrayList<>(byDevice.values());
        List<DeviceEvent> shuffled = new ArrayList<>();
        while (!queues.isEmpty()) {
            int pick = random.nextInt(queues.size());
            shuffled.add(queues.get(pick).remove(0));
            if (queues.get(pick).isEmpty()) {
                queues.remove(pick);
            }
        }
        return shuffled;
    }

    private static TelemetryReported telemetry(int choice, int metrics) {
        Map<String, Double> readings = new LinkedHashMap<>();
        for (int i = 0; i < metrics; i++) {
            String metric = METRICS[(choice + i) % METRICS.length];
            double[] values = VALUES.get(metric);
            readings.put(metric, values[(choice / 7 + i * 3) % values.length]);
        }
        return new TelemetryReported(readings);
    }

    private static DeviceEvent event(String id, String device, long time, Object payload) {
        return DeviceEvent.newBuilder()
                .setEventId(id)
                .setDeviceId(device)
                .setEventTime(Instant.ofEpochMilli(time))
                .setPayload(payload)
                .build();
    }
}
