package io.twinlog.readside.query;

import static io.twinlog.readside.TestEvents.at;
import static io.twinlog.readside.TestEvents.event;
import static org.assertj.core.api.Assertions.assertThat;

import io.twinlog.ingest.EventAdmission;
import io.twinlog.kernel.LogAdmission;
import io.twinlog.options.DeviceTwinJobOptions;
import io.twinlog.readside.TestEvents;
import io.twinlog.readside.index.Position;
import io.twinlog.readside.index.StoredRecord;
import io.twinlog.schema.RulesMarkers;
import io.twinlog.schema.event.DeviceDecommissioned;
import io.twinlog.schema.event.DeviceEvent;
import io.twinlog.schema.event.DeviceRegistered;
import io.twinlog.schema.event.FirmwareUpdated;
import io.twinlog.schema.event.TelemetryReported;
import io.twinlog.schema.rules.RuleSet;
import io.twinlog.serde.ConfluentAvroDeserializer;
import io.twinlog.serde.ConfluentAvroSerializer;
import io.twinlog.twin.DeviceFold;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

/**
 * Snapshots are a shortcut, never a source: on random histories, options, spacings and random
 * subsets of the snapshots kept, every answer (the latest state, as of every position, as of times,
 * history pages, the self-check) is the same as the fold of the device from its first record.
 */
class SnapshotsChangeNoAnswerTest {

    private static final String RULES =
            "{\"rules\":[{\"id\":\"temperature-high\",\"metric\":\"temperature\",\"high\":80,"
                    + "\"deadband\":5,\"severity\":\"WARNING\"},"
                    + "{\"id\":\"battery-low\",\"metric\":\"battery\",\"low\":15,\"deadband\":5}]}";

    /** Semantic options the histories run with: lateness, a small dedup bound, metric bounds. */
    private static final List<String[]> OPTIONS =
            List.of(
                    new String[] {"--allowed.lateness", "1m"},
                    new String[] {"--allowed.lateness", "0s", "--dedup.max-ids-per-device", "2"},
                    new String[] {
                        "--allowed.lateness", "30s", "--limits.max-metrics-per-device", "2"
                    });

    private static final TestEvents EVENTS = new TestEvents();

    enum Kind {
        TELEMETRY,
        REGISTRATION,
        FIRMWARE,
        DECOMMISSIONING,
        RESEND,
        MALFORMED,
        OTHER_DEVICE,
        MARKER
    }

    record Step(Kind kind, int seconds, int choice) {}

    @Property(tries = 150)
    void everyAnswerIsTheSameWithSnapshotsAndWithout(
            @ForAll("histories") List<Step> steps,
            @ForAll @IntRange(min = 0, max = 2) int options,
            @ForAll @IntRange(min = 1, max = 6) int every,
            @ForAll boolean smallByteBound,
            @ForAll long seed) {
        List<StoredRecord> markers = new ArrayList<>();
        List<StoredRecord> records = records(steps, markers);
        HistoryFold plain = fold(markers, OPTIONS.get(options), 1_000_000, 1L << 40);
        HistoryFold snapshotting =
                fold(markers, OPTIONS.get(options), every, smallByteBound ? 300 : 1L << 40);
        ListDeviceLog without = ListDeviceLog.of(records);
        ListDeviceLog with = ListDeviceLog.keepingSnapshots(records);
        snapshotting.all("d1", "device-events", with);
        if (records.size() >= every) {
            assertThat(with.snapshotPositions()).as("a fold keeps snapshots").isNotEmpty();
        }
        Random random = new Random(seed);
        with.drop(position -> random.nextInt(3) == 0);

        assertSame(
                snapshotting.latest("d1", "device-events", with),
                plain.latest("d1", "device-events", without),
                "latest");
        for (StoredRecord record : records) {
            Position position = record.position();
            assertSame(
                    snapshotting.upTo("d1", "device-events", with, position),
                    plain.upTo("d1", "device-events", without, position),
                    "as of " + position);
        }
        for (int seconds = -10; seconds <= maxSeconds(steps) + 10; seconds += 7) {
            Instant time = at(seconds);
            assertSame(
                    snapshotting.asOf("d1", "device-events", with, time),
                    plain.asOf("d1", "device-events", without, time),
                    "as of " + time);
        }
        assertThat(snapshotting.count(with)).isEqualTo(records.size());
        assertPagesSame(snapshotting, with, plain, without, random, records);

        var published =
                plain.upTo(
                                "d1",
                                "device-events",
                                without,
                                records.isEmpty()
                                        ? null
                                        : records.get(random.nextInt(records.size())).position())
                        .twin();
        assertThat(snapshotting.check("d1", "device-events", with, published))
                .as("the self-check")
                .isEqualTo(plain.check("d1", "device-events", without, published));
    }

    @net.jqwik.api.Example
    void theHistoriesPublishRulesVersionsThatTheFoldFollows() {
        List<StoredRecord> markers = new ArrayList<>();
        List<StoredRecord> records =
                records(
                        List.of(
                                new Step(Kind.MARKER, 1, 1),
                                new Step(Kind.TELEMETRY, 1, 2),
                                new Step(Kind.TELEMETRY, 1, 3)),
                        markers);
        Replay whole =
                fold(markers, OPTIONS.get(0), 1, 1L << 40)
                        .all("d1", "device-events", ListDeviceLog.of(records));
        assertThat(markers).hasSize(1);
        assertThat(whole.twin().getRulesVersion()).isEqualTo(1);
    }

    private static void assertPagesSame(
            HistoryFold snapshotting,
            ListDeviceLog with,
            HistoryFold plain,
            ListDeviceLog without,
            Random random,
            List<StoredRecord> records) {
        for (int round = 0; round < 5; round++) {
            Position cursor =
                    records.isEmpty() || random.nextBoolean()
                            ? null
                            : records.get(random.nextInt(records.size())).position();
            Instant from = random.nextBoolean() ? null : at(random.nextInt(200) - 20);
            Instant to = from == null || random.nextBoolean() ? null : from.plusSeconds(60);
            HistoryQuery query = new HistoryQuery(from, to, cursor, 1 + random.nextInt(5));
            assertThat(snapshotting.page("d1", "device-events", with, query))
                    .as("the page %s", query)
                    .isEqualTo(plain.page("d1", "device-events", without, query));
        }
    }

    private static void assertSame(Replay actual, Replay expected, String what) {
        assertThat(actual.state()).as("state %s", what).isEqualTo(expected.state());
        assertThat(actual.records()).as("records %s", what).isEqualTo(expected.records());
        assertThat(actual.position()).as("position %s", what).isEqualTo(expected.position());
        assertThat(actual.provenance()).as("provenance %s", what).isEqualTo(expected.provenance());
    }

    /** The device's records on partition 0 and the rules markers between them. */
    private static List<StoredRecord> records(List<Step> steps, List<StoredRecord> markers) {
        List<StoredRecord> records = new ArrayList<>();
        List<DeviceEvent> sent = new ArrayList<>();
        long offset = 0;
        int version = 0;
        long clock = 0;
        int counter = 0;
        if (!steps.isEmpty() && steps.get(0).choice() % 5 != 0) {
            // most devices register first; some send before they do
            DeviceEvent registration =
                    event("r", "d1", 0, new DeviceRegistered("thermo-1", "1.0.0", Map.of()));
            sent.add(registration);
            records.add(stored(new Position(0, offset++), registration));
        }
        for (Step step : steps) {
            clock = Math.max(0, clock + step.seconds());
            String id = "e" + counter++;
            Position position = new Position(0, offset++);
            switch (step.kind()) {
                case MARKER -> {
                    int next = ++version;
                    String rules =
                            next % 2 == 1 ? RULES.replace("\"high\":80", "\"high\":70") : RULES;
                    markers.add(
                            marker(
                                    position,
                                    RuleSet.newBuilder()
                                            .setVersion(next)
                                            .setRules(rules)
                                            .setPublishedAt(at(clock))
                                            .setEffectiveFrom(
                                                    step.choice() % 2 == 0 ? null : at(clock - 30))
                                            .build()));
                    continue;
                }
                case MALFORMED -> {
                    records.add(
                            new StoredRecord(
                                    position,
                                    at(clock).toEpochMilli(),
                                    new byte[] {0, 0, 0, 0, 9}));
                    continue;
                }
                case RESEND -> {
                    if (!sent.isEmpty()) {
                        records.add(stored(position, sent.get(step.choice() % sent.size())));
                        continue;
                    }
                }
                default -> {}
            }
            Object payload =
                    switch (step.kind()) {
                        case REGISTRATION ->
                                new DeviceRegistered(
                                        "thermo-" + step.choice() % 2,
                                        "1.0." + step.choice() % 3,
                                        Map.of("site", "s" + step.choice() % 2));
                        case FIRMWARE -> new FirmwareUpdated("2.0." + step.choice() % 4);
                        case DECOMMISSIONING -> new DeviceDecommissioned("retired");
                        default -> new TelemetryReported(readings(step.choice()));
                    };
            DeviceEvent event =
                    event(id, step.kind() == Kind.OTHER_DEVICE ? "d2" : "d1", clock, payload);
            sent.add(event);
            records.add(stored(position, event));
        }
        return records;
    }

    private static Map<String, Double> readings(int choice) {
        double[] temperatures = {20, 74, 76, 79, 81, 85, 90};
        double[] batteries = {10, 14, 16, 21, 50};
        Map<String, Double> readings = new LinkedHashMap<>();
        if (choice % 3 != 2) {
            readings.put("temperature", temperatures[choice % temperatures.length]);
        }
        if (choice % 3 != 0) {
            readings.put("battery", batteries[choice % batteries.length]);
        }
        if (choice % 7 == 0) {
            readings.put("humidity", 40.0 + choice % 20);
        }
        return readings;
    }

    private static int maxSeconds(List<Step> steps) {
        int clock = 0;
        int max = 0;
        for (Step step : steps) {
            clock = Math.max(0, clock + step.seconds());
            max = Math.max(max, clock);
        }
        return max;
    }

    private static StoredRecord stored(Position position, DeviceEvent event) {
        return new StoredRecord(
                position, event.getEventTime().toEpochMilli() + 1_000, EVENTS.encode(event));
    }

    private static StoredRecord marker(Position position, RuleSet ruleSet) {
        try {
            return new StoredRecord(
                    position,
                    ruleSet.getPublishedAt().toEpochMilli(),
                    new ConfluentAvroSerializer<>(
                                    EVENTS.registry, RulesMarkers.SUBJECT, RuleSet.class)
                            .serialize(ruleSet));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static HistoryFold fold(
            List<StoredRecord> markers, String[] options, int every, long bytes) {
        String[] args = new String[options.length + 2];
        args[0] = "--rules.json";
        args[1] = RULES;
        System.arraycopy(options, 0, args, 2, options.length);
        DeviceTwinJobOptions parsed;
        try {
            parsed = DeviceTwinJobOptions.parse(args);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new HistoryFold(
                        new LogAdmission(
                                new EventAdmission(parsed.contract()),
                                new ConfluentAvroDeserializer<>(EVENTS.registry, DeviceEvent.class)
                                        ::deserialize,
                                new ConfluentAvroDeserializer<>(EVENTS.registry, RuleSet.class)
                                        ::deserialize),
                        new DeviceFold(parsed.foldSettings(), parsed.rules()),
                        () -> markers,
                        every,
                        bytes,
                        Duration.ofMinutes(1))
                .spillingEvery(3);
    }

    @Provide
    Arbitrary<List<Step>> histories() {
        Arbitrary<Step> step =
                Combinators.combine(
                                Arbitraries.frequency(
                                        net.jqwik.api.Tuple.of(40, Kind.TELEMETRY),
                                        net.jqwik.api.Tuple.of(4, Kind.REGISTRATION),
                                        net.jqwik.api.Tuple.of(4, Kind.FIRMWARE),
                                        net.jqwik.api.Tuple.of(1, Kind.DECOMMISSIONING),
                                        net.jqwik.api.Tuple.of(6, Kind.RESEND),
                                        net.jqwik.api.Tuple.of(2, Kind.MALFORMED),
                                        net.jqwik.api.Tuple.of(2, Kind.OTHER_DEVICE),
                                        net.jqwik.api.Tuple.of(3, Kind.MARKER)),
                                Arbitraries.of(0, 1, 1, 5, 10, 10, 31, 61, -5, -40, -90),
                                Arbitraries.integers().between(0, 1_000))
                        .as(Step::new);
        return step.list().ofMinSize(0).ofMaxSize(40);
    }
}
