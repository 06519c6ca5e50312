package io.twinlog.readside.views;

import static io.twinlog.readside.TestEvents.at;
import static org.assertj.core.api.Assertions.assertThat;

import io.twinlog.readside.index.Position;
import io.twinlog.readside.query.Page;
import io.twinlog.schema.alert.Alert;
import io.twinlog.schema.alert.AlertStatus;
import io.twinlog.schema.alert.Severity;
import io.twinlog.schema.common.EventRef;
import io.twinlog.schema.common.LogPosition;
import io.twinlog.schema.twin.DeviceStatus;
import io.twinlog.schema.twin.DeviceTwin;
import io.twinlog.schema.twin.TwinCounters;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The in-memory views: the fleet's pages, search and counts; open and recent alerts. */
class ViewsTest {

    @Test
    void fleetPagesInIdOrderAndFiltersByStatusAndText() {
        Fleet fleet = new Fleet();
        fleet.update(
                twin(
                        "d-3",
                        DeviceStatus.ACTIVE,
                        true,
                        "thermo-3",
                        Map.of("site", "berlin"),
                        List.of()),
                new Position(0, 3));
        fleet.update(
                twin(
                        "d-1",
                        DeviceStatus.ACTIVE,
                        false,
                        "hygro-2",
                        Map.of("site", "paris"),
                        List.of()),
                new Position(0, 1));
        fleet.update(
                twin("d-2", DeviceStatus.DECOMMISSIONED, false, "thermo-4", Map.of(), List.of()),
                new Position(0, 2));
        fleet.update(
                twin("d-4", DeviceStatus.ACTIVE, true, "multi-1", Map.of(), List.of("battery-low")),
                new Position(0, 4));
        fleet.update(
                twin("d-4", DeviceStatus.ACTIVE, true, "multi-1", Map.of(), List.of("battery-low")),
                new Position(0, 5));

        Page<FleetEntry> first = fleet.page(null, null, null, 2);
        assertThat(first.items()).extracting(FleetEntry::deviceId).containsExactly("d-1", "d-2");
        assertThat(first.next()).isEqualTo("d-2");
        Page<FleetEntry> second = fleet.page(null, null, first.next(), 2);
        assertThat(second.items()).extracting(FleetEntry::deviceId).containsExactly("d-3", "d-4");
        assertThat(second.next()).isNull();

        assertThat(fleet.page(FleetFilter.OFFLINE, null, null, 10).items())
                .extracting(FleetEntry::deviceId)
                .containsExactly("d-1");
        assertThat(fleet.page(FleetFilter.ALERTING, null, null, 10).items())
                .extracting(FleetEntry::deviceId)
                .containsExactly("d-4");
        assertThat(fleet.page(FleetFilter.DECOMMISSIONED, null, null, 10).items())
                .extracting(FleetEntry::deviceId)
                .containsExactly("d-2");
        assertThat(fleet.page(null, "THERMO", null, 10).items())
                .extracting(FleetEntry::deviceId)
                .containsExactly("d-2", "d-3");
        assertThat(fleet.page(null, "site=par", null, 10).items())
                .extracting(FleetEntry::deviceId)
                .containsExactly("d-1");
        assertThat(fleet.page(null, "nothing", null, 10).items()).isEmpty();
        assertThat(fleet.counts())
                .containsEntry("TOTAL", 4L)
                .containsEntry("ACTIVE", 3L)
                .containsEntry("DECOMMISSIONED", 1L)
                .containsEntry("OFFLINE", 1L)
                .containsEntry("ALERTING", 1L);
        assertThat(fleet.get("d-4").position()).isEqualTo(new Position(0, 5));
        fleet.remove("d-4");
        assertThat(fleet.size()).isEqualTo(3);
    }

    @Test
    void alertsOpenCloseAndReachListenersOnlyWhenLive() {
        AlertBoard board = new AlertBoard();
        List<String> heard = new ArrayList<>();
        board.subscribe(a -> heard.add(a.getAlertId() + " " + a.getStatus()));
        board.accept(alert("a1", "rule-x", AlertStatus.RAISED, 1), false);
        board.accept(alert("a2", "rule-y", AlertStatus.RAISED, 2), true);
        board.accept(alert("a1", "rule-x", AlertStatus.CLEARED, 3), true);

        assertThat(board.open(null))
                .extracting(a -> a.getAlertId().toString())
                .containsExactly("a2");
        assertThat(board.open("rule-x")).isEmpty();
        assertThat(board.openOf("d"))
                .extracting(a -> a.getAlertId().toString())
                .containsExactly("a2");
        assertThat(board.openOf("other")).isEmpty();
        assertThat(board.recent(null, 10))
                .extracting(a -> a.getEventTime())
                .containsExactly(at(3), at(2), at(1));
        assertThat(board.recent("rule-x", 1))
                .extracting(a -> a.getStatus())
                .containsExactly(AlertStatus.CLEARED);
        assertThat(heard).containsExactly("a2 RAISED", "a1 CLEARED");
    }

    @Test
    void afterARestartTheOpenEpisodesAndTheLatestTransitionsComeBack() {
        AlertBoard board = new AlertBoard();
        List<Alert> fromIndex = new ArrayList<>();
        for (int i = 0; i < AlertBoard.RECENT + 5; i++) {
            fromIndex.add(alert("old-" + i, "rule", AlertStatus.RAISED, i));
            fromIndex.add(alert("old-" + i, "rule", AlertStatus.CLEARED, i + 1));
        }
        fromIndex.add(alert("open", "rule", AlertStatus.RAISED, 10));
        AlertBoard.Restore restore = board.restore();
        fromIndex.forEach(restore::accept);
        restore.finish();
        assertThat(board.open(null))
                .extracting(a -> a.getAlertId().toString())
                .containsExactly("open");
        assertThat(board.recent(null, AlertBoard.RECENT + 100)).hasSize(AlertBoard.RECENT);
        assertThat(board.recent(null, 1).get(0).getEventTime())
                .isEqualTo(at(AlertBoard.RECENT + 5));
        // The newest by event time, newest first, whatever order the index handed them over in.
        assertThat(board.recent(null, 3))
                .extracting(a -> a.getAlertId() + " " + a.getStatus())
                .containsExactly("old-1004 CLEARED", "old-1004 RAISED", "old-1003 CLEARED");
    }

    static DeviceTwin twin(
            String id,
            DeviceStatus status,
            boolean online,
            String model,
            Map<String, String> tags,
            List<String> alerts) {
        return DeviceTwin.newBuilder()
                .setDeviceId(id)
                .setStatus(status)
                .setOnline(online)
                .setModel(model)
                .setFirmwareVersion("1.0.0")
                .setTags(new java.util.HashMap<>(tags))
                .setReadings(new java.util.HashMap<>())
                .setFirstSeen(at(0))
                .setLastSeen(at(0))
                .setCounters(new TwinCounters(1L, 0L, 0L, 0L))
                .setLastEvent(new EventRef("e", new LogPosition("device-events", 0, 0L)))
                .setActiveAlerts(new ArrayList<>(alerts))
                .build();
    }

    private static Alert alert(String id, String rule, AlertStatus status, long seconds) {
        return Alert.newBuilder()
                .setAlertId(id)
                .setDeviceId("d")
                .setRuleId(rule)
                .setStatus(status)
                .setSeverity(Severity.WARNING)
                .setRaisedAt(at(seconds))
                .setEventTime(at(seconds))
                .setCause(new EventRef("e", new LogPosition("device-events", 0, 0L)))
                .build();
    }

    @Test
    void aFilterIsAStatusOfTheCountsButTheTotal() {
        assertThat(FleetFilter.parse("offline")).isEqualTo(FleetFilter.OFFLINE);
        assertThat(FleetFilter.parse(null)).isNull();
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> FleetFilter.parse("TOTAL"))
                .hasMessage(
                        "status must be one of UNREGISTERED, ACTIVE, DECOMMISSIONED, OFFLINE,"
                                + " ALERTING, not 'TOTAL'");
    }
}
