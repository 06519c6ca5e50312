package io.twinlog.jobs.functions;

import static io.twinlog.twin.DeviceEvents.decommissioned;
import static io.twinlog.twin.DeviceEvents.registered;
import static io.twinlog.twin.DeviceEvents.seconds;
import static io.twinlog.twin.DeviceEvents.telemetry;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.twinlog.alerts.AlertRules;
import io.twinlog.alerts.ThresholdRule;
import io.twinlog.connect.RawRecords;
import io.twinlog.jobs.topology.FoldKeys;
import io.twinlog.options.DeviceTwinJobOptions;
import io.twinlog.options.JobManifest;
import io.twinlog.schema.RulesMarkers;
import io.twinlog.schema.alert.Alert;
import io.twinlog.schema.alert.AlertStatus;
import io.twinlog.schema.alert.Severity;
import io.twinlog.schema.common.EventRef;
import io.twinlog.schema.common.LogPosition;
import io.twinlog.schema.derived.Registered;
import io.twinlog.schema.derived.TwinEvent;
import io.twinlog.schema.event.DeviceEvent;
import io.twinlog.schema.event.SilenceObserved;
import io.twinlog.schema.internal.FoldInput;
import io.twinlog.schema.internal.LateEvent;
import io.twinlog.schema.internal.LogAppend;
import io.twinlog.schema.internal.RulesAnnouncement;
import io.twinlog.schema.internal.SinkRecord;
import io.twinlog.schema.internal.SourcedEvent;
import io.twinlog.schema.rules.RuleSet;
import io.twinlog.schema.twin.DeviceStatus;
import io.twinlog.schema.twin.DeviceTwin;
import io.twinlog.schema.twin.Reading;
import io.twinlog.schema.twin.TwinCounters;
import io.twinlog.twin.BucketedSeenEventIds;
import io.twinlog.twin.DeterministicIds;
import io.twinlog.twin.DeviceFold;
import io.twinlog.twin.FoldSettings;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.serialization.SerializerConfigImpl;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.runtime.execution.SuppressRestartsException;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The keyed fold operator: events and watermarks in, exact records out, state and timers cleaned
 * up.
 */
class DeviceTwinFunctionTest {

    private static final Duration SILENCE = Duration.ofMinutes(5);
    private static final ThresholdRule HOT =
            new ThresholdRule(
                    "temperature-high",
                    "temperature",
                    ThresholdRule.Direction.ABOVE,
                    80,
                    5,
                    Duration.ZERO,
                    Severity.CRITICAL);
    private static final DeviceFold FOLD =
            new DeviceFold(
                    new FoldSettings(Duration.ofMinutes(10), Duration.ofMinutes(10), 1000, SILENCE),
                    new AlertRules(List.of(HOT)));

    private KeyedOneInputStreamOperatorTestHarness<String, FoldInput, SinkRecord> harness;
    private long offset;
    private int partition;

    @AfterEach
    void close() throws Exception {
        if (harness != null) {
            harness.close();
        }
    }

    @Test
    void emitsTheTwinDerivedEventsAndAlertsOfEachEvent() throws Exception {
        open(true);
        push(registered("e1", "d1", seconds(0), "m", "1.0"));
        push(telemetry("e2", "d1", seconds(10), "temperature", 90));
        harness.processWatermark(seconds(5).toEpochMilli());

        EventRef e1 = new EventRef("e1", new LogPosition("device-events", 0, 0L));
        EventRef e2 = new EventRef("e2", new LogPosition("device-events", 0, 1L));
        DeviceTwin registeredTwin =
                DeviceTwin.newBuilder()
                        .setDeviceId("d1")
                        .setStatus(DeviceStatus.ACTIVE)
                        .setOnline(true)
                        .setModel("m")
                        .setFirmwareVersion("1.0")
                        .setFirmwareUpdatedAt(seconds(0))
                        .setTags(Map.of("site", "test"))
                        .setReadings(Map.of())
                        .setRegisteredAt(seconds(0))
                        .setDecommissionedAt(null)
                        .setDecommissionReason(null)
                        .setFirstSeen(seconds(0))
                        .setLastSeen(seconds(0))
                        .setCounters(new TwinCounters(1L, 0L, 0L, 0L))
                        .setLastEvent(e1)
                        .setActiveAlerts(List.of())
                        .build();
        DeviceTwin hotTwin =
                DeviceTwin.newBuilder(registeredTwin)
                        .setReadings(Map.of("temperature", new Reading(90.0, seconds(10), "e2")))
                        .setLastSeen(seconds(10))
                        .setCounters(new TwinCounters(2L, 0L, 0L, 0L))
                        .setLastEvent(e2)
                        .setActiveAlerts(List.of("temperature-high"))
                        .build();
        TwinEvent registration =
                TwinEvent.newBuilder()
                        .setEventId("ec2b71fb-f0ee-34db-8404-a31a745f5a98")
                        .setDeviceId("d1")
                        .setEventTime(seconds(0))
                        .setCause(e1)
                        .setPayload(new Registered("m", "1.0"))
                        .build();
        Alert raised =
                Alert.newBuilder()
                        .setAlertId("82384ea9-90ca-3158-bf8b-ba6b0d326d2e")
                        .setDeviceId("d1")
                        .setRuleId("temperature-high")
                        .setStatus(AlertStatus.RAISED)
                        .setSeverity(Severity.CRITICAL)
                        .setMetric("temperature")
                        .setValue(90.0)
                        .setThreshold(80.0)
                        .setRaisedAt(seconds(10))
                        .setEventTime(seconds(10))
                        .setCause(e2)
                        .setMessage("temperature 90.0 above 80.0")
                        .build();
        // The ids are literal: name-based UUIDs of the documented parts (docs/FOLD.md, ids),
        // computed by hand.

        assertThat(harness.getOutput())
                .containsExactly(
                        new StreamRecord<>(
                                new SinkRecord(registeredTwin), seconds(0).toEpochMilli()),
                        new StreamRecord<>(new SinkRecord(registration), seconds(0).toEpochMilli()),
                        new StreamRecord<>(new SinkRecord(hotTwin), seconds(10).toEpochMilli()),
                        new StreamRecord<>(new SinkRecord(raised), seconds(10).toEpochMilli()),
                        new Watermark(seconds(5).toEpochMilli()));
        assertThat(harness.numEventTimeTimers())
                .as("one silence timer for the device")
                .isEqualTo(1);
    }

    @Test
    void forwardsLateEventsWithTheirOriginalBytes() throws Exception {
        open(true);
        push(telemetry("e1", "d1", seconds(3600), "temperature", 20));
        FoldInput late = sourced(telemetry("e2", "d1", seconds(0), "temperature", 99));
        harness.processElement(late, 0);

        LateEvent forwarded = (LateEvent) values().get(1);
        assertThat(forwarded.getRaw()).isEqualTo(((SourcedEvent) late.getValue()).getRaw());
        assertThat(forwarded.getDeviceLastSeen()).isEqualTo(seconds(3600).toEpochMilli());
        assertThat(((DeviceTwin) values().get(2)).getCounters().getLate()).isEqualTo(1);
    }

    @Test
    void lateEventsOfADecommissionedDeviceAreForwardedAndTheFrozenTwinIsNotPublished()
            throws Exception {
        open(true);
        push(registered("e1", "d1", seconds(1000), "m", "1.0"));
        push(decommissioned("e2", "d1", seconds(1001), "retired"));
        int before = harness.getOutput().size();
        FoldInput late = sourced(telemetry("e3", "d1", seconds(1), "temperature", 1.0));
        harness.processElement(late, seconds(1).toEpochMilli());

        assertThat(values().subList(before, values().size()))
                .containsExactly(
                        new LateEvent(
                                ((SourcedEvent) late.getValue()).getRaw(),
                                seconds(1001).toEpochMilli()));
    }

    @Test
    void aWatermarkPastTheSilenceDeadlineAppendsOneObservation() throws Exception {
        open(true);
        partition = 3; // whichever partition the device's producer chose
        push(telemetry("e1", "d1", seconds(0), "temperature", 20));
        push(telemetry("e2", "d1", seconds(60), "temperature", 21));
        assertThat(harness.numEventTimeTimers())
                .as("the timer stays at the first deadline, none added")
                .isEqualTo(1);
        harness.processWatermark(seconds(0).plus(SILENCE).toEpochMilli());
        assertThat(values()).as("the first deadline has passed, but not the device's").hasSize(2);
        assertThat(harness.numEventTimeTimers())
                .as("re-armed at the device's deadline")
                .isEqualTo(1);
        harness.processWatermark(seconds(60).plus(SILENCE).toEpochMilli() - 1);
        assertThat(values()).hasSize(2);

        harness.processWatermark(seconds(60).plus(SILENCE).toEpochMilli());

        LogAppend append = (LogAppend) values().get(2);
        assertThat(append.getPartition())
                .as("the observation goes to the partition of the device's events")
                .isEqualTo(3);
        DeviceEvent observation = append.getEvent();
        assertThat(observation.getPayload()).isEqualTo(new SilenceObserved("e2"));
        assertThat(observation.getEventId())
                .isEqualTo(DeterministicIds.silenceObservation("d1", "e2"));
        assertThat(harness.numEventTimeTimers()).isZero();

        // The observation read back from the log takes the device offline; no new timer while
        // offline.
        push(observation);
        assertThat(values().subList(3, values().size()))
                .extracting(v -> v.getClass().getSimpleName())
                .containsExactly("DeviceTwin", "TwinEvent", "Alert");
        assertThat(harness.numEventTimeTimers()).isZero();
    }

    @Test
    void aReplayWritesNoObservations() throws Exception {
        open(false);
        push(telemetry("e1", "d1", seconds(0), "temperature", 20));
        harness.processWatermark(Long.MAX_VALUE);

        assertThat(values())
                .extracting(v -> v.getClass().getSimpleName())
                .containsExactly("DeviceTwin");
        assertThat(harness.numEventTimeTimers()).isZero();
    }

    @Test
    void decommissioningReleasesTimersAndDedupMemory() throws Exception {
        open(true);
        push(registered("e1", "d1", seconds(0), "m", "1.0"));
        push(telemetry("e2", "d1", seconds(1), "temperature", 20));
        assertThat(harness.numKeyedStateEntries())
                .as("the twin's state, which holds the newest dedup ids itself")
                .isEqualTo(1);
        for (int i = 0; i < BucketedSeenEventIds.SPILL_AT; i++) {
            push(telemetry("t" + i, "d1", seconds(1).plusMillis(i + 1), "temperature", 20));
        }
        assertThat(harness.numKeyedStateEntries())
                .as("and the map of the ids it spilled")
                .isEqualTo(2);

        push(decommissioned("e3", "d1", seconds(2), "retired"));

        assertThat(harness.numEventTimeTimers()).isZero();
        assertThat(harness.numKeyedStateEntries()).as("only the frozen twin is kept").isEqualTo(1);
        push(telemetry("e4", "d1", seconds(3), "temperature", 20));
        assertThat(harness.numKeyedStateEntries()).isEqualTo(1);
        assertThat(harness.numEventTimeTimers()).isZero();
    }

    @Test
    void keepsDevicesApart() throws Exception {
        open(true);
        push(telemetry("e1", "d1", seconds(0), "temperature", 90));
        push(telemetry("e1", "d2", seconds(0), "temperature", 90));

        List<Alert> alerts =
                values().stream().filter(Alert.class::isInstance).map(Alert.class::cast).toList();
        assertThat(alerts).extracting(Alert::getDeviceId).containsExactly("d1", "d2");
        assertThat(alerts.get(0).getAlertId()).isNotEqualTo(alerts.get(1).getAlertId());
        assertThat(harness.numEventTimeTimers()).isEqualTo(2);
    }

    @Test
    void anObservationForAnUnknownDeviceCreatesNoState() throws Exception {
        open(true);
        push(
                io.twinlog.twin.DeviceEvents.event(
                        "x", "ghost", seconds(1), new SilenceObserved("e0")));

        assertThat(values()).isEmpty();
        assertThat(harness.numKeyedStateEntries()).isZero();
    }

    @Test
    void restoringStateRecordedWithOtherSemanticOptionsIsRefusedWithoutRestarts() throws Exception {
        open(true, manifest(4, "--allowed.lateness", "10m"), false, null);
        push(telemetry("e1", "d1", seconds(0), "temperature", 20));
        OperatorSubtaskState snapshot = harness.snapshot(1, 1);
        harness.close();

        assertThatThrownBy(
                        () -> open(true, manifest(4, "--allowed.lateness", "5m"), false, snapshot))
                .isInstanceOf(SuppressRestartsException.class)
                .rootCause()
                .hasMessageContaining("allowed.lateness: 10m -> 5m")
                .hasMessageContaining("--accept-option-change");
        harness = null;
    }

    @Test
    void theSameOptionsOrAnAcceptedChangeRestore() throws Exception {
        open(true, manifest(4, "--allowed.lateness", "10m"), false, null);
        push(telemetry("e1", "d1", seconds(0), "temperature", 20));
        OperatorSubtaskState snapshot = harness.snapshot(1, 1);
        harness.close();

        open(true, manifest(4, "--allowed.lateness", "10m"), false, snapshot);
        assertThat(harness.numKeyedStateEntries())
                .as("the device's state, its dedup id in it")
                .isEqualTo(1);
        harness.close();
        open(true, manifest(4, "--allowed.lateness", "5m"), true, snapshot);
        OperatorSubtaskState accepted = harness.snapshot(2, 2);
        harness.close();
        // The accepted options are the recorded ones from then on.
        open(true, manifest(4, "--allowed.lateness", "5m"), false, accepted);
    }

    @Test
    void aChangedPartitionCountIsRefusedEvenWhenOptionChangesAreAccepted() throws Exception {
        open(true, manifest(4), false, null);
        OperatorSubtaskState snapshot = harness.snapshot(1, 1);
        harness.close();

        assertThatThrownBy(() -> open(true, manifest(6), true, snapshot))
                .isInstanceOf(SuppressRestartsException.class)
                .rootCause()
                .hasMessageContaining("built from 4 partitions of device-events but it has 6 now");
        harness = null;
    }

    @Test
    void anAnnouncedRulesVersionJudgesTheEventsStampedWithItAndSurvivesASnapshot()
            throws Exception {
        RuleSet v1 =
                RuleSet.newBuilder()
                        .setVersion(1)
                        .setRules(
                                "{\"rules\":[{\"id\":\"temperature-high\",\"metric\":\"temperature\",\"high\":95}]}")
                        .setPublishedAt(seconds(0))
                        .build();
        open(true);
        push(telemetry("e1", "d1", seconds(0), "temperature", 90)); // v0: above 80, raised
        harness.processElement(new FoldInput(new RulesAnnouncement(FoldKeys.routes(1)[0], v1)), 0);
        OperatorSubtaskState snapshot = harness.snapshot(1L, 1L);
        harness.close();

        open(true, manifest(4), false, snapshot);
        FoldInput stamped = sourced(telemetry("e2", "d1", seconds(10), "temperature", 90));
        SourcedEvent event = (SourcedEvent) stamped.getValue();
        event.setRulesVersion(1);
        event.setRulesFingerprint(RulesMarkers.fingerprint(v1));
        harness.processElement(stamped, seconds(10).toEpochMilli());

        // v1 moved the threshold to 95: the episode raised at 90 ends
        assertThat(values())
                .filteredOn(Alert.class::isInstance)
                .map(a -> (Alert) a)
                .extracting(a -> a.getStatus() + " " + a.getReason() + " v" + a.getRulesVersion())
                .containsExactly("CLEARED RULE_CHANGED v1");
        assertThat(harness.numKeyedStateEntries()).isEqualTo(1);
    }

    @Test
    void anEventStampedWithAVersionNeverAnnouncedIsABugNotAnAnswer() throws Exception {
        open(true);
        FoldInput stamped = sourced(telemetry("e1", "d1", seconds(0), "temperature", 90));
        ((SourcedEvent) stamped.getValue()).setRulesVersion(3);
        ((SourcedEvent) stamped.getValue()).setRulesFingerprint(42L);

        assertThatThrownBy(() -> harness.processElement(stamped, 0))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("rules with fingerprint 2a were never announced to this fold");
    }

    private static JobManifest manifest(int partitions, String... options) throws Exception {
        return new JobManifest(
                "device-events", partitions, DeviceTwinJobOptions.parse(options).semantics());
    }

    private void open(boolean writeObservations) throws Exception {
        open(writeObservations, manifest(4), false, null);
    }

    private void open(
            boolean writeObservations,
            JobManifest manifest,
            boolean acceptChange,
            OperatorSubtaskState restore)
            throws Exception {
        harness =
                new KeyedOneInputStreamOperatorTestHarness<>(
                        new KeyedProcessOperator<>(
                                new DeviceTwinFunction(
                                        FOLD,
                                        writeObservations,
                                        new RecordedManifest(manifest, acceptChange))),
                        new FoldKeys.DeviceIdSelector(),
                        Types.STRING);
        // As in the job: a type that would fall back to Kryo fails instead.
        ((SerializerConfigImpl) harness.getExecutionConfig().getSerializerConfig())
                .setGenericTypes(false);
        if (restore != null) {
            harness.initializeState(restore);
        }
        harness.open();
    }

    private void push(DeviceEvent event) throws Exception {
        harness.processElement(sourced(event), event.getEventTime().toEpochMilli());
    }

    private FoldInput sourced(DeviceEvent event) {
        byte[] key = event.getDeviceId().getBytes(StandardCharsets.UTF_8);
        return FoldInputs.event(
                event,
                RawRecords.of(
                        key,
                        new byte[] {0, 1, 2},
                        "device-events",
                        partition,
                        offset++,
                        event.getEventTime().toEpochMilli()));
    }

    private List<Object> values() {
        return harness.extractOutputValues().stream().map(SinkRecord::getValue).toList();
    }
}
