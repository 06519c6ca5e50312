package io.twinlog.bench.micro;

import io.twinlog.options.DeviceTwinJobOptions;
import io.twinlog.schema.common.LogPosition;
import io.twinlog.schema.event.DeviceEvent;
import io.twinlog.schema.event.TelemetryReported;
import io.twinlog.schema.state.DeviceState;
import io.twinlog.twin.DeviceFold;
import io.twinlog.twin.FoldResult;
import io.twinlog.twin.InMemorySeenEventIds;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.UUID;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * The fold's apply for a telemetry event of a known device, with the local stack's alert rules and
 * the job's default settings: dedup lookup and bookkeeping, latest readings, rule evaluation
 * (alerts raise and clear for about 6 % of the events), silence check. State lives in plain maps,
 * so this is the domain logic alone, without state backend or serialization.
 */
@State(Scope.Thread)
public class FoldBenchmark {

    /**
     * 10 devices keep their state in the CPU caches (as in the job, where each event's state is
     * freshly deserialized from RocksDB); 1,000 devices' state in the heap does not (as in a fold
     * outside Flink, e.g. state verify), and the fold then waits on memory.
     */
    @Param({"10", "1000"})
    public int devices;

    private static final int IDS =
            1 << 17; // a device reuses an id after 131+ of its events: beyond the dedup window

    /**
     * A device's readings cycle through these; two of them cross a threshold (alerts for ~6 % of
     * events).
     */
    private static final int READING_SETS = 64;

    private static final long DEVICE_TICK_MILLIS = 60_000;

    private DeviceFold fold;
    private DeviceState[] states;
    private InMemorySeenEventIds[] seen;
    private DeviceEvent[] events;
    private LogPosition[] positions;
    private final String[] ids = new String[IDS];
    private final TelemetryReported[] readings = new TelemetryReported[READING_SETS];
    private long invocation;

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        DeviceTwinJobOptions defaults = DeviceTwinJobOptions.parse();
        fold = new DeviceFold(defaults.foldSettings(), BenchmarkEvents.stackRules());
        SplittableRandom random = new SplittableRandom(7);
        for (int i = 0; i < IDS; i++) {
            ids[i] = new UUID(random.nextLong(), random.nextLong()).toString();
        }
        for (int i = 0; i < READING_SETS; i++) {
            double temperature = i == READING_SETS - 1 ? 85 : 20 + random.nextDouble() * 40;
            double battery = i == READING_SETS / 2 ? 10 : 30 + random.nextDouble() * 60;
            Map<String, Double> values = new HashMap<>(); // as Avro decodes a map
            values.put("temperature", temperature);
            values.put("humidity", 30 + random.nextDouble() * 40);
            values.put("battery", battery);
            readings[i] = new TelemetryReported(values);
        }
        states = new DeviceState[devices];
        seen = new InMemorySeenEventIds[devices];
        events = new DeviceEvent[devices];
        positions = new LogPosition[devices];
        for (int d = 0; d < devices; d++) {
            String device = String.format("dev-%06d", d);
            seen[d] = new InMemorySeenEventIds();
            positions[d] = new LogPosition("device-events", d % 4, (long) d);
            events[d] =
                    BenchmarkEvents.telemetry(
                            device, "warm-up-" + d, BenchmarkEvents.START, random);
            states[d] = fold.apply(null, seen[d], events[d], positions[d]).state();
        }
    }

    @Benchmark
    public FoldResult applyTelemetry() {
        long n = invocation++;
        int d = (int) (n % devices);
        DeviceEvent event = events[d];
        event.setEventId(ids[(int) (n & (IDS - 1))]);
        event.setEventTime(
                Instant.ofEpochMilli(
                        BenchmarkEvents.START + (n / devices + 1) * DEVICE_TICK_MILLIS));
        event.setPayload(readings[(int) ((n / devices + d) % READING_SETS)]);
        FoldResult result = fold.apply(states[d], seen[d], event, positions[d]);
        states[d] = result.state();
        return result;
    }
}
