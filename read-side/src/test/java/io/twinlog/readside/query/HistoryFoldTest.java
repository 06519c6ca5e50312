package io.twinlog.readside.query;

import static io.twinlog.readside.TestEvents.at;
import static io.twinlog.readside.TestEvents.registered;
import static io.twinlog.readside.TestEvents.temperature;
import static org.assertj.core.api.Assertions.assertThat;

import io.twinlog.ingest.EventAdmission;
import io.twinlog.kernel.LogAdmission;
import io.twinlog.options.DeviceTwinJobOptions;
import io.twinlog.readside.TestEvents;
import io.twinlog.readside.index.Position;
import io.twinlog.readside.index.StoredRecord;
import io.twinlog.schema.RulesMarkers;
import io.twinlog.schema.event.DeviceEvent;
import io.twinlog.schema.rules.RuleSet;
import io.twinlog.serde.ConfluentAvroDeserializer;
import io.twinlog.serde.ConfluentAvroSerializer;
import io.twinlog.twin.DeviceFold;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * History and as-of of one device against literal expectations: what each record did and which twin
 * the read side answers at each time, written out by hand from FOLD.md and READ-SIDE.md.
 */
class HistoryFoldTest {

    private static final String RULES =
            "{\"rules\":[{\"id\":\"temperature-high\",\"metric\":\"temperature\",\"high\":80,"
                    + "\"deadband\":5,\"severity\":\"WARNING\"}]}";

    private final TestEvents events = new TestEvents();
    private final HistoryFold fold = fold("--allowed.lateness", "1m");

    /**
     * 0:0 registered at +0 s; 0:1 20 °C at +10; 0:2 85 °C at +20 (raises); 0:3 the +10 reading
     * again; 0:4 not Avro; 0:5 30 °C at +15 (out of order, older than the reading it would
     * replace); 0:6 70 °C at +30 (clears); 0:7 at -3600 (late); 0:8 under another device's key.
     */
    private DeviceLog log() {
        return ListDeviceLog.of(records());
    }

    private List<StoredRecord> records() {
        return List.of(
                events.stored(0, registered("e0", "d1", 0)),
                events.stored(1, temperature("e1", "d1", 10, 20)),
                events.stored(2, temperature("e2", "d1", 20, 85)),
                events.stored(3, temperature("e1", "d1", 10, 20)),
                TestEvents.raw(4, 21, new byte[] {0, 0, 0, 0, 1, 42}),
                events.stored(5, temperature("e5", "d1", 15, 30)),
                events.stored(6, temperature("e6", "d1", 30, 70)),
                events.stored(7, temperature("e7", "d1", -3600, 10)),
                events.stored(8, temperature("e8", "d2", 40, 99)));
    }

    @Test
    void eachRecordHasItsOutcomeAndEffects() {
        Replay replay = fold.all("d1", "device-events", log());

        assertThat(replay.entries())
                .extracting(e -> e.outcome().name())
                .containsExactly(
                        "APPLIED",
                        "APPLIED",
                        "APPLIED",
                        "DUPLICATE",
                        "DEAD_LETTER",
                        "APPLIED",
                        "APPLIED",
                        "LATE",
                        "DEAD_LETTER");
        assertThat(replay.entries().get(0).changes())
                .containsExactly(
                        "status: - -> ACTIVE",
                        "online: - -> true",
                        "model: - -> thermo-3",
                        "firmware: - -> 1.0.0");
        assertThat(replay.entries().get(1).changes()).containsExactly("temperature: - -> 20.0");
        assertThat(replay.entries().get(2).changes()).containsExactly("temperature: 20.0 -> 85.0");
        assertThat(replay.entries().get(2).alerts())
                .singleElement()
                .satisfies(a -> assertThat(a.getStatus().name()).isEqualTo("RAISED"));
        assertThat(replay.entries().get(3).changes()).isEmpty();
        assertThat(replay.entries().get(4).detail()).startsWith("MALFORMED");
        assertThat(replay.entries().get(4).eventId()).isNull();
        assertThat(replay.entries().get(5).changes())
                .as("an older reading does not replace a newer one")
                .isEmpty();
        assertThat(replay.entries().get(6).alerts())
                .singleElement()
                .satisfies(a -> assertThat(a.getStatus().name()).isEqualTo("CLEARED"));
        assertThat(replay.entries().get(8).detail()).startsWith("KEY_MISMATCH");
        assertThat(replay.twin().getCounters().getApplied()).isEqualTo(5);
        assertThat(replay.twin().getCounters().getDuplicates()).isEqualTo(1);
        assertThat(replay.twin().getCounters().getLate()).isEqualTo(1);
        assertThat(replay.position()).isEqualTo(new Position(0, 8));
    }

    @Test
    void asOfATimeIsTheTwinWhenTheDevicesClockLastWasAtOrBeforeIt() {
        Replay early = fold.asOf("d1", "device-events", log(), at(12));
        assertThat(early.position()).isEqualTo(new Position(0, 1));
        assertThat(early.twin().getReadings().get("temperature").getValue()).isEqualTo(20.0);
        assertThat(early.twin().getActiveAlerts()).isEmpty();

        // The +15 reading arrived after the +20 one: it belongs to the prefix up to 0:5, which the
        // device's clock (20 s) allows at +25, and it does not replace the newer reading.
        Replay middle = fold.asOf("d1", "device-events", log(), at(25));
        assertThat(middle.position()).isEqualTo(new Position(0, 5));
        assertThat(middle.twin().getReadings().get("temperature").getValue()).isEqualTo(85.0);
        assertThat(middle.twin().getActiveAlerts()).containsExactly("temperature-high");
        assertThat(middle.provenance().fields().get("readings.temperature").eventId())
                .isEqualTo("e2");
        assertThat(middle.provenance().fields().get("status").eventId()).isEqualTo("e0");
        assertThat(middle.provenance().fields().get("lastEvent").eventId())
                .as("applied, though it changed no reading")
                .isEqualTo("e5");
        assertThat(middle.provenance().events())
                .extracting(HistoryEntry::eventId)
                .containsExactly("e0", "e2", "e5");

        Replay exactly = fold.asOf("d1", "device-events", log(), at(20));
        assertThat(exactly.position())
                .as("at the clock's value itself")
                .isEqualTo(new Position(0, 5));

        Replay late = fold.asOf("d1", "device-events", log(), at(3600));
        assertThat(late.position()).isEqualTo(new Position(0, 8));
        assertThat(late.twin().getActiveAlerts()).isEmpty();
    }

    @Test
    void historyPagesFollowTheCursorWithinTheTimeRange() {
        // event times +0 +10 +20 +10 (dup) - +15 +30 -3600 +40; dead letters by record time
        HistoryQuery first = new HistoryQuery(at(10), at(20), null, 2);
        Page<HistoryEntry> page = fold.page("d1", "device-events", log(), first);
        assertThat(page.items()).extracting(e -> e.position().offset()).containsExactly(1L, 2L);
        assertThat(page.next()).isEqualTo("0:2");
        Page<HistoryEntry> second =
                fold.page(
                        "d1",
                        "device-events",
                        log(),
                        new HistoryQuery(at(10), at(20), Position.parse(page.next()), 2));
        assertThat(second.items())
                .extracting(e -> e.position().offset())
                .as("the duplicate at +10, the dead letter's record time +21 is out, +15 in")
                .containsExactly(3L, 5L);
        assertThat(second.next()).isNull();
        assertThat(fold.count(log())).isEqualTo(9);
    }

    @Test
    void beforeTheFirstEventThereIsNoTwin() {
        Replay before = fold.asOf("d1", "device-events", log(), at(-1));
        assertThat(before.twin()).isNull();
        assertThat(before.records()).isZero();
    }

    @Test
    void asOfAPositionFoldsTheRecordsUpToIt() {
        Replay upTo = fold.upTo("d1", "device-events", log(), new Position(0, 2));
        assertThat(upTo.records()).isEqualTo(3);
        assertThat(upTo.twin().getActiveAlerts()).containsExactly("temperature-high");
        assertThat(fold.upTo("d1", "device-events", log(), new Position(0, 100)).records())
                .isEqualTo(9);
    }

    @Test
    void theSemanticOptionsChangeTheAnswer() {
        HistoryFold strict = fold("--allowed.lateness", "0s");
        Replay replay = strict.all("d1", "device-events", log());
        assertThat(replay.entries().get(5).outcome())
                .as("+15 after +20 is late without allowed lateness")
                .isEqualTo(RecordOutcome.LATE);
    }

    @Test
    void theSelfCheckTellsMatchBehindAndMismatch() {
        var latest = fold.all("d1", "device-events", log()).twin();
        var earlier = fold.upTo("d1", "device-events", log(), new Position(0, 2)).twin();
        assertThat(fold.check("d1", "device-events", log(), latest))
                .isEqualTo(StateCheck.Verdict.MATCH);
        assertThat(fold.check("d1", "device-events", log(), earlier))
                .isEqualTo(StateCheck.Verdict.BEHIND);
        var other = fold("--allowed.lateness", "0s").all("d1", "device-events", log()).twin();
        assertThat(fold.check("d1", "device-events", log(), other))
                .isEqualTo(StateCheck.Verdict.MISMATCH);
        assertThat(fold.check("d1", "device-events", log(), null))
                .isEqualTo(StateCheck.Verdict.NO_TWIN);
    }

    @Test
    void theFoldFollowsTheRulesVersionsOfTheDevicesPartition() {
        // v1 moves temperature-high from 80 to 90: the episode raised at 85 ends with the reason
        RuleSet v1 =
                RuleSet.newBuilder()
                        .setVersion(1)
                        .setRules(RULES.replace("\"high\":80", "\"high\":90"))
                        .setPublishedAt(Instant.EPOCH)
                        .build();
        StoredRecord v1Marker = marker(new Position(0, 1), v1);
        StoredRecord otherPartition =
                marker(
                        new Position(1, 0),
                        RuleSet.newBuilder(v1).setVersion(2).setRules(RULES).build());
        HistoryFold versioned = fold(List.of(v1Marker, otherPartition), "--allowed.lateness", "1m");
        DeviceLog log =
                ListDeviceLog.of(
                        List.of(
                                events.stored(0, temperature("e0", "d1", 0, 85)),
                                events.stored(2, temperature("e2", "d1", 10, 86))));

        Replay replay = versioned.all("d1", "device-events", log);

        assertThat(replay.entries().get(0).alerts())
                .extracting(a -> a.getStatus() + " v" + a.getRulesVersion())
                .containsExactly("RAISED v0");
        assertThat(replay.entries().get(1).alerts())
                .extracting(a -> a.getStatus() + " v" + a.getRulesVersion() + " " + a.getReason())
                .containsExactly("CLEARED v1 RULE_CHANGED");
        assertThat(replay.twin().getRulesVersion()).isEqualTo(1);
        assertThat(versioned.upTo("d1", "device-events", log, new Position(0, 0)).twin())
                .satisfies(twin -> assertThat(twin.getRulesVersion()).isZero());
        assertThat(fold.all("d1", "device-events", log).twin().getRulesVersion())
                .as("without the markers")
                .isZero();
    }

    private HistoryFold fold(String... options) {
        return fold(List.of(), options);
    }

    /** A rules marker as the index keeps it. */
    private StoredRecord marker(Position position, RuleSet ruleSet) {
        try {
            return new StoredRecord(
                    position,
                    0,
                    new ConfluentAvroSerializer<>(
                                    events.registry, RulesMarkers.SUBJECT, RuleSet.class)
                            .serialize(ruleSet));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private HistoryFold fold(List<StoredRecord> markers, String... options) {
        try {
            String[] args = new String[options.length + 2];
            args[0] = "--rules.json";
            args[1] = RULES;
            System.arraycopy(options, 0, args, 2, options.length);
            DeviceTwinJobOptions parsed = DeviceTwinJobOptions.parse(args);
            return new HistoryFold(
                    new LogAdmission(
                            new EventAdmission(parsed.contract()),
                            new ConfluentAvroDeserializer<>(events.registry, DeviceEvent.class)
                                    ::deserialize,
                            new ConfluentAvroDeserializer<>(events.registry, RuleSet.class)
                                    ::deserialize),
                    new DeviceFold(parsed.foldSettings(), parsed.rules()),
                    () -> markers);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
