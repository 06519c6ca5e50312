package io.twinlog.cli.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import io.twinlog.cli.simulator.DeviceSimulator.Kind;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

public class DeviceSimulatorTest {

    private static final DeviceSimulator.Faults FAULTS =
            new DeviceSimulator.Faults(0.05, 0.05, 0.05, 0.05, 0.01, 0.0005, 0.0);

    @Test
    void registersEveryDeviceFirstThenStreamsRoundRobin() {
        DeviceSimulator simulator =
                new DeviceSimulator(3, "d-", 1, DeviceSimulator.Faults.none(), Duration.ofHours(2));

        List<String> order = new ArrayList<>();
        for (int i = 0; i < 9; i++) {
            DeviceSimulator.Emission emission = simulator.next(1_000 + i);
            order.add(emission.kind() + " " + emission.deviceId());
        }

        assertThat(order)
                .containsExactly(
                        "REGISTRATION d-00001",
                        "REGISTRATION d-00002",
                        "REGISTRATION d-00003",
                        "TELEMETRY d-00001",
                        "TELEMETRY d-00002",
                        "TELEMETRY d-00003",
                        "TELEMETRY d-00001",
                        "TELEMETRY d-00002",
                        "TELEMETRY d-00003");
    }

    @Test
    void theSameSeedGivesTheSameRecords() {
        assertThat(run(7, 2_000)).isEqualTo(run(7, 2_000)).isNotEqualTo(run(8, 2_000));
    }

    @Test
    void faultsComeInTheirProportions() {
        DeviceSimulator simulator = new DeviceSimulator(100, "d-", 3, FAULTS, Duration.ofHours(2));
        for (int i = 0; i < 20_100; i++) {
            simulator.next(1_000_000L + i);
        }
        var counts = simulator.counts();
        assertThat(counts.get(Kind.REGISTRATION)).isEqualTo(100);
        for (Kind kind : List.of(Kind.DUPLICATE, Kind.OUT_OF_ORDER, Kind.LATE, Kind.MALFORMED)) {
            assertThat(counts.get(kind)).as(kind.name()).isBetween(800L, 1200L);
        }
        assertThat(counts.get(Kind.DECOMMISSIONING)).isPositive();
        assertThat(counts.get(Kind.AFTER_DECOMMISSIONING))
                .isLessThanOrEqualTo(2 * counts.get(Kind.DECOMMISSIONING));
    }

    @Test
    void lateAndOutOfOrderEventsAreOlderThanTheDevicesLastEvent() {
        DeviceSimulator simulator = new DeviceSimulator(10, "d-", 5, FAULTS, Duration.ofHours(2));
        long now = 10_000_000L;
        for (int i = 0; i < 5_000; i++) {
            DeviceSimulator.Emission emission = simulator.next(now + i);
            if (emission.kind() == Kind.LATE) {
                assertThat(emission.event().getEventTime().toEpochMilli())
                        .isEqualTo(now + i - Duration.ofHours(2).toMillis());
            }
            if (emission.kind() == Kind.OUT_OF_ORDER) {
                assertThat(emission.event().getEventTime().toEpochMilli()).isLessThan(now + i);
            }
        }
    }

    @Test
    void eventIdsAreUnique() {
        DeviceSimulator simulator = new DeviceSimulator(50, "d-", 11, FAULTS, Duration.ofHours(2));
        Set<String> ids = new HashSet<>();
        for (int i = 0; i < 5_000; i++) {
            DeviceSimulator.Emission emission = simulator.next(1_000 + i);
            if (emission.event() != null) {
                assertThat(ids.add(emission.event().getEventId())).isTrue();
            }
        }
    }

    @Test
    void silentDevicesStopAndTheSimulatorEndsWhenAllAre() {
        DeviceSimulator simulator =
                new DeviceSimulator(
                        5,
                        "d-",
                        2,
                        new DeviceSimulator.Faults(0, 0, 0, 0, 0, 0, 0.2),
                        Duration.ofHours(2));
        int emitted = 0;
        while (simulator.next(1_000 + emitted) != null && emitted < 10_000) {
            emitted++;
        }
        assertThat(emitted).isLessThan(10_000);
        assertThat(simulator.silentDevices()).isEqualTo(5);
    }

    private static List<String> run(long seed, int records) {
        DeviceSimulator simulator =
                new DeviceSimulator(20, "d-", seed, FAULTS, Duration.ofHours(2));
        List<String> out = new ArrayList<>();
        for (int i = 0; i < records; i++) {
            DeviceSimulator.Emission emission = simulator.next(1_000 + i);
            out.add(emission.kind() + " " + emission.deviceId() + " " + emission.event());
        }
        return out;
    }
}
