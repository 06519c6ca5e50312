package io.twinlog.jobs.functions;

import static io.twinlog.twin.DeviceEvents.seconds;
import static io.twinlog.twin.DeviceEvents.telemetry;
import static org.assertj.core.api.Assertions.assertThat;

import io.twinlog.connect.RawRecords;
import io.twinlog.jobs.topology.Descriptors;
import io.twinlog.jobs.topology.FoldKeys;
import io.twinlog.schema.RulesMarkers;
import io.twinlog.schema.event.DeviceEvent;
import io.twinlog.schema.internal.DeadLetter;
import io.twinlog.schema.internal.FoldInput;
import io.twinlog.schema.internal.IngestedRecord;
import io.twinlog.schema.internal.RawRecord;
import io.twinlog.schema.internal.RulesAnnouncement;
import io.twinlog.schema.internal.RulesMarker;
import io.twinlog.schema.internal.SourcedEvent;
import io.twinlog.schema.rules.RuleSet;
import java.time.Instant;
import java.util.List;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.api.operators.ProcessOperator;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

/**
 * The routing operator in a harness: events stamped with their partition's version, a marker
 * announced to every fold subtask before the events after it, a stale marker dead-lettered, and the
 * versions surviving a snapshot (as union state: any subtask may get the partition next).
 */
class RouteRecordsTest {

    private static final String RULES =
            "{\"rules\":[{\"id\":\"hot\",\"metric\":\"temperature\",\"high\":80}]}";
    private static final RuleSet V1 =
            RuleSet.newBuilder()
                    .setVersion(1)
                    .setRules(RULES)
                    .setPublishedAt(Instant.EPOCH)
                    .build();

    private long offset;

    @Test
    void eventsAfterAMarkerOfTheirPartitionCarryItsVersionAndTheFoldHearsOfItFirst()
            throws Exception {
        try (var harness = harness(3, null)) {
            harness.processElement(event(0, "e1"), 0);
            harness.processElement(marker(0, V1), 0);
            harness.processElement(event(0, "e2"), 0);
            harness.processElement(event(1, "e3"), 0);

            List<FoldInput> out = harness.extractOutputValues();
            assertThat(out).hasSize(6);
            assertThat(stamp(out.get(0))).isEqualTo("e1 v0");
            assertThat(out.subList(1, 4))
                    .extracting(i -> ((RulesAnnouncement) i.getValue()).getRoute())
                    .as("one announcement per fold subtask")
                    .containsExactly(FoldKeys.routes(3));
            assertThat(stamp(out.get(4))).isEqualTo("e2 v1");
            assertThat(((SourcedEvent) out.get(4).getValue()).getRulesFingerprint())
                    .isEqualTo(RulesMarkers.fingerprint(V1));
            assertThat(stamp(out.get(5))).as("another partition").isEqualTo("e3 v0");
        }
    }

    @Test
    void aMarkerNotNewerThanItsPartitionsVersionIsADeadLetter() throws Exception {
        try (var harness = harness(1, null)) {
            harness.processElement(marker(0, V1), 0);
            harness.processElement(marker(0, V1), 0);

            assertThat(harness.extractOutputValues()).hasSize(1);
            assertThat(harness.getSideOutput(Descriptors.DEAD_LETTERS))
                    .singleElement()
                    .satisfies(
                            r -> {
                                DeadLetter letter = (DeadLetter) r.getValue().getValue();
                                assertThat(letter.getReason()).isEqualTo("RULES_MARKER_INVALID");
                                assertThat(letter.getErrorMessage())
                                        .isEqualTo(
                                                "rules version 1 is not newer than version 1,"
                                                        + " which partition 0 activated already");
                            });
        }
    }

    @Test
    void theVersionsSurviveASnapshotIntoAnotherSubtaskCount() throws Exception {
        OperatorSubtaskState snapshot;
        try (var harness = harness(2, null)) {
            harness.processElement(marker(0, V1), 0);
            snapshot = harness.snapshot(1L, 1L);
        }
        try (var restored = harness(3, snapshot)) {
            restored.processElement(event(0, "e1"), 0);
            restored.processElement(marker(0, V1), 0);

            assertThat(restored.extractOutputValues())
                    .singleElement()
                    .satisfies(i -> assertThat(stamp(i)).isEqualTo("e1 v1"));
            assertThat(restored.getSideOutput(Descriptors.DEAD_LETTERS))
                    .as("the replayed marker")
                    .hasSize(1);
        }
    }

    private OneInputStreamOperatorTestHarness<IngestedRecord, FoldInput> harness(
            int parallelism, OperatorSubtaskState restore) throws Exception {
        var harness =
                new OneInputStreamOperatorTestHarness<>(
                        new ProcessOperator<>(new RouteRecords()),
                        FoldKeys.MAX_PARALLELISM,
                        parallelism,
                        0);
        if (restore != null) {
            harness.initializeState(restore);
        }
        harness.open();
        return harness;
    }

    private static String stamp(FoldInput input) {
        SourcedEvent event = (SourcedEvent) input.getValue();
        return event.getEvent().getEventId() + " v" + event.getRulesVersion();
    }

    private IngestedRecord event(int partition, String id) {
        DeviceEvent event = telemetry(id, "d1", seconds(offset), "temperature", 20);
        return new IngestedRecord(new SourcedEvent(event, raw(partition), 0, 0L));
    }

    private IngestedRecord marker(int partition, RuleSet ruleSet) {
        return new IngestedRecord(new RulesMarker(ruleSet, raw(partition)));
    }

    private RawRecord raw(int partition) {
        return RawRecords.of(
                new byte[] {1}, new byte[] {0}, "device-events", partition, offset++, 0L);
    }
}
