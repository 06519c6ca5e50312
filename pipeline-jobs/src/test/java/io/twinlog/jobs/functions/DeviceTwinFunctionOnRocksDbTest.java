package io.twinlog.jobs.functions;

import static io.twinlog.twin.DeviceEvents.registered;
import static io.twinlog.twin.DeviceEvents.seconds;
import static io.twinlog.twin.DeviceEvents.telemetry;
import static org.assertj.core.api.Assertions.assertThat;

import io.twinlog.alerts.AlertRules;
import io.twinlog.schema.twin.DeviceTwin;
import io.twinlog.twin.DeviceFold;
import io.twinlog.twin.FoldSettings;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The fold operator on RocksDB over hours of event time, with the default options: every state is
 * read back through the real serializers before each event, so an operation that works only on
 * objects built on the heap (an Avro array's iterator cannot remove) fails here. The dedup memory
 * spills buckets every 32 ids and drops them once they leave the one-hour window.
 */
class DeviceTwinFunctionOnRocksDbTest {

    private FoldHarness fold;

    @AfterEach
    void close() throws Exception {
        if (fold != null) {
            fold.close();
        }
    }

    @Test
    void aDeviceWhoseOldestBucketsLeaveTheDedupWindowGoesOn() throws Exception {
        open(FoldSettings.defaults());
        fold.push(registered("e0", "d1", seconds(0), "m", "1.0"));
        // 36 s apart: two hours of event time, the first buckets leave the window after an hour.
        for (int i = 1; i <= 200; i++) {
            fold.push(telemetry("e" + i, "d1", seconds(36L * i), "temperature", 20));
        }

        List<DeviceTwin> twins = fold.values(DeviceTwin.class);
        assertThat(twins).hasSize(201);
        assertThat(twins.get(200).getCounters().getApplied()).isEqualTo(201);
        assertThat(twins.get(200).getLastEvent().getEventId()).isEqualTo("e200");
        // One hour holds 100 ids: at most four buckets of 32 beside the newest ids in the state.
        assertThat(fold.bucketsOf("d1")).isBetween(2, 4);
        assertThat(fold.stateOf("d1").getSeenIds().getSpilled()).hasSize(fold.bucketsOf("d1"));
        assertThat(fold.stateOf("d1").getSeenIdCount()).isBetween(100, 133);
    }

    @Test
    void aDuplicateOfAnIdInAnExpiredBucketIsLateNotApplied() throws Exception {
        open(FoldSettings.defaults());
        fold.push(registered("e0", "d1", seconds(0), "m", "1.0"));
        for (int i = 1; i <= 200; i++) {
            fold.push(telemetry("e" + i, "d1", seconds(36L * i), "temperature", 20));
        }
        fold.push(telemetry("e150", "d1", seconds(36L * 150), "temperature", 20));
        fold.push(telemetry("e3", "d1", seconds(36L * 3), "temperature", 20));

        List<DeviceTwin> twins = fold.values(DeviceTwin.class);
        DeviceTwin last = twins.get(twins.size() - 1);
        assertThat(last.getCounters().getDuplicates()).isEqualTo(1);
        assertThat(last.getCounters().getLate()).isEqualTo(1);
        assertThat(last.getCounters().getApplied()).isEqualTo(201);
    }

    @Test
    void aDeviceThatReachesTheIdBoundInsideTheWindowGoesOn() throws Exception {
        open(new FoldSettings(Duration.ofHours(1), Duration.ofHours(1), 500, Duration.ZERO));
        fold.push(registered("e0", "d1", seconds(0), "m", "1.0"));
        // 2,000 events 1 s apart: the bound of 500 ids is reached four times inside the window.
        for (int i = 1; i <= 2_000; i++) {
            fold.push(telemetry("e" + i, "d1", seconds(i), "temperature", 20));
        }

        List<DeviceTwin> twins = fold.values(DeviceTwin.class);
        assertThat(twins).hasSize(2_001);
        assertThat(twins.get(2_000).getCounters().getApplied()).isEqualTo(2_001);
        assertThat(fold.stateOf("d1").getSeenIdCount()).isLessThanOrEqualTo(500);
        assertThat(fold.bucketsOf("d1")).isLessThanOrEqualTo(500 / 32 + 1);
    }

    private void open(FoldSettings settings) throws Exception {
        fold = new FoldHarness(new DeviceFold(settings, new AlertRules(List.of())), "rocksdb");
    }
}
