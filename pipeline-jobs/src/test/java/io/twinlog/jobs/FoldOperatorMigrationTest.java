package io.twinlog.jobs;

import static io.twinlog.twin.DeviceEvents.seconds;
import static io.twinlog.twin.DeviceEvents.telemetry;
import static org.assertj.core.api.Assertions.assertThat;

import io.twinlog.connect.RawRecords;
import io.twinlog.jobs.functions.DeviceTwinFunction;
import io.twinlog.jobs.functions.RecordedManifest;
import io.twinlog.jobs.topology.FoldKeys;
import io.twinlog.options.DeviceTwinJobOptions;
import io.twinlog.options.JobManifest;
import io.twinlog.schema.event.DeviceEvent;
import io.twinlog.schema.internal.FoldInput;
import io.twinlog.schema.internal.LateEvent;
import io.twinlog.schema.internal.LogAppend;
import io.twinlog.schema.internal.SinkRecord;
import io.twinlog.schema.internal.SourcedEvent;
import io.twinlog.spec.FoldSpecification;
import io.twinlog.twin.DeviceFold;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.apache.flink.api.common.serialization.SerializerConfigImpl;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.core.execution.SavepointFormatType;
import org.apache.flink.runtime.checkpoint.SavepointType;
import org.apache.flink.runtime.state.StateBackend;
import org.apache.flink.runtime.state.hashmap.HashMapStateBackend;
import org.apache.flink.state.rocksdb.EmbeddedRocksDBStateBackend;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.OperatorSnapshotUtil;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Operator-level snapshots of the fold, in the manner of Flink's own migration tests: each release
 * commits snapshots of the fold operator, taken with each state backend, holding every kind of
 * state the fold keeps (an offline device with its open silence episode, an open threshold episode,
 * a hold pending, a fired and a pending silence timer, dedup memory). Every committed snapshot must
 * restore into today's operator on both backends and go on exactly as the independent specification
 * says the same history goes on.
 *
 * <p>Generate the snapshots of a release from a clean checkout of its tag:
 *
 * <pre>
 * mvn -pl pipeline-jobs test -Dtest=FoldOperatorMigrationTest -Dgenerate.operator-snapshots=0.3.0
 * </pre>
 */
class FoldOperatorMigrationTest {

    static final Path ROOT = Path.of("src", "test", "resources", "operator-snapshots");
    static final String RULES =
            """
            {"rules": [
              {"id": "temperature-high", "metric": "temperature", "high": 80, "deadband": 5, "severity": "CRITICAL"},
              {"id": "temperature-hot-30s", "metric": "temperature", "high": 90, "deadband": 5, "holdFor": "30s"}
            ]}""";
    static final String[] OPTIONS = {
        "--allowed.lateness",
        "10m",
        "--dedup.window",
        "10m",
        "--silence.timeout",
        "5m",
        "--rules.json",
        RULES
    };

    /**
     * The history the snapshots hold, in log order; the observation is what the job wrote back when
     * its timer fired.
     */
    static List<DeviceEvent> before() {
        return List.of(
                telemetry("off-e1", "offline-1", seconds(0), "temperature", 20),
                telemetry("hot-e1", "hot-1", seconds(10), "temperature", 90),
                telemetry("pending-e1", "pending-1", seconds(20), "temperature", 95),
                telemetry("dup-e1", "dup-1", seconds(30), "temperature", 21),
                telemetry("dup-e2", "dup-1", seconds(40), "temperature", 22));
    }

    /**
     * After the watermark passed 300 s: offline-1's observation read back, and a device that spoke
     * late in the run.
     */
    static List<DeviceEvent> afterObservation(DeviceEvent observation) {
        return List.of(
                observation, telemetry("quiet-e1", "quiet-1", seconds(280), "temperature", 20));
    }

    /** What comes after the snapshot. */
    static List<DeviceEvent> continuation() {
        return List.of(
                telemetry("off-e2", "offline-1", seconds(400), "temperature", 21),
                telemetry("hot-e2", "hot-1", seconds(330), "temperature", 70),
                telemetry("pending-e2", "pending-1", seconds(50), "temperature", 95),
                telemetry("dup-e1", "dup-1", seconds(30), "temperature", 21),
                telemetry("dup-e3", "dup-1", seconds(-700), "temperature", 1));
    }

    static Stream<Arguments> snapshotsAndBackends() throws Exception {
        List<Arguments> cases = new ArrayList<>();
        try (Stream<Path> versions = Files.list(ROOT)) {
            for (Path version : versions.filter(Files::isDirectory).sorted().toList()) {
                try (Stream<Path> snapshots = Files.list(version)) {
                    for (Path snapshot :
                            snapshots
                                    .filter(p -> p.toString().endsWith(".snapshot"))
                                    .sorted()
                                    .toList()) {
                        for (String backend : List.of("hashmap", "rocksdb")) {
                            cases.add(
                                    Arguments.of(
                                            version.getFileName() + "/" + snapshot.getFileName(),
                                            backend));
                        }
                    }
                }
            }
        }
        assertThat(cases).as("committed operator snapshots").isNotEmpty();
        return cases.stream();
    }

    @ParameterizedTest(name = "{0} restored into {1}")
    @MethodSource("snapshotsAndBackends")
    void everyCommittedSnapshotRestoresAndGoesOnAsTheSpecificationSays(
            String snapshot, String backend) throws Exception {
        DeviceTwinJobOptions options = DeviceTwinJobOptions.parse(OPTIONS);
        FoldSpecification spec =
                new FoldSpecification(
                        FoldSpecification.Settings.of(options.foldSettings()), options.rules());
        long offset = 0;
        for (DeviceEvent event : before()) {
            spec.apply(event, sourced(event, offset++).getRaw().getPosition());
        }
        for (DeviceEvent event :
                afterObservation(
                        spec.observationDue("offline-1", seconds(300).toEpochMilli())
                                .orElseThrow())) {
            spec.apply(event, sourced(event, offset++).getRaw().getPosition());
        }

        try (var harness = harness(options, backendNamed(backend))) {
            harness.initializeState(ROOT.resolve(snapshot).toString());
            harness.open();
            for (DeviceEvent event : continuation()) {
                SourcedEvent sourced = sourced(event, offset++);
                int before = harness.extractOutputValues().size();
                harness.processElement(new FoldInput(sourced), event.getEventTime().toEpochMilli());
                FoldSpecification.Output expected =
                        spec.apply(event, sourced.getRaw().getPosition());
                assertThat(outputSince(harness, before))
                        .as("outputs of %s", event.getEventId())
                        .isEqualTo(records(expected, sourced, spec));
            }
            // The timers in the snapshot fire: one observation for each device silent since before
            // the watermark.
            int before = harness.extractOutputValues().size();
            harness.processWatermark(seconds(600).toEpochMilli());
            List<Object> observations = new ArrayList<>();
            for (String device : List.of("dup-1", "pending-1", "quiet-1")) {
                // To partition 0, where the devices' events are.
                observations.add(
                        new SinkRecord(
                                new LogAppend(
                                        spec.observationDue(device, seconds(600).toEpochMilli())
                                                .orElseThrow(),
                                        0)));
            }
            assertThat(outputSince(harness, before))
                    .containsExactlyInAnyOrderElementsOf(observations);
            assertThat(spec.observationDue("offline-1", seconds(600).toEpochMilli())).isEmpty();
            assertThat(spec.observationDue("hot-1", seconds(600).toEpochMilli())).isEmpty();
        }
    }

    @Test
    @EnabledIfSystemProperty(named = "generate.operator-snapshots", matches = ".+")
    void generate() throws Exception {
        String version = System.getProperty("generate.operator-snapshots");
        String commit = Releases.requireTaggedCheckout(version);
        Path target = Files.createDirectories(ROOT.resolve(version));
        for (String backend : List.of("hashmap", "rocksdb")) {
            Path file = target.resolve("fold-" + backend + ".snapshot");
            assertThat(file).doesNotExist();
            DeviceTwinJobOptions options = DeviceTwinJobOptions.parse(OPTIONS);
            try (var harness = harness(options, backendNamed(backend))) {
                harness.open();
                long offset = 0;
                for (DeviceEvent event : before()) {
                    harness.processElement(
                            new FoldInput(sourced(event, offset++)),
                            event.getEventTime().toEpochMilli());
                }
                harness.processWatermark(seconds(300).toEpochMilli());
                DeviceEvent observation =
                        (DeviceEvent)
                                harness.extractOutputValues().stream()
                                        .map(SinkRecord::getValue)
                                        .filter(DeviceEvent.class::isInstance)
                                        .findFirst()
                                        .orElseThrow();
                FoldSpecification spec =
                        new FoldSpecification(
                                FoldSpecification.Settings.of(options.foldSettings()),
                                options.rules());
                long specOffset = 0;
                for (DeviceEvent event : before()) {
                    spec.apply(event, sourced(event, specOffset++).getRaw().getPosition());
                }
                assertThat(observation)
                        .isEqualTo(
                                spec.observationDue("offline-1", seconds(300).toEpochMilli())
                                        .orElseThrow());
                for (DeviceEvent event : afterObservation(observation)) {
                    harness.processElement(
                            new FoldInput(sourced(event, offset++)),
                            event.getEventTime().toEpochMilli());
                }
                assertThat(harness.numEventTimeTimers())
                        .as("pending timers of four devices")
                        .isEqualTo(4);
                // A savepoint in the canonical format, which every state backend restores.
                OperatorSnapshotUtil.writeStateHandle(
                        harness.snapshotWithLocalState(
                                        1,
                                        1,
                                        SavepointType.savepoint(SavepointFormatType.CANONICAL))
                                .getJobManagerOwnedState(),
                        file.toString());
            }
        }
        Releases.recordOrigin(target, version, commit);
    }

    private static KeyedOneInputStreamOperatorTestHarness<String, FoldInput, SinkRecord> harness(
            DeviceTwinJobOptions options, StateBackend backend) throws Exception {
        DeviceFold fold = new DeviceFold(options.foldSettings(), options.rules());
        JobManifest manifest = new JobManifest("device-events", 1, options.semantics());
        var harness =
                new KeyedOneInputStreamOperatorTestHarness<>(
                        new KeyedProcessOperator<>(
                                new DeviceTwinFunction(
                                        fold, true, new RecordedManifest(manifest, false))),
                        new FoldKeys.DeviceIdSelector(),
                        Types.STRING,
                        FoldKeys.MAX_PARALLELISM,
                        1,
                        0);
        harness.setStateBackend(backend);
        ((SerializerConfigImpl) harness.getExecutionConfig().getSerializerConfig())
                .setGenericTypes(false);
        return harness;
    }

    private static StateBackend backendNamed(String name) {
        return name.equals("rocksdb")
                ? new EmbeddedRocksDBStateBackend()
                : new HashMapStateBackend();
    }

    private static SourcedEvent sourced(DeviceEvent event, long offset) {
        byte[] key = event.getDeviceId().getBytes(StandardCharsets.UTF_8);
        return new SourcedEvent(
                event,
                RawRecords.of(
                        key,
                        new byte[] {0, 1, 2},
                        "device-events",
                        0,
                        offset,
                        event.getEventTime().toEpochMilli()),
                0,
                0L);
    }

    private static List<Object> outputSince(
            KeyedOneInputStreamOperatorTestHarness<String, FoldInput, SinkRecord> harness,
            int from) {
        List<Object> values = new ArrayList<>();
        harness.extractOutputValues().stream().skip(from).forEach(values::add);
        return values;
    }

    /** The records the job writes for a specified output, in its order. */
    private static List<Object> records(
            FoldSpecification.Output output, SourcedEvent sourced, FoldSpecification spec) {
        List<Object> records = new ArrayList<>();
        if (output.late()) {
            records.add(
                    new SinkRecord(
                            new LateEvent(
                                    sourced.getRaw(),
                                    spec.twin(sourced.getEvent().getDeviceId())
                                            .orElseThrow()
                                            .getLastSeen()
                                            .toEpochMilli())));
        }
        if (output.twin() != null) {
            records.add(new SinkRecord(output.twin()));
        }
        output.derived().forEach(e -> records.add(new SinkRecord(e)));
        output.alerts().forEach(a -> records.add(new SinkRecord(a)));
        return records;
    }
}
