package io.twinlog.twin;

import static io.twinlog.twin.DeviceEvents.decommissioned;
import static io.twinlog.twin.DeviceEvents.firmware;
import static io.twinlog.twin.DeviceEvents.registered;
import static io.twinlog.twin.DeviceEvents.seconds;
import static io.twinlog.twin.DeviceEvents.telemetry;
import static org.assertj.core.api.Assertions.assertThat;

import io.twinlog.alerts.AlertRules;
import io.twinlog.schema.common.EventRef;
import io.twinlog.schema.derived.EventRejected;
import io.twinlog.schema.derived.FirmwareChanged;
import io.twinlog.schema.derived.Registered;
import io.twinlog.schema.derived.RejectionReason;
import io.twinlog.schema.derived.TwinEvent;
import io.twinlog.schema.twin.DeviceStatus;
import io.twinlog.schema.twin.DeviceTwin;
import io.twinlog.schema.twin.Reading;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DeviceFoldTest {

    private static final FoldSettings SETTINGS =
            new FoldSettings(Duration.ofMinutes(10), Duration.ofMinutes(10), 1000, Duration.ZERO);

    private final FoldRun run = new FoldRun(new DeviceFold(SETTINGS, AlertRules.none()));

    @Test
    void firstTelemetryCreatesAnUnregisteredTwin() {
        FoldResult result = run.apply(telemetry("e1", "d1", seconds(10), "temperature", 21.5));

        assertThat(result.outcome()).isEqualTo(Outcome.APPLIED);
        assertThat(result.twinChanged()).isTrue();
        DeviceTwin twin = run.twin();
        assertThat(twin.getDeviceId()).isEqualTo("d1");
        assertThat(twin.getStatus()).isEqualTo(DeviceStatus.UNREGISTERED);
        assertThat(twin.getReadings())
                .containsExactly(Map.entry("temperature", new Reading(21.5, seconds(10), "e1")));
        assertThat(twin.getFirstSeen()).isEqualTo(seconds(10));
        assertThat(twin.getLastSeen()).isEqualTo(seconds(10));
        assertThat(twin.getCounters().getApplied()).isEqualTo(1);
        assertThat(twin.getLastEvent()).isEqualTo(new EventRef("e1", DeviceEvents.position(0)));
        assertThat(run.derived).isEmpty();
    }

    @Test
    void registrationActivatesTheTwinAndKeepsEarlierReadings() {
        run.applyAll(
                telemetry("e1", "d1", seconds(10), "temperature", 21.5),
                registered("e2", "d1", seconds(5), "thermo-3", "1.0"));

        DeviceTwin twin = run.twin();
        assertThat(twin.getStatus()).isEqualTo(DeviceStatus.ACTIVE);
        assertThat(twin.getModel()).isEqualTo("thermo-3");
        assertThat(twin.getFirmwareVersion()).isEqualTo("1.0");
        assertThat(twin.getTags()).containsEntry("site", "test");
        assertThat(twin.getRegisteredAt()).isEqualTo(seconds(5));
        assertThat(twin.getReadings()).containsKey("temperature");
        assertThat(twin.getFirstSeen()).isEqualTo(seconds(5));
        assertThat(twin.getLastSeen()).isEqualTo(seconds(10));
        TwinEvent registeredEvent = run.derived.get(0);
        assertThat(registeredEvent.getPayload()).isEqualTo(new Registered("thermo-3", "1.0"));
        assertThat(registeredEvent.getEventId())
                .isEqualTo(DeterministicIds.derivedEvent("d1", "registered", "e2"));
        assertThat(registeredEvent.getCause())
                .isEqualTo(new EventRef("e2", DeviceEvents.position(1)));
    }

    @Test
    void aSecondRegistrationIsRejected() {
        run.applyAll(registered("e1", "d1", seconds(1), "m", "1.0"));
        DeviceTwin before = run.twinCopy();

        FoldResult result = run.apply(registered("e2", "d1", seconds(2), "other", "2.0"));

        assertThat(result.outcome()).isEqualTo(Outcome.REJECTED);
        assertThat(result.derivedEvents())
                .singleElement()
                .satisfies(
                        rejection ->
                                assertThat(((EventRejected) rejection.getPayload()).getReason())
                                        .isEqualTo(RejectionReason.ALREADY_REGISTERED));
        assertThat(run.twin().getModel()).isEqualTo(before.getModel());
        assertThat(run.twin().getCounters().getRejected()).isEqualTo(1);
        assertThat(run.twin().getLastEvent()).isEqualTo(before.getLastEvent());
    }

    @Test
    void telemetryThatWouldTakeTheTwinBeyondItsMetricBoundIsRejectedWhole() {
        FoldRun bounded =
                new FoldRun(
                        new DeviceFold(
                                new FoldSettings(
                                        Duration.ofMinutes(10),
                                        Duration.ofMinutes(10),
                                        1000,
                                        Duration.ZERO,
                                        3),
                                AlertRules.none()));
        bounded.applyAll(telemetry("e1", "d1", seconds(1), "a", 1, "b", 2));
        DeviceTwin before = bounded.twinCopy();

        FoldResult refused =
                bounded.apply(telemetry("e2", "d1", seconds(2), "a", 10, "c", 3, "d", 4));

        assertThat(refused.outcome()).isEqualTo(Outcome.REJECTED);
        assertThat(refused.derivedEvents())
                .singleElement()
                .satisfies(
                        rejection -> {
                            assertThat(rejection.getEventId())
                                    .isEqualTo(
                                            DeterministicIds.derivedEvent(
                                                    "d1", "event-rejected", "e2"));
                            assertThat(rejection.getPayload())
                                    .isEqualTo(
                                            new EventRejected(
                                                    RejectionReason.TOO_MANY_METRICS,
                                                    "the twin keeps at most 3 metrics (limits.max-metrics-per-device); it has 2 and this event adds 2"));
                        });
        assertThat(bounded.twin().getReadings()).isEqualTo(before.getReadings());
        assertThat(bounded.twin().getLastEvent()).isEqualTo(before.getLastEvent());
        assertThat(bounded.twin().getCounters().getRejected()).isEqualTo(1);
        // Known metrics and one new one, up to the bound, are applied; the id of the refused event
        // was not remembered.
        assertThat(
                        bounded.apply(telemetry("e3", "d1", seconds(3), "a", 5, "b", 6, "c", 7))
                                .outcome())
                .isEqualTo(Outcome.APPLIED);
        assertThat(bounded.apply(telemetry("e2", "d1", seconds(4), "a", 8)).outcome())
                .isEqualTo(Outcome.APPLIED);
        assertThat(bounded.twin().getReadings()).containsOnlyKeys("a", "b", "c");
    }

    @Test
    void duplicatesAreDroppedAndCounted() {
        run.applyAll(
                telemetry("e1", "d1", seconds(10), "temperature", 20.0),
                telemetry("e2", "d1", seconds(20), "temperature", 22.0));

        FoldResult result = run.apply(telemetry("e1", "d1", seconds(10), "temperature", 20.0));

        assertThat(result.outcome()).isEqualTo(Outcome.DUPLICATE);
        assertThat(run.twin().getCounters().getDuplicates()).isEqualTo(1);
        assertThat(run.twin().getCounters().getApplied()).isEqualTo(2);
        assertThat(run.twin().getReadings().get("temperature").getValue()).isEqualTo(22.0);
        assertThat(run.twin().getLastEvent().getEventId()).isEqualTo("e2");
    }

    @Test
    void aDuplicateIdIsRecognisedWhateverItsPayload() {
        run.applyAll(telemetry("e1", "d1", seconds(10), "temperature", 20.0));

        assertThat(run.apply(firmware("e1", "d1", seconds(11), "9.9")).outcome())
                .isEqualTo(Outcome.DUPLICATE);
        assertThat(run.twin().getFirmwareVersion()).isNull();
    }

    @Test
    void lateEventsAreNotAppliedButCounted() {
        run.applyAll(telemetry("e1", "d1", seconds(1000), "temperature", 20.0));

        FoldResult late =
                run.apply(telemetry("e2", "d1", seconds(1000 - 601), "temperature", 99.0));
        FoldResult onTheBound =
                run.apply(telemetry("e3", "d1", seconds(1000 - 600), "humidity", 40.0));

        assertThat(late.outcome()).isEqualTo(Outcome.LATE);
        assertThat(onTheBound.outcome())
                .as("exactly the allowed lateness is not late")
                .isEqualTo(Outcome.APPLIED);
        assertThat(run.twin().getCounters().getLate()).isEqualTo(1);
        assertThat(run.twin().getReadings().get("temperature").getValue()).isEqualTo(20.0);
        assertThat(run.twin().getReadings()).containsKey("humidity");
        assertThat(run.twin().getLastSeen()).isEqualTo(seconds(1000));
    }

    @Test
    void aResentEventOlderThanTheWindowIsLateNotAppliedTwice() {
        run.applyAll(
                telemetry("e1", "d1", seconds(0), "temperature", 20.0),
                telemetry("e2", "d1", seconds(3600), "temperature", 21.0));

        assertThat(run.apply(telemetry("e1", "d1", seconds(0), "temperature", 20.0)).outcome())
                .isEqualTo(Outcome.LATE);
        assertThat(run.twin().getCounters().getApplied()).isEqualTo(2);
    }

    @Test
    void theLatestReadingPerMetricIsTheOneWithTheGreatestEventTime() {
        run.applyAll(
                telemetry("e1", "d1", seconds(30), "temperature", 30.0),
                telemetry("e2", "d1", seconds(10), "temperature", 10.0, "humidity", 50.0),
                telemetry("e3", "d1", seconds(20), "temperature", 20.0));

        assertThat(run.twin().getReadings())
                .containsOnly(
                        Map.entry("temperature", new Reading(30.0, seconds(30), "e1")),
                        Map.entry("humidity", new Reading(50.0, seconds(10), "e2")));
        assertThat(run.outcomes).containsOnly(Outcome.APPLIED);
        assertThat(run.twin().getLastEvent().getEventId())
                .as("last applied in log order")
                .isEqualTo("e3");
    }

    @Test
    void equalEventTimesAreBrokenByTheGreaterEventId() {
        run.applyAll(
                telemetry("b", "d1", seconds(10), "temperature", 2.0),
                telemetry("a", "d1", seconds(10), "temperature", 1.0),
                telemetry("c", "d1", seconds(10), "temperature", 3.0));

        assertThat(run.twin().getReadings().get("temperature"))
                .isEqualTo(new Reading(3.0, seconds(10), "c"));

        FoldRun reversed =
                new FoldRun(run.fold)
                        .applyAll(
                                telemetry("c", "d1", seconds(10), "temperature", 3.0),
                                telemetry("a", "d1", seconds(10), "temperature", 1.0),
                                telemetry("b", "d1", seconds(10), "temperature", 2.0));
        assertThat(reversed.twin().getReadings()).isEqualTo(run.twin().getReadings());
    }

    @Test
    void firmwareFollowsTheNewestUpdateAndAnnouncesOnlyChanges() {
        run.applyAll(
                registered("e1", "d1", seconds(0), "m", "1.0"),
                firmware("e2", "d1", seconds(20), "1.2"),
                firmware("e3", "d1", seconds(10), "1.1"),
                firmware("e4", "d1", seconds(30), "1.2"));

        assertThat(run.twin().getFirmwareVersion()).isEqualTo("1.2");
        assertThat(run.twin().getFirmwareUpdatedAt()).isEqualTo(seconds(30));
        assertThat(run.derived)
                .extracting(TwinEvent::getPayload)
                .containsExactly(new Registered("m", "1.0"), new FirmwareChanged("1.0", "1.2"));
    }

    @Test
    void decommissionedDevicesRejectEverythingAndChangeNothing() {
        run.applyAll(
                registered("e1", "d1", seconds(0), "m", "1.0"),
                telemetry("e2", "d1", seconds(5), "temperature", 20.0),
                decommissioned("e3", "d1", seconds(10), "broken"));
        assertThat(run.twin().getStatus()).isEqualTo(DeviceStatus.DECOMMISSIONED);
        assertThat(run.twin().getDecommissionReason()).isEqualTo("broken");
        assertThat(run.seen.size()).as("dedup memory released").isZero();
        DeviceTwin frozen = run.twinCopy();

        List<FoldResult> after =
                List.of(
                        run.apply(telemetry("e4", "d1", seconds(11), "temperature", 25.0)),
                        run.apply(firmware("e5", "d1", seconds(12), "2.0")),
                        run.apply(decommissioned("e3", "d1", seconds(10), "broken")));

        assertThat(after).extracting(FoldResult::outcome).containsOnly(Outcome.REJECTED);
        assertThat(after).extracting(FoldResult::twinChanged).containsOnly(false);
        assertThat(after)
                .flatExtracting(FoldResult::derivedEvents)
                .extracting(e -> ((EventRejected) e.getPayload()).getReason())
                .containsOnly(RejectionReason.DEVICE_DECOMMISSIONED);
        assertThat(run.twin()).isEqualTo(frozen);
        assertThat(run.seen.size()).isZero();
    }

    @Test
    void lateEventsOfADecommissionedDeviceAreForwardedWithoutTouchingTheTwin() {
        run.applyAll(
                registered("e1", "d1", seconds(1000), "m", "1.0"),
                decommissioned("e2", "d1", seconds(1001), ""));
        DeviceTwin frozen = run.twinCopy();

        FoldResult late = run.apply(telemetry("e3", "d1", seconds(1), "temperature", 1.0));

        assertThat(late.outcome()).isEqualTo(Outcome.LATE);
        assertThat(late.twinChanged()).isFalse();
        assertThat(run.twin()).isEqualTo(frozen);
    }

    @Test
    void aMixedHistoryGetsTheOutcomesFoldMdDescribes() {
        run.applyAll(
                telemetry("e1", "d1", seconds(10), "temperature", 21.5),
                registered("e2", "d1", seconds(5), "m", "1.0"),
                telemetry("e1", "d1", seconds(10), "temperature", 21.5),
                firmware("e3", "d1", seconds(20), "1.1"),
                telemetry("e4", "d1", seconds(-1000), "temperature", 0.0),
                registered("e5", "d1", seconds(25), "other", "9"),
                decommissioned("e6", "d1", seconds(30), "worn out"),
                telemetry("e7", "d1", seconds(31), "temperature", 1.0));

        assertThat(run.outcomes)
                .containsExactly(
                        Outcome.APPLIED,
                        Outcome.APPLIED,
                        Outcome.DUPLICATE,
                        Outcome.APPLIED,
                        Outcome.LATE,
                        Outcome.REJECTED,
                        Outcome.APPLIED,
                        Outcome.REJECTED);
        DeviceTwin twin = run.twin();
        assertThat(twin.getStatus()).isEqualTo(DeviceStatus.DECOMMISSIONED);
        assertThat(twin.getModel()).isEqualTo("m");
        assertThat(twin.getFirmwareVersion()).isEqualTo("1.1");
        assertThat(twin.getReadings())
                .containsExactly(Map.entry("temperature", new Reading(21.5, seconds(10), "e1")));
        assertThat(twin.getFirstSeen()).isEqualTo(seconds(5));
        assertThat(twin.getLastSeen()).isEqualTo(seconds(30));
        assertThat(twin.getCounters())
                .isEqualTo(new io.twinlog.schema.twin.TwinCounters(4L, 1L, 1L, 1L));
        assertThat(twin.getLastEvent().getEventId()).isEqualTo("e6");
        assertThat(twin.getDecommissionReason()).isEqualTo("worn out");
        assertThat(run.derived)
                .extracting(e -> e.getPayload().getClass().getSimpleName())
                .containsExactly(
                        "Registered",
                        "FirmwareChanged",
                        "EventRejected",
                        "Decommissioned",
                        "EventRejected");
    }

    @Test
    void dedupMemoryIsPrunedAsTheWindowMovesOn() {
        for (int i = 0; i < 200; i++) {
            run.apply(telemetry("e" + i, "d1", seconds(i * 30L), "temperature", i));
        }
        // 10-minute window, one event per 30 s: about 20 ids are live, pruning runs every 5
        // minutes.
        assertThat(run.seen.size()).isBetween(20, 32);
        assertThat(run.state.getSeenIdCount()).isEqualTo(run.seen.size());
    }

    @Test
    void dedupMemoryNeverExceedsItsBoundAndForgetsTheOldestFirst() {
        FoldRun bounded =
                new FoldRun(
                        new DeviceFold(
                                new FoldSettings(
                                        Duration.ofHours(1),
                                        Duration.ofHours(1),
                                        100,
                                        Duration.ZERO),
                                AlertRules.none()));
        for (int i = 0; i < 1000; i++) {
            bounded.apply(telemetry(String.format("e%04d", i), "d1", seconds(i), "temperature", i));
            assertThat(bounded.seen.size()).isLessThanOrEqualTo(100);
        }
        assertThat(bounded.state.getSeenIdCount()).isEqualTo(bounded.seen.size());
        assertThat(bounded.seen.timeOf("e0999")).isNotNull();
        assertThat(bounded.seen.timeOf("e0100")).isNull();
        // A forgotten id within the lateness bound is applied again: the documented price of the
        // bound.
        assertThat(
                        bounded.apply(telemetry("e0100", "d1", seconds(100), "temperature", 0))
                                .outcome())
                .isEqualTo(Outcome.APPLIED);
    }

    @Test
    void firmwareUpdatesAtTheSameTimeAreBrokenByTheGreaterEventId() {
        run.applyAll(
                registered("e1", "d1", seconds(0), "m", "1.0"),
                firmware("f-b", "d1", seconds(10), "2.0"),
                firmware("f-a", "d1", seconds(10), "1.5"),
                firmware("f-c", "d1", seconds(10), "3.0"));

        assertThat(run.twin().getFirmwareVersion()).isEqualTo("3.0");
        assertThat(run.derived)
                .extracting(e -> e.getPayload())
                .containsExactly(
                        new Registered("m", "1.0"),
                        new FirmwareChanged("1.0", "2.0"),
                        new FirmwareChanged("2.0", "3.0"));
    }

    @Test
    void anEqualPairOfTimeAndIdIsNotNewerTheFirstStays() {
        // With a bound of one id, the memory forgets e1 as soon as e2 is applied; e1 re-used with
        // another
        // value is then applied, but its reading is no newer than the one of the same (time, id).
        FoldRun forgetful =
                new FoldRun(
                        new DeviceFold(
                                new FoldSettings(
                                        Duration.ofMinutes(10),
                                        Duration.ofMinutes(10),
                                        1,
                                        Duration.ZERO),
                                AlertRules.none()));
        forgetful.applyAll(
                telemetry("e1", "d1", seconds(10), "a", 1.0),
                telemetry("e2", "d1", seconds(11), "b", 2.0));

        assertThat(forgetful.apply(telemetry("e1", "d1", seconds(10), "a", 5.0)).outcome())
                .isEqualTo(Outcome.APPLIED);
        assertThat(forgetful.twin().getReadings().get("a"))
                .isEqualTo(new Reading(1.0, seconds(10), "e1"));
    }

    @Test
    void theBoundKeepsExactlyThreeQuartersOfItsIdsTheNewest() {
        FoldRun bounded =
                new FoldRun(
                        new DeviceFold(
                                new FoldSettings(
                                        Duration.ofMinutes(10),
                                        Duration.ofMinutes(10),
                                        4,
                                        Duration.ZERO),
                                AlertRules.none()));
        bounded.applyAll(
                telemetry("e1", "d1", seconds(1), "t", 1),
                telemetry("e2", "d1", seconds(2), "t", 1),
                telemetry("e3", "d1", seconds(3), "t", 1),
                telemetry("e4", "d1", seconds(4), "t", 1),
                telemetry("e5", "d1", seconds(5), "t", 1));

        assertThat(bounded.state.getSeenIdCount()).isEqualTo(3);
        assertThat(bounded.seen.size()).isEqualTo(3);
        assertThat(List.of("e3", "e4", "e5"))
                .allSatisfy(id -> assertThat(bounded.seen.timeOf(id)).isNotNull());
        assertThat(bounded.apply(telemetry("e2", "d1", seconds(2), "t", 1)).outcome())
                .isEqualTo(Outcome.APPLIED);
        assertThat(bounded.apply(telemetry("e4", "d1", seconds(4), "t", 1)).outcome())
                .isEqualTo(Outcome.DUPLICATE);
    }

    @Test
    void anIdExactlyOnTheWindowsEdgeIsStillADuplicate() {
        FoldRun edge =
                new FoldRun(
                        new DeviceFold(
                                new FoldSettings(
                                        Duration.ofSeconds(10),
                                        Duration.ofSeconds(10),
                                        100,
                                        Duration.ZERO),
                                AlertRules.none()));
        edge.applyAll(
                telemetry("e1", "d1", seconds(0), "t", 1),
                telemetry("e2", "d1", seconds(10), "t", 2));

        assertThat(edge.apply(telemetry("e1", "d1", seconds(0), "t", 1)).outcome())
                .isEqualTo(Outcome.DUPLICATE);
        edge.apply(telemetry("e3", "d1", seconds(10).plusMillis(1), "t", 3));
        assertThat(edge.apply(telemetry("e1", "d1", seconds(0), "t", 1)).outcome())
                .as("beyond the window: late")
                .isEqualTo(Outcome.LATE);
    }

    @Test
    void idsWithinTheWindowAreNotForgottenWhileFewerThanTheBoundAreInIt() {
        // Found by an independent check of the fold: expired ids not yet pruned counted toward the
        // bound,
        // so the bound forgot ids still in the window and e4, re-sent, was applied twice.
        FoldRun bounded =
                new FoldRun(
                        new DeviceFold(
                                new FoldSettings(
                                        Duration.ofSeconds(10),
                                        Duration.ofSeconds(10),
                                        4,
                                        Duration.ZERO),
                                AlertRules.none()));
        bounded.applyAll(
                telemetry("e1", "d1", seconds(0), "t", 1),
                telemetry("e2", "d1", seconds(1), "t", 1),
                telemetry("e3", "d1", seconds(2), "t", 1),
                telemetry("e4", "d1", seconds(14), "t", 1),
                telemetry("e5", "d1", seconds(5), "t", 1),
                telemetry("e6", "d1", seconds(18), "t", 1),
                telemetry("e7", "d1", seconds(18).plusMillis(100), "t", 1),
                telemetry("e8", "d1", seconds(18).plusMillis(200), "t", 1));

        assertThat(bounded.apply(telemetry("e4", "d1", seconds(14), "t", 1)).outcome())
                .isEqualTo(Outcome.DUPLICATE);
    }

    @Test
    void aDeviceBelowTheBoundPerWindowNeverHasAResentEventAppliedTwice() {
        // The shipped defaults: a 1 h window, 10,000 ids; an event every 400 ms is 9,000 per hour.
        // Re-sends aged 50 to 60 minutes, at several points of the pruning cycle (every 30
        // minutes).
        for (int events = 12_000; events <= 18_000; events += 500) {
            FoldRun device =
                    new FoldRun(new DeviceFold(FoldSettings.defaults(), AlertRules.none()));
            for (int i = 0; i < events; i++) {
                device.apply(telemetry("e" + i, "d1", seconds(0).plusMillis(400L * i), "t", i));
            }
            for (int i = events - 9_000 + 1; i < events - 7_500; i += 75) {
                assertThat(
                                device.apply(
                                                telemetry(
                                                        "e" + i,
                                                        "d1",
                                                        seconds(0).plusMillis(400L * i),
                                                        "t",
                                                        i))
                                        .outcome())
                        .as("e%d re-sent after %d events", i, events)
                        .isEqualTo(Outcome.DUPLICATE);
            }
        }
    }

    @Test
    void rejectsSettingsWhereADuplicateCouldSlipThrough() {
        org.assertj.core.api.Assertions.assertThatThrownBy(
                        () ->
                                new FoldSettings(
                                        Duration.ofHours(2),
                                        Duration.ofHours(1),
                                        10,
                                        Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(
                        "--dedup.window (1h) must be at least --allowed.lateness (2h)");
        assertThat(
                        new FoldSettings(
                                        Duration.ofHours(1),
                                        Duration.ofHours(1),
                                        1,
                                        Duration.ZERO,
                                        1)
                                .maxSeenIdsPerDevice())
                .as("a window equal to the lateness, and bounds of one, are fine")
                .isEqualTo(1);
        for (Runnable invalid :
                List.<Runnable>of(
                        () ->
                                new FoldSettings(
                                        Duration.ofHours(1), Duration.ofHours(1), 0, Duration.ZERO),
                        () ->
                                new FoldSettings(
                                        Duration.ofHours(1),
                                        Duration.ofHours(1),
                                        1,
                                        Duration.ZERO,
                                        0),
                        () ->
                                new FoldSettings(
                                        Duration.ofHours(-1),
                                        Duration.ofHours(1),
                                        1,
                                        Duration.ZERO),
                        () ->
                                new FoldSettings(
                                        Duration.ofHours(1),
                                        Duration.ofHours(1),
                                        1,
                                        Duration.ofHours(-1)))) {
            org.assertj.core.api.Assertions.assertThatThrownBy(invalid::run)
                    .isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void anUnknownPayloadIsAProgrammingError() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> EventKind.of("a string"))
                .hasMessageContaining("unknown payload type class java.lang.String");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> EventKind.of(null))
                .hasMessageContaining("null");
    }
}
