package io.twinlog.bench.e2e;

import io.twinlog.bench.profile.StackParts;
import io.twinlog.bench.profile.StackParts.Share;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordingFile;

/**
 * Where the TaskManager's CPU goes: a Java Flight Recorder recording of its threads during a run,
 * each execution sample counted under the first (innermost) frame that names a part of the
 * pipeline. Execution samples see only threads running Java: RocksDB's native code, its compaction
 * threads, the JIT and the GC are missing, so these shares undercount keyed state (the comparison
 * with Kafka Streams profiles with async-profiler instead, {@code compare.Profiler}).
 */
public final class TaskManagerProfile {

    public record Result(long samples, List<Share> shares) {}

    /** Innermost match wins; the order breaks ties between patterns that match the same frame. */
    private static final StackParts PARTS =
            new StackParts("other")
                    .part(
                            "timers (RocksDB timer service)",
                            "PriorityQueueSet|TreeOrderedSetCache|InternalTimerServiceImpl|TimerSerializer|SilenceTimers")
                    .part(
                            "keyed state: RocksDB and DeviceState (de)serialization",
                            "RocksDBValueState|AbstractRocksDBState|RocksDBMapState|org\\.rocksdb\\.RocksDB\\.|KeyedDeviceState")
                    .part(
                            "network between tasks: serialize",
                            "RecordWriter\\.|StreamElementSerializer\\.serialize|SerializationDelegate")
                    .part(
                            "network between tasks: deserialize",
                            "StreamElementSerializer\\.deserialize|SpanningRecordDeserializer|NonSpanningWrapper")
                    .part(
                            "copies between chained operators",
                            "CopyingChainingOutput\\.pushToOperator|AvroSerializer\\.copy")
                    .part(
                            "sink: encode outputs (Avro, registry framing)",
                            "TwinlogRecordSerializer|RegistryAvroSerializationSchema")
                    .part("sink: Kafka producer", "org\\.apache\\.kafka\\.clients\\.producer")
                    .part(
                            "source: decode and admit events",
                            "StrictRegistryAvroDeserializationSchema|DeviceEventRecordDeserializer|EventAdmission")
                    .part("source: Kafka consumer", "org\\.apache\\.kafka\\.clients\\.consumer")
                    .part("fold and alert rules", "io\\.twinlog\\.twin\\.|io\\.twinlog\\.alerts\\.")
                    .part("checkpointing", "[Cc]heckpoint|Snapshot");

    private TaskManagerProfile() {}

    /**
     * Starts a recording of the TaskManager that begins after {@code delay} and lasts {@code
     * duration}.
     */
    public static Path start(LocalStack stack, Duration delay, Duration duration) {
        long pid =
                stack.pid("taskmanager")
                        .orElseThrow(() -> new IllegalStateException("no TaskManager runs"));
        Path file =
                stack.work()
                        .resolve("logs")
                        .resolve("taskmanager-" + System.currentTimeMillis() + ".jfr");
        String java = ProcessHandle.current().info().command().orElse("java");
        Path jcmd = Path.of(java).resolveSibling("jcmd");
        try {
            Process process =
                    new ProcessBuilder(
                                    jcmd.toString(),
                                    Long.toString(pid),
                                    "JFR.start",
                                    "name=" + file.getFileName(),
                                    "settings=profile",
                                    "delay=" + delay.toSeconds() + "s",
                                    "duration=" + duration.toSeconds() + "s",
                                    "filename=" + file)
                            .redirectErrorStream(true)
                            .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                            .start();
            if (!process.waitFor(30, TimeUnit.SECONDS) || process.exitValue() != 0) {
                throw new IllegalStateException(
                        "jcmd could not start a recording of the TaskManager (pid " + pid + ")");
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        return file;
    }

    /** The shares of the recording's execution samples, largest first; "other" for the rest. */
    public static Result read(Path recording) throws IOException {
        Map<String, Long> counts = new LinkedHashMap<>();
        long samples = 0;
        for (RecordedEvent event : RecordingFile.readAllEvents(recording)) {
            if (!event.getEventType().getName().equals("jdk.ExecutionSample")
                    || event.getStackTrace() == null) {
                continue;
            }
            samples++;
            counts.merge(partOf(event.getStackTrace().getFrames()), 1L, Long::sum);
        }
        List<Share> shares = StackParts.shares(counts, samples);
        return new Result(samples, shares);
    }

    static String partOf(List<RecordedFrame> frames) {
        return PARTS.partOf(
                frames.stream()
                        .map(f -> f.getMethod().getType().getName() + "." + f.getMethod().getName())
                        .toList());
    }
}
