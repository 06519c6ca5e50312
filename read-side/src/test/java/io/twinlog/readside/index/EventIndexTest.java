package io.twinlog.readside.index;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EventIndexTest {

    @TempDir Path dir;

    @Test
    void aDevicesRecordsComeBackInLogOrderAndOnlyItsOwn() throws Exception {
        try (EventIndex index = EventIndex.open(dir)) {
            try (EventIndex.Batch batch = index.batch()) {
                batch.event(key("dev-1"), new Position(1, 7), 70, value("a"));
                batch.event(key("dev-10"), new Position(1, 8), 80, value("other"));
                batch.event(key("dev-1"), new Position(1, 2), 20, value("b"));
                batch.event(key("dev-1"), new Position(0, 9), 90, value("c"));
                batch.commit();
            }
            List<StoredRecord> records = index.events("dev-1", 10);
            assertThat(records)
                    .extracting(StoredRecord::position)
                    .containsExactly(new Position(0, 9), new Position(1, 2), new Position(1, 7));
            assertThat(records).extracting(StoredRecord::timestamp).containsExactly(90L, 20L, 70L);
            assertThat(new String(records.get(2).value(), StandardCharsets.UTF_8)).isEqualTo("a");
            assertThat(index.events("dev", 10)).isEmpty();
            assertThat(index.events("dev-10", 10)).hasSize(1);
        }
    }

    @Test
    void anIndexOfOtherTopicsIsClearedNotMixedWithThem() throws Exception {
        List<String> plain = List.of("device-events", "device-twins", "device-alerts");
        List<String> prefixed = List.of("b.device-events", "b.device-twins", "b.device-alerts");
        try (EventIndex index = EventIndex.open(dir)) {
            assertThat(index.bindTo(plain)).as("a new index").isFalse();
            try (EventIndex.Batch batch = index.batch()) {
                batch.event(key("dev-1"), new Position(0, 1), 10, value("a"));
                batch.position("device-events", 0, 2);
                batch.commit();
            }
            assertThat(index.bindTo(plain)).as("the same topics again").isFalse();
            assertThat(index.events("dev-1", 10)).hasSize(1);

            assertThat(index.bindTo(prefixed)).isTrue();
            assertThat(index.events("dev-1", 10)).isEmpty();
            assertThat(index.positions("device-events")).isEmpty();
        }
        try (EventIndex index = EventIndex.open(dir)) {
            assertThat(index.bindTo(prefixed)).as("bound across a reopen").isFalse();
        }
    }

    @Test
    void rulesMarkersAreKeptApartFromEveryDeviceInLogOrder() throws Exception {
        try (EventIndex index = EventIndex.open(dir)) {
            try (EventIndex.Batch batch = index.batch()) {
                batch.rulesMarker(new Position(1, 4), 40, value("v1 in 1"));
                batch.rulesMarker(new Position(0, 3), 30, value("v1 in 0"));
                // a device whose id is the markers' record key gets no marker
                batch.event(key("twinlog.rules"), new Position(0, 5), 50, value("device"));
                batch.commit();
            }
            assertThat(index.rulesMarkers(10))
                    .extracting(StoredRecord::position)
                    .containsExactly(new Position(0, 3), new Position(1, 4));
            assertThat(index.events("twinlog.rules", 10))
                    .extracting(StoredRecord::position)
                    .containsExactly(new Position(0, 5));
            assertThatThrownBy(() -> index.rulesMarkers(1))
                    .isInstanceOf(TooManyRecordsException.class)
                    .hasMessageStartingWith("the rules markers has more than 1 records");
        }
    }

    @Test
    void keysThatCannotBeDevicesAreNotIndexed() throws Exception {
        try (EventIndex index = EventIndex.open(dir);
                EventIndex.Batch batch = index.batch()) {
            assertThat(batch.event(null, new Position(0, 0), 0, value("x"))).isFalse();
            assertThat(batch.event(new byte[0], new Position(0, 1), 0, value("x"))).isFalse();
            assertThat(
                            batch.event(
                                    new byte[IndexKeys.MAX_DEVICE_BYTES + 1],
                                    new Position(0, 2),
                                    0,
                                    value("x")))
                    .isFalse();
            assertThat(batch.event(key("d"), new Position(0, 3), 0, null)).isTrue();
            batch.commit();
            assertThat(index.events("d", 10).get(0).value()).isEmpty();
        }
    }

    @Test
    void aDeviceWithMoreRecordsThanALimitIsRefused() throws Exception {
        try (EventIndex index = EventIndex.open(dir)) {
            try (EventIndex.Batch batch = index.batch()) {
                for (int i = 0; i < 5; i++) {
                    batch.event(key("chatty"), new Position(0, i), i, value("x"));
                }
                batch.commit();
            }
            assertThat(index.events("chatty", 5)).hasSize(5);
            assertThatThrownBy(() -> index.events("chatty", 4))
                    .isInstanceOf(TooManyRecordsException.class)
                    .hasMessageContaining("more than 4 records");
        }
    }

    @Test
    void positionsTwinsAndAlertsSurviveAReopenAndClearForgetsThem() throws Exception {
        try (EventIndex index = EventIndex.open(dir);
                EventIndex.Batch batch = index.batch()) {
            batch.event(key("d"), new Position(0, 4), 1, value("e"));
            batch.twin("d", new Position(2, 11), value("twin-1"));
            batch.twin("d", new Position(2, 12), value("twin-2"));
            batch.alert("d", new Position(3, 5), 7, value("alert"));
            batch.position("device-events", 0, 5);
            batch.position("device-events", 1, 0);
            batch.position("device-twins", 2, 13);
            batch.commit();
        }
        try (EventIndex index = EventIndex.open(dir)) {
            assertThat(index.positions("device-events")).isEqualTo(Map.of(0, 5L, 1, 0L));
            assertThat(index.positions("device-twins")).isEqualTo(Map.of(2, 13L));
            assertThat(index.positions("device")).isEmpty();
            StoredRecord twin = index.twin("d");
            assertThat(twin.position()).isEqualTo(new Position(2, 12));
            assertThat(new String(twin.value(), StandardCharsets.UTF_8)).isEqualTo("twin-2");
            assertThat(index.alerts("d", 10))
                    .extracting(StoredRecord::position)
                    .containsExactly(new Position(3, 5));
            List<String> devices = new ArrayList<>();
            index.forEachTwin((device, record) -> devices.add(device));
            assertThat(devices).containsExactly("d");

            index.clear();
            assertThat(index.positions("device-events")).isEmpty();
            assertThat(index.events("d", 10)).isEmpty();
            assertThat(index.twin("d")).isNull();
        }
    }

    @Test
    void aTombstoneOnTheTwinsTopicRemovesTheTwin() throws Exception {
        try (EventIndex index = EventIndex.open(dir);
                EventIndex.Batch batch = index.batch()) {
            batch.twin("d", new Position(0, 1), value("twin"));
            batch.twin("d", new Position(0, 2), null);
            batch.commit();
            assertThat(index.twin("d")).isNull();
        }
    }

    private static byte[] key(String device) {
        return device.getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] value(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
