package io.twinlog.jobs.functions;

import static io.twinlog.twin.DeviceEvents.registered;
import static io.twinlog.twin.DeviceEvents.seconds;
import static io.twinlog.twin.DeviceEvents.telemetry;
import static org.assertj.core.api.Assertions.assertThat;

import io.twinlog.alerts.AlertRules;
import io.twinlog.alerts.ThresholdRule;
import io.twinlog.schema.alert.Alert;
import io.twinlog.schema.alert.Severity;
import io.twinlog.schema.internal.DeadLetter;
import io.twinlog.schema.internal.RawRecord;
import io.twinlog.schema.state.DeviceState;
import io.twinlog.schema.twin.DeviceTwin;
import io.twinlog.testing.StoredStates;
import io.twinlog.twin.DeviceFold;
import io.twinlog.twin.FoldSettings;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Records the fold does not take: they are dead letters written by the fold operator, and the
 * device's state stays as it was, on both state backends (docs/LIMITS.md).
 */
class FoldDeadLettersTest {

    private static final DeviceFold FOLD =
            new DeviceFold(
                    new FoldSettings(
                            Duration.ofMinutes(10), Duration.ofMinutes(10), 1000, Duration.ZERO),
                    new AlertRules(
                            List.of(
                                    new ThresholdRule(
                                            "temperature-high",
                                            "temperature",
                                            ThresholdRule.Direction.ABOVE,
                                            80,
                                            5,
                                            Duration.ZERO,
                                            Severity.CRITICAL))));
    private static final StoredStates STORED = new StoredStates();

    private FoldHarness fold;

    @AfterEach
    void close() throws Exception {
        if (fold != null) {
            fold.close();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"hashmap", "rocksdb"})
    void aRecordOnAnotherPartitionThanItsDevicesIsADeadLetter(String backend) throws Exception {
        fold = new FoldHarness(FOLD, backend);
        fold.push(registered("e1", "d1", seconds(0), "m", "1.0"), 2);
        DeviceState before = fold.stateOf("d1");
        fold.clearOutput();

        RawRecord elsewhere = fold.push(telemetry("e2", "d1", seconds(5), "temperature", 90), 0);

        DeadLetter deadLetter = (DeadLetter) fold.values().get(0);
        assertThat(fold.values()).hasSize(1);
        assertThat(deadLetter.getRaw()).isEqualTo(elsewhere);
        assertThat(deadLetter.getReason()).isEqualTo("PARTITION_MISMATCH");
        assertThat(deadLetter.getErrorMessage())
                .isEqualTo(
                        "device d1 has its events on partition 2, this record is on partition 0:"
                                + " all records of a device must be on one partition (a"
                                + " partitioner consistent per key), or they have no order");
        assertThat(fold.stateOf("d1")).isEqualTo(before);

        fold.clearOutput();
        fold.push(telemetry("e3", "d1", seconds(6), "temperature", 90), 2);
        assertThat(fold.values(DeviceTwin.class).get(0).getCounters().getApplied()).isEqualTo(2);
        assertThat(fold.values(Alert.class)).hasSize(1);
    }

    @ParameterizedTest
    @ValueSource(strings = {"hashmap", "rocksdb"})
    void aFoldThatThrowsLeavesTheDeviceAsItWasAndTheFleetGoesOn(String backend) throws Exception {
        fold = new FoldHarness(FOLD, backend);
        fold.push(registered("e1", "d1", seconds(0), "m", "1.0"));
        fold.push(telemetry("e2", "d1", seconds(5), "temperature", 90)); // raised
        // A state no release writes (an open episode without its start), as a bug could leave it:
        // clearing the episode throws.
        DeviceState broken = fold.stateOf("d1");
        broken.getRules().get("temperature-high").setRaisedAt(null);
        fold.plant("d1", broken);
        DeviceState before = STORED.reloaded(fold.stateOf("d1"));
        fold.clearOutput();

        RawRecord failing = fold.push(telemetry("e3", "d1", seconds(9), "temperature", 20));

        assertThat(fold.values()).hasSize(1);
        DeadLetter deadLetter = (DeadLetter) fold.values().get(0);
        assertThat(deadLetter.getRaw()).isEqualTo(failing);
        assertThat(deadLetter.getReason()).isEqualTo("FOLD_FAILED");
        assertThat(deadLetter.getErrorClass()).isEqualTo("java.lang.NullPointerException");
        assertThat(deadLetter.getErrorMessage())
                .startsWith("the fold failed: java.lang.NullPointerException")
                .contains(" at io.twinlog.twin.");
        assertThat(fold.stateOf("d1")).as("the state as it was").isEqualTo(before);

        // The same event fails the same way again (a replay), and the rest of the fleet goes on.
        fold.clearOutput();
        fold.push(telemetry("e3", "d1", seconds(9), "temperature", 20));
        fold.push(registered("f1", "d2", seconds(0), "m", "1.0"));
        fold.push(telemetry("f2", "d2", seconds(5), "temperature", 90));
        DeadLetter again = (DeadLetter) fold.values().get(0);
        assertThat(again.getErrorMessage()).isEqualTo(deadLetter.getErrorMessage());
        assertThat(fold.values(DeviceTwin.class)).hasSize(2);
        assertThat(fold.values(Alert.class)).hasSize(1);
        assertThat(fold.stateOf("d1")).isEqualTo(before);
    }
}
