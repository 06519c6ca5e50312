package io.twinlog.bench.e2e;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordingFile;

/**
 * Where the TaskManager's CPU goes: a Java Flight Recorder recording of its threads during a run,
 * each execution sample counted under the first (innermost) frame that names a part of the
 * pipeline. This is the evidence behind "where the time goes" in docs/BENCHMARKS.md.
 */
public final class TaskManagerProfile {

    /** A part of the pipeline and the share of the TaskManager's samples spent in it. */
    public record Share(String part, double percent) {}

    public record Result(long samples, List<Share> shares) {}

    /** Innermost match wins; the order breaks ties between patterns that match the same frame. */
    private static final Map<String, Pattern> PARTS = parts();

    private TaskManagerProfile() {}

    private static Map<String, Pattern> parts() {
        Map<String, Pattern> parts = new LinkedHashMap<>();
        parts.put(
                "timers (RocksDB timer service)",
                Pattern.compile(
                        "PriorityQueueSet|TreeOrderedSetCache|InternalTimerServiceImpl|TimerSerializer|SilenceTimers"));
        parts.put(
                "keyed state: RocksDB and DeviceState (de)serialization",
                Pattern.compile(
                        "RocksDBValueState|AbstractRocksDBState|RocksDBMapState|org\\.rocksdb\\.RocksDB\\.|KeyedDeviceState"));
        parts.put(
                "network between tasks: serialize",
                Pattern.compile(
                        "RecordWriter\\.|StreamElementSerializer\\.serialize|SerializationDelegate"));
        parts.put(
                "network between tasks: deserialize",
                Pattern.compile(
                        "StreamElementSerializer\\.deserialize|SpanningRecordDeserializer|NonSpanningWrapper"));
        parts.put(
                "copies between chained operators",
                Pattern.compile("CopyingChainingOutput\\.pushToOperator|AvroSerializer\\.copy"));
        parts.put(
                "sink: encode outputs (Avro, registry framing)",
                Pattern.compile("TwinlogRecordSerializer|RegistryAvroSerializationSchema"));
        parts.put(
                "sink: Kafka producer",
                Pattern.compile("org\\.apache\\.kafka\\.clients\\.producer"));
        parts.put(
                "source: decode and admit events",
                Pattern.compile(
                        "StrictRegistryAvroDeserializationSchema|DeviceEventRecordDeserializer|EventAdmission"));
        parts.put(
                "source: Kafka consumer",
                Pattern.compile("org\\.apache\\.kafka\\.clients\\.consumer"));
        parts.put(
                "fold and alert rules",
                Pattern.compile("io\\.twinlog\\.twin\\.|io\\.twinlog\\.alerts\\."));
        parts.put("checkpointing", Pattern.compile("[Cc]heckpoint|Snapshot"));
        return parts;
    }

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
        long total = samples;
        List<Share> shares =
                counts.entrySet().stream()
                        .sorted(Map.Entry.<String, Long>comparingByValue().reversed())
                        .map(e -> new Share(e.getKey(), 100.0 * e.getValue() / total))
                        .toList();
        return new Result(samples, shares);
    }

    static String partOf(List<RecordedFrame> frames) {
        for (RecordedFrame frame : frames) {
            String method =
                    frame.getMethod().getType().getName() + "." + frame.getMethod().getName();
            for (Map.Entry<String, Pattern> part : PARTS.entrySet()) {
                if (part.getValue().matcher(method).find()) {
                    return part.getKey();
                }
            }
        }
        return "other";
    }
}
