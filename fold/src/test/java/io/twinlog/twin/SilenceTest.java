package io.twinlog.twin;

import static io.twinlog.twin.DeviceEvents.decommissioned;
import static io.twinlog.twin.DeviceEvents.registered;
import static io.twinlog.twin.DeviceEvents.seconds;
import static io.twinlog.twin.DeviceEvents.telemetry;
import static org.assertj.core.api.Assertions.assertThat;

import io.twinlog.alerts.AlertRules;
import io.twinlog.schema.alert.AlertStatus;
import io.twinlog.schema.derived.CameOnline;
import io.twinlog.schema.derived.TwinEvent;
import io.twinlog.schema.derived.WentOffline;
import io.twinlog.schema.event.DeviceEvent;
import io.twinlog.schema.event.SilenceObserved;
import io.twinlog.schema.twin.DeviceTwin;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Silence: detected from the device's own events when it comes back after a gap, or from an
 * observation twinlog appended to the log while the device was still silent. Both ways must give
 * the same records, since which one happens first depends on timing, not on the device.
 */
class SilenceTest {

    private static final Duration TIMEOUT = Duration.ofMinutes(5);
    private static final DeviceFold FOLD =
            new DeviceFold(
                    new FoldSettings(Duration.ofMinutes(10), Duration.ofMinutes(10), 1000, TIMEOUT),
                    AlertRules.none());

    @Test
    void aGapLongerThanTheTimeoutIsReportedWhenTheDeviceComesBack() {
        FoldRun run =
                new FoldRun(FOLD)
                        .applyAll(
                                registered("e1", "d1", seconds(0), "m", "1"),
                                telemetry("e2", "d1", seconds(60), "temperature", 20.0),
                                telemetry("e3", "d1", seconds(60 + 301), "temperature", 21.0));

        assertThat(run.derived)
                .extracting(TwinEvent::getPayload)
                .containsExactly(
                        new io.twinlog.schema.derived.Registered("m", "1"),
                        new WentOffline(seconds(60), TIMEOUT.toMillis()),
                        new CameOnline(seconds(360)));
        TwinEvent wentOffline = run.derived.get(1);
        assertThat(wentOffline.getEventTime()).isEqualTo(seconds(360));
        assertThat(wentOffline.getCause().getEventId())
                .as("caused by the last event before the gap")
                .isEqualTo("e2");
        assertThat(run.alerts)
                .extracting(a -> a.getStatus() + " " + a.getCause().getEventId())
                .containsExactly("RAISED e2", "CLEARED e3");
        assertThat(run.alerts.get(0).getAlertId())
                .isEqualTo(run.alerts.get(1).getAlertId())
                .isEqualTo(DeterministicIds.alert("d1", AlertRules.SILENCE_RULE_ID, "e2"));
        assertThat(run.twin().getOnline()).isTrue();
        assertThat(run.state.getRules()).isEmpty();
    }

    @Test
    void aGapOfExactlyTheTimeoutIsNotSilence() {
        FoldRun run =
                new FoldRun(FOLD)
                        .applyAll(
                                telemetry("e1", "d1", seconds(0), "temperature", 20.0),
                                telemetry("e2", "d1", seconds(300), "temperature", 21.0));

        assertThat(run.derived).isEmpty();
        assertThat(run.alerts).isEmpty();
    }

    @Test
    void theDeadlineIsLastSeenPlusTheTimeoutAndTheObservationIsDeterministic() {
        FoldRun run =
                new FoldRun(FOLD)
                        .applyAll(
                                telemetry("e1", "d1", seconds(100), "temperature", 20.0),
                                telemetry("e2", "d1", seconds(50), "temperature", 19.0));
        long deadline = seconds(400).toEpochMilli();

        assertThat(FOLD.silenceDeadline(run.state)).isEqualTo(deadline);
        assertThat(FOLD.silenceObservation(run.state, deadline - 1))
                .as("not this deadline")
                .isNull();
        DeviceEvent observation = FOLD.silenceObservation(run.state, deadline);
        assertThat(observation.getPayload()).isEqualTo(new SilenceObserved("e2"));
        assertThat(observation.getEventTime()).isEqualTo(Instant.ofEpochMilli(deadline));
        assertThat(observation.getEventId())
                .isEqualTo(DeterministicIds.silenceObservation("d1", "e2"))
                .isEqualTo(FOLD.silenceObservation(run.state, deadline).getEventId());
    }

    @Test
    void anObservationThatStillHoldsTakesTheDeviceOffline() {
        FoldRun run =
                new FoldRun(FOLD)
                        .applyAll(telemetry("e1", "d1", seconds(100), "temperature", 20.0));
        DeviceEvent observation =
                FOLD.silenceObservation(run.state, FOLD.silenceDeadline(run.state));

        FoldResult result = run.apply(observation);

        assertThat(result.outcome()).isEqualTo(Outcome.SILENCE_OBSERVED);
        assertThat(run.twin().getOnline()).isFalse();
        assertThat(run.twin().getCounters().getApplied())
                .as("an observation is not a device event")
                .isEqualTo(1);
        assertThat(run.twin().getLastEvent().getEventId()).isEqualTo("e1");
        assertThat(FOLD.silenceDeadline(run.state))
                .as("nothing more to watch while offline")
                .isNull();
        assertThat(run.alerts)
                .singleElement()
                .satisfies(a -> assertThat(a.getStatus()).isEqualTo(AlertStatus.RAISED));
    }

    @Test
    void bothWaysOfDetectingASilenceGiveTheSameRecords() {
        DeviceEvent first = telemetry("e1", "d1", seconds(100), "temperature", 20.0);
        DeviceEvent comeback = telemetry("e2", "d1", seconds(1000), "temperature", 21.0);

        FoldRun observed = new FoldRun(FOLD).applyAll(first);
        observed.apply(
                FOLD.silenceObservation(observed.state, FOLD.silenceDeadline(observed.state)));
        assertThat(observed.twin().getActiveAlerts()).containsExactly(AlertRules.SILENCE_RULE_ID);
        observed.apply(comeback);
        assertThat(observed.twin().getActiveAlerts()).isEmpty();
        FoldRun fromGap = new FoldRun(FOLD).applyAll(first);
        fromGap.nextOffset =
                observed.nextOffset - 1; // the comeback sits at the same log position in both
        fromGap.apply(comeback);

        assertThat(fromGap.derived).isEqualTo(observed.derived);
        assertThat(fromGap.alerts).isEqualTo(observed.alerts);
        // SILENCE.md: the one visible difference is the twin published when the observation comes
        // first.
        assertThat(observed.published).hasSize(3);
        assertThat(fromGap.published).hasSize(2);
        DeviceTwin offline = observed.published.get(1);
        assertThat(offline.getOnline()).isFalse();
        assertThat(offline.getActiveAlerts()).containsExactly(AlertRules.SILENCE_RULE_ID);
        assertThat(offline.getLastEvent().getEventId()).isEqualTo("e1");
        assertThat(List.of(observed.published.get(0), observed.published.get(2)))
                .isEqualTo(fromGap.published);
    }

    @Test
    void anObservationTheDeviceAlreadyAnsweredIsOutdated() {
        FoldRun run =
                new FoldRun(FOLD)
                        .applyAll(telemetry("e1", "d1", seconds(100), "temperature", 20.0));
        DeviceEvent observation =
                FOLD.silenceObservation(run.state, FOLD.silenceDeadline(run.state));
        run.apply(telemetry("e2", "d1", seconds(200), "temperature", 21.0));

        FoldResult result = run.apply(observation);

        assertThat(result.outcome()).isEqualTo(Outcome.OBSERVATION_OUTDATED);
        assertThat(result.twinChanged()).isFalse();
        assertThat(run.twin().getOnline()).isTrue();
        assertThat(run.derived).isEmpty();
    }

    @Test
    void observationsForUnknownOrDecommissionedDevicesAreOutdated() {
        DeviceEvent stray =
                DeviceEvents.event("x", "nobody", seconds(1), new SilenceObserved("e0"));
        FoldResult unknown = new FoldRun(FOLD).apply(stray);
        assertThat(unknown.outcome()).isEqualTo(Outcome.OBSERVATION_OUTDATED);
        assertThat(unknown.state()).isNull();

        FoldRun run =
                new FoldRun(FOLD)
                        .applyAll(
                                registered("e1", "d1", seconds(0), "m", "1"),
                                decommissioned("e2", "d1", seconds(1), ""));
        assertThat(FOLD.silenceDeadline(run.state)).isNull();
        assertThat(
                        run.apply(
                                        DeviceEvents.event(
                                                "x", "d1", seconds(301), new SilenceObserved("e2")))
                                .outcome())
                .isEqualTo(Outcome.OBSERVATION_OUTDATED);
    }

    @Test
    void decommissioningAnOfflineDeviceBringsItBackFirst() {
        FoldRun run =
                new FoldRun(FOLD).applyAll(telemetry("e1", "d1", seconds(0), "temperature", 20.0));
        run.apply(FOLD.silenceObservation(run.state, FOLD.silenceDeadline(run.state)));
        run.apply(decommissioned("e2", "d1", seconds(10_000), "retired"));

        assertThat(run.alerts)
                .extracting(a -> a.getStatus().name())
                .containsExactly("RAISED", "CLEARED");
        assertThat(run.derived)
                .extracting(e -> e.getPayload().getClass().getSimpleName())
                .containsExactly("WentOffline", "CameOnline", "Decommissioned");
        assertThat(run.state.getRules()).isEmpty();
    }
}
