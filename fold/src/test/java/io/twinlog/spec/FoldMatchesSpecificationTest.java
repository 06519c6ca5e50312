package io.twinlog.spec;

import static org.assertj.core.api.Assertions.assertThat;

import io.twinlog.alerts.AlertRules;
import io.twinlog.alerts.AlertRulesFile;
import io.twinlog.kernel.DeviceFolder;
import io.twinlog.kernel.DeviceStore;
import io.twinlog.kernel.LogAdmission;
import io.twinlog.kernel.LogRouter;
import io.twinlog.schema.common.LogPosition;
import io.twinlog.schema.event.DeviceEvent;
import io.twinlog.schema.rules.RuleSet;
import io.twinlog.schema.state.DeviceState;
import io.twinlog.schema.twin.DeviceTwin;
import io.twinlog.testing.StoredStates;
import io.twinlog.twin.BucketedSeenEventIds;
import io.twinlog.twin.DeviceFold;
import io.twinlog.twin.FoldResult;
import io.twinlog.twin.FoldSettings;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.statistics.Statistics;

/**
 * Random device histories through the fold and through the independent specification: every event
 * must give the same outcome, twin, derived events and alerts (ids included), late records and
 * counters. Histories hold registrations and re-registrations, telemetry crossing thresholds both
 * ways and inside the deadband, hold periods, firmware updates, decommissions, exact re-sends,
 * disorder within and beyond the lateness bound, equal event times, silences by gap and by
 * observation, and several devices interleaved; settings vary the dedup bound, the window, silence
 * and the metric bound.
 */
class FoldMatchesSpecificationTest {

    static final AlertRules RULES =
            AlertRulesFile.parse(
                    """
            {"rules": [
              {"id": "temperature-high", "metric": "temperature", "high": 80, "deadband": 5, "severity": "CRITICAL"},
              {"id": "temperature-hot-20s", "metric": "temperature", "high": 90, "deadband": 5, "holdFor": "20s"},
              {"id": "battery-low", "metric": "battery", "low": 15, "deadband": 5},
              {"id": "temperature-rising", "metric": "temperature", "risesFaster": 30, "deadband": 10},
              {"id": "temperature-rising-held", "metric": "temperature", "risesFaster": 30, "deadband": 10, "holdFor": "5s"},
              {"id": "battery-draining", "metric": "battery", "fallsFaster": 20, "deadband": 5}
            ]}""");

    /** Fold settings the histories run with: small bounds, so that the bounds are reached. */
    static final List<FoldSettings> SETTINGS =
            List.of(
                    new FoldSettings(
                            Duration.ofSeconds(60),
                            Duration.ofSeconds(60),
                            4,
                            Duration.ofSeconds(100),
                            256),
                    new FoldSettings(
                            Duration.ofSeconds(60), Duration.ofSeconds(120), 3, Duration.ZERO, 2),
                    new FoldSettings(
                            Duration.ofSeconds(30),
                            Duration.ofSeconds(30),
                            1_000,
                            Duration.ofSeconds(45),
                            3),
                    new FoldSettings(
                            Duration.ofSeconds(0),
                            Duration.ofSeconds(10),
                            2,
                            Duration.ofSeconds(100),
                            256));

    @Property // tries: jqwik.tries.default, 1,000 (src/test/resources/junit-platform.properties)
    void theFoldDecidesEveryEventAsTheSpecificationSays(
            @ForAll("histories") List<HistoryStep> steps,
            @ForAll @IntRange(min = 0, max = 3) int settingsIndex,
            @ForAll long storeSeed) {
        FoldSettings settings = SETTINGS.get(settingsIndex);
        List<DeviceEvent> log = HistoryStep.events(steps, 7);
        DeviceFold fold = new DeviceFold(settings, RULES);
        FoldSpecification spec =
                new FoldSpecification(FoldSpecification.Settings.of(settings), RULES);
        JobStore states = new JobStore(fold, storeSeed);

        for (int offset = 0; offset < log.size(); offset++) {
            DeviceEvent event = log.get(offset);
            // Now and then a record on another partition, as a producer with another partitioner
            // would write it.
            LogPosition position =
                    new LogPosition("device-events", offset % 13 == 7 ? 1 : 0, (long) offset);
            FoldResult actual = states.fold(event, position);
            FoldSpecification.Output expected = spec.apply(event, position);

            String at = "event #" + offset + " " + event;
            assertSameOutputs(actual, expected, at);
            assertThat(actual.outcome().name().equals("LATE"))
                    .as("late record of %s", at)
                    .isEqualTo(expected.late());
            covered(expected);
        }
        for (String device : spec.devices()) {
            assertThat(states.twin(device))
                    .as("final twin of " + device)
                    .isEqualTo(spec.twin(device).orElse(null));
        }
        // The histories must reach every case the specification distinguishes, not only the easy
        // ones.
        Statistics.label("case")
                .coverage(
                        coverage -> {
                            for (String required :
                                    List.of(
                                            "APPLIED",
                                            "DUPLICATE",
                                            "LATE",
                                            "SILENCE_OBSERVED",
                                            "OBSERVATION_OUTDATED",
                                            "PARTITION_MISMATCH",
                                            "REJECTED ALREADY_REGISTERED",
                                            "REJECTED DEVICE_DECOMMISSIONED",
                                            "REJECTED TOO_MANY_METRICS",
                                            "Registered",
                                            "FirmwareChanged",
                                            "WentOffline",
                                            "CameOnline",
                                            "Decommissioned",
                                            "RAISED temperature-high",
                                            "CLEARED temperature-high",
                                            "RAISED temperature-hot-20s",
                                            "RAISED battery-low",
                                            "CLEARED battery-low",
                                            "RAISED temperature-rising",
                                            "CLEARED temperature-rising",
                                            "RAISED battery-draining",
                                            "CLEARED battery-draining",
                                            "RAISED device-silent",
                                            "CLEARED device-silent",
                                            "CLEARED device decommissioned")) {
                                coverage.check(required).count(c -> c > 0);
                            }
                        });
    }

    /**
     * Rules versions published mid-log (docs/RULES.md): version 1.. from these, in any order and
     * repeated; the first redefines two rules and removes one, the second removes the common ones,
     * adds one and redefines another, the third is version 0 again (so its rules are defined alike
     * or redefined back).
     */
    static final List<AlertRules> VERSIONS =
            List.of(
                    AlertRulesFile.parse(
                            """
            {"rules": [
              {"id": "temperature-high", "metric": "temperature", "high": 70, "deadband": 5, "severity": "CRITICAL"},
              {"id": "battery-low", "metric": "battery", "low": 15, "deadband": 5},
              {"id": "temperature-rising", "metric": "temperature", "risesFaster": 30, "deadband": 10},
              {"id": "temperature-rising-held", "metric": "temperature", "risesFaster": 30, "deadband": 10, "holdFor": "5s"},
              {"id": "battery-draining", "metric": "battery", "fallsFaster": 10, "deadband": 5}
            ]}"""),
                    AlertRulesFile.parse(
                            """
            {"rules": [
              {"id": "temperature-very-high", "metric": "temperature", "high": 95},
              {"id": "temperature-hot-20s", "metric": "temperature", "high": 90, "deadband": 5, "holdFor": "20s"},
              {"id": "battery-low", "metric": "battery", "low": 25, "deadband": 5, "severity": "CRITICAL"}
            ]}"""),
                    RULES);

    /** A rules version published before the event at {@code at} of the log. */
    record Publication(int at, int rules, Integer effectiveShiftSeconds) {}

    @Property(tries = 300)
    void rulesVersionsPublishedMidLogEndAndStartEpisodesAsTheSpecificationSays(
            @ForAll("histories") List<HistoryStep> steps,
            @ForAll @IntRange(min = 0, max = 3) int settingsIndex,
            @ForAll("publications") List<Publication> publications,
            @ForAll long storeSeed) {
        FoldSettings settings = SETTINGS.get(settingsIndex);
        List<DeviceEvent> log = HistoryStep.events(steps, 7);
        DeviceFold fold = new DeviceFold(settings, RULES);
        FoldSpecification spec =
                new FoldSpecification(FoldSpecification.Settings.of(settings), RULES);
        JobStore states = new JobStore(fold, storeSeed);
        List<Publication> ordered =
                publications.stream().sorted(Comparator.comparingInt(Publication::at)).toList();
        int published = 0;

        for (int offset = 0; offset < log.size(); offset++) {
            DeviceEvent event = log.get(offset);
            while (published < ordered.size() && ordered.get(published).at() <= offset) {
                Publication publication = ordered.get(published++);
                Instant effectiveFrom =
                        publication.effectiveShiftSeconds() == null
                                ? null
                                : event.getEventTime()
                                        .plusSeconds(publication.effectiveShiftSeconds());
                AlertRules rules = VERSIONS.get(publication.rules());
                assertThat(
                                states.publish(
                                        RuleSet.newBuilder()
                                                .setVersion(published)
                                                .setRules(AlertRulesFile.toJson(rules))
                                                .setEffectiveFrom(effectiveFrom)
                                                .setPublishedAt(Instant.EPOCH)
                                                .build(),
                                        new LogPosition("device-events", 0, -1L - published)))
                        .isInstanceOf(LogRouter.Activated.class);
                spec.publish(published, rules, effectiveFrom);
            }
            LogPosition position = new LogPosition("device-events", 0, (long) offset);
            FoldResult actual = states.fold(event, position);
            FoldSpecification.Output expected = spec.apply(event, position);

            String at = "event #" + offset + " " + event;
            assertSameOutputs(actual, expected, at);
            for (var alert : expected.alerts()) {
                Statistics.label("rules")
                        .collect(
                                alert.getReason() != null
                                        ? "CLEARED " + alert.getReason()
                                        : alert.getRulesVersion() > 0
                                                ? alert.getStatus() + " after a change"
                                                : "version 0");
            }
        }
        Statistics.label("rules")
                .coverage(
                        coverage -> {
                            for (String required :
                                    List.of(
                                            "CLEARED RULE_CHANGED",
                                            "CLEARED RULE_REMOVED",
                                            "RAISED after a change",
                                            "CLEARED after a change")) {
                                coverage.check(required).count(c -> c > 0);
                            }
                        });
    }

    @Provide
    Arbitrary<List<Publication>> publications() {
        return Combinators.combine(
                        Arbitraries.integers().between(0, 40),
                        Arbitraries.integers().between(0, VERSIONS.size() - 1),
                        Arbitraries.of(-30, 0, 15, 60).injectNull(0.5))
                .as(Publication::new)
                .list()
                .ofMaxSize(4);
    }

    private static void assertSameOutputs(
            FoldResult actual, FoldSpecification.Output expected, String at) {
        assertThat(actual.outcome().name()).as("outcome of %s", at).isEqualTo(expected.outcome());
        assertThat(actual.twinChanged() ? actual.state().getTwin() : null)
                .as("twin after %s", at)
                .isEqualTo(expected.twin());
        assertThat(actual.derivedEvents())
                .as("derived events of %s", at)
                .isEqualTo(expected.derived());
        assertThat(actual.alerts()).as("alerts of %s", at).isEqualTo(expected.alerts());
    }

    private static void covered(FoldSpecification.Output output) {
        Statistics.label("case").collect(output.outcome());
        for (var derived : output.derived()) {
            Statistics.label("case")
                    .collect(
                            derived.getPayload()
                                            instanceof io.twinlog.schema.derived.EventRejected r
                                    ? "REJECTED " + r.getReason()
                                    : derived.getPayload().getClass().getSimpleName());
        }
        for (var alert : output.alerts()) {
            Statistics.label("case")
                    .collect(
                            alert.getMessage().equals("device decommissioned")
                                    ? "CLEARED device decommissioned"
                                    : alert.getStatus() + " " + alert.getRuleId());
        }
    }

    /**
     * Another interleaving of the devices, each keeping its own order: each device's outputs are
     * the same.
     */
    @Property(tries = 200)
    void theInterleavingOfDevicesDoesNotChangeAnyDevicesOutputs(
            @ForAll("histories") List<HistoryStep> steps,
            @ForAll @IntRange(min = 0, max = 3) int settingsIndex,
            @ForAll long seed) {
        FoldSettings settings = SETTINGS.get(settingsIndex);
        List<DeviceEvent> log = HistoryStep.events(steps, 7);
        List<DeviceEvent> shuffled = HistoryStep.interleavedDifferently(log, new Random(seed));

        assertThat(outputsPerDevice(shuffled, settings)).isEqualTo(outputsPerDevice(log, settings));
    }

    /**
     * Per device, every output of the fold in order, with log positions left out (they follow the
     * interleaving).
     */
    private static Map<String, List<Object>> outputsPerDevice(
            List<DeviceEvent> log, FoldSettings settings) {
        DeviceFold fold = new DeviceFold(settings, RULES);
        JobStore states = new JobStore(fold, log.size());
        Map<String, List<Object>> outputs = new HashMap<>();
        for (int offset = 0; offset < log.size(); offset++) {
            DeviceEvent event = log.get(offset);
            String device = event.getDeviceId();
            FoldResult result =
                    states.fold(event, new LogPosition("device-events", 0, (long) offset));
            List<Object> out = outputs.computeIfAbsent(device, d -> new ArrayList<>());
            out.add(result.outcome());
            out.add(result.twinChanged() ? Positions.erased(result.state().getTwin()) : null);
            result.derivedEvents().forEach(e -> out.add(Positions.erased(e)));
            result.alerts().forEach(a -> out.add(Positions.erased(a)));
        }
        return outputs;
    }

    @Provide
    Arbitrary<List<HistoryStep>> histories() {
        Arbitrary<HistoryStep> step =
                Combinators.combine(
                                Arbitraries.integers().between(0, 2),
                                Arbitraries.frequency(
                                        net.jqwik.api.Tuple.of(40, HistoryStep.Kind.TELEMETRY),
                                        net.jqwik.api.Tuple.of(6, HistoryStep.Kind.REGISTRATION),
                                        net.jqwik.api.Tuple.of(6, HistoryStep.Kind.FIRMWARE),
                                        net.jqwik.api.Tuple.of(2, HistoryStep.Kind.DECOMMISSIONING),
                                        net.jqwik.api.Tuple.of(5, HistoryStep.Kind.RESEND),
                                        net.jqwik.api.Tuple.of(8, HistoryStep.Kind.RESEND_RECENT),
                                        net.jqwik.api.Tuple.of(5, HistoryStep.Kind.OBSERVATION),
                                        net.jqwik.api.Tuple.of(4, HistoryStep.Kind.WIDE_TELEMETRY)),
                                Arbitraries.integers()
                                        .between(0, HistoryStep.TIME_STEPS.length - 1),
                                Arbitraries.integers().between(0, 1_000))
                        .as(HistoryStep::new);
        return step.list().ofMinSize(1).ofMaxSize(40);
    }

    /**
     * The job's kernel over devices' states kept as the job keeps them: the dedup memory laid out
     * in the state and in spilled buckets (spilling every few ids so that histories reach the
     * buckets), and each state read back through the job's state serializers before most events, as
     * RocksDB hands it back; the rest of the time the fold gets the object it built itself, as on
     * the heap. Which events see which is drawn from the seed. Records go through the kernel's
     * admission and routing, markers too, as every engine folds them.
     */
    private static final class JobStore {

        private static final StoredStates STORED = new StoredStates();

        private final Map<String, DeviceState> states = new HashMap<>();
        private final Map<String, BucketedSeenEventIds.Buckets> buckets = new HashMap<>();
        private final Random reloads;
        private final LogRouter router = new LogRouter();
        private final DeviceFolder folder;

        JobStore(DeviceFold fold, long seed) {
            this.reloads = new Random(seed);
            this.folder = new DeviceFolder(fold).spillingEvery(3);
        }

        /** A rules marker, as admitted, routed at its position. */
        LogRouter.Routed publish(RuleSet ruleSet, LogPosition position) {
            LogRouter.Routed routed = router.route(new LogAdmission.Marker(ruleSet), position);
            if (routed instanceof LogRouter.Activated activated) {
                folder.announce(activated.ruleSet());
            }
            return routed;
        }

        FoldResult fold(DeviceEvent event, LogPosition position) {
            LogRouter.Stamped stamped =
                    (LogRouter.Stamped) router.route(new LogAdmission.Event(event), position);
            return folder.fold(store(event.getDeviceId()), event, position, stamped.stamp());
        }

        private DeviceStore store(String device) {
            BucketedSeenEventIds.Buckets deviceBuckets =
                    buckets.computeIfAbsent(device, d -> STORED.newBuckets());
            return new DeviceStore() {
                @Override
                public DeviceState load() {
                    DeviceState stored = states.get(device);
                    // Mostly read back from bytes; now and then the object the fold built, as the
                    // heap backend hands it out (the kernel stores only after a fold that worked).
                    return reloads.nextInt(4) != 0 || stored == null
                            ? STORED.reloaded(stored)
                            : stored;
                }

                @Override
                public BucketedSeenEventIds.Buckets buckets() {
                    return deviceBuckets;
                }

                @Override
                public void store(DeviceState state) {
                    states.put(device, state);
                }
            };
        }

        DeviceTwin twin(String device) {
            DeviceState state = states.get(device);
            return state == null ? null : state.getTwin();
        }
    }
}
