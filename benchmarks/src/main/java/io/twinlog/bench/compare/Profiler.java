package io.twinlog.bench.compare;

import com.sun.tools.attach.AgentInitializationException;
import com.sun.tools.attach.AgentLoadException;
import com.sun.tools.attach.AttachNotSupportedException;
import com.sun.tools.attach.VirtualMachine;
import io.twinlog.bench.profile.StackParts;
import io.twinlog.bench.profile.StackParts.Share;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * async-profiler (loaded into the worker JVM through the attach API) sampling CPU time of every
 * thread, native frames included: RocksDB's C++ code, its compaction threads, the JIT and the GC
 * show up, which execution samples of Java Flight Recorder cannot see. Shares are of all samples,
 * that is of the process's CPU.
 */
final class Profiler {

    /**
     * @param nativeRocksDb share of samples in RocksDB's C++ code (any thread)
     * @param compression share of samples in compression code (snappy, lz4, zstd)
     */
    record Result(
            long samples,
            List<Share> byThread,
            List<Share> taskThreadsByPart,
            double nativeRocksDb,
            double compression) {}

    /** Each pattern names where an activity enters, in either engine; the innermost match wins. */
    private static final StackParts PARTS =
            new StackParts("task threads: other")
                    .part(
                            "keyed state: read (RocksDB get, deserialize)",
                            "RocksDBValueState\\.value|RocksDBMapState\\.(get|contains)|AbstractRocksDBState\\.getInternal|MeteredKeyValueStore\\.get")
                    .part(
                            "keyed state: write (serialize, RocksDB put; Kafka Streams: changelog record)",
                            "RocksDBValueState\\.update|RocksDBMapState\\.(put|remove|clear)|MeteredKeyValueStore\\.(put|delete)")
                    .part(
                            "keyed state: iterate",
                            "RocksDBMapState\\.(entries|iterator|keys)|MeteredKeyValueStore\\.(prefixScan|range)")
                    .part("timers", "InternalTimerServiceImpl|TimerSerializer|PriorityQueueSet")
                    .part(
                            "sink: encode outputs",
                            "OutputRecordEncoder\\.encode|TwinlogRecordSerializer")
                    .part(
                            "sink: Kafka producer",
                            "org\\.apache\\.kafka\\.clients\\.producer|RecordCollectorImpl")
                    .part(
                            "source: decode and admit",
                            "RecordAdmission|EventAdmission|DeviceEventRecordDeserializer|ConfluentAvroDeserializer")
                    .part("source: Kafka consumer", "org\\.apache\\.kafka\\.clients\\.consumer")
                    .part(
                            "network between tasks",
                            "RecordWriter\\.|StreamElementSerializer|SpanningRecordDeserializer|NonSpanningWrapper|SerializationDelegate")
                    .part("fold and alert rules", "io\\.twinlog\\.twin\\.|io\\.twinlog\\.alerts\\.")
                    .part(
                            "checkpoint or commit",
                            "[Cc]heckpoint|[Ss]napshot|TaskExecutor\\.commit|StreamTask\\.prepareCommit|commitTransaction");

    private Profiler() {}

    /** Starts sampling every thread's CPU time (perf events, itimer where they are not allowed). */
    static void start(long pid, Path library) {
        agent(pid, library, "start,event=cpu,interval=5ms,threads");
    }

    /** Stops sampling and writes the stacks in collapsed form. */
    static Path stop(long pid, Path library, Path output) {
        agent(pid, library, "stop,file=" + output + ",collapsed");
        return output;
    }

    /** The profiler's library for this machine, copied out of its jar once. */
    static Path library(Path directory) {
        Path library = directory.resolve("libasyncProfiler.so");
        if (Files.exists(library)) {
            return library;
        }
        try (InputStream in =
                Profiler.class.getResourceAsStream("/linux-x64/libasyncProfiler.so")) {
            if (in == null) {
                throw new IllegalStateException("async-profiler is not on the classpath");
            }
            Files.createDirectories(directory);
            Files.copy(in, library, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return library;
    }

    /** Loads the profiler into the process (again) with these arguments, as jattach does. */
    private static void agent(long pid, Path library, String arguments) {
        try {
            VirtualMachine vm = VirtualMachine.attach(Long.toString(pid));
            try {
                vm.loadAgentPath(library.toString(), arguments);
            } finally {
                vm.detach();
            }
        } catch (AttachNotSupportedException
                | AgentLoadException
                | AgentInitializationException e) {
            throw new IllegalStateException(
                    "async-profiler " + arguments + " in " + pid + " failed: " + e.getMessage(), e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The shares of a collapsed-stacks file written with the {@code threads} option. */
    static Result read(Path collapsed) throws IOException {
        Map<String, Long> byThread = new LinkedHashMap<>();
        Map<String, Long> byPart = new LinkedHashMap<>();
        long samples = 0;
        long rocksdb = 0;
        long compression = 0;
        for (String line : Files.readAllLines(collapsed)) {
            int space = line.lastIndexOf(' ');
            if (space < 0) {
                continue;
            }
            long count = Long.parseLong(line.substring(space + 1).trim());
            String stack = line.substring(0, space);
            int firstFrame = stack.indexOf(';');
            // The thread's name as it is ("(1/2)#0"); Java frames with dots for slashes.
            String thread = threadName(firstFrame < 0 ? stack : stack.substring(0, firstFrame));
            String[] frames = stack.replace('/', '.').split(";");
            String group = ThreadCpu.group(thread);
            samples += count;
            byThread.merge(group, count, Long::sum);
            if (group.equals("task threads")) {
                byPart.merge(partOf(frames), count, Long::sum);
            }
            if (stack.contains("rocksdb::")) {
                rocksdb += count;
            }
            if (stack.contains("snappy") || stack.contains("LZ4") || stack.contains("ZSTD")) {
                compression += count;
            }
        }
        return new Result(
                samples,
                StackParts.shares(byThread, samples),
                StackParts.shares(byPart, samples),
                100.0 * rocksdb / Math.max(1, samples),
                100.0 * compression / Math.max(1, samples));
    }

    private static String threadName(String frame) {
        // "[name tid=123]"
        String name = frame.startsWith("[") ? frame.substring(1, frame.length() - 1) : frame;
        int tid = name.lastIndexOf(" tid=");
        return tid < 0 ? name : name.substring(0, tid);
    }

    /**
     * @param frames outermost first, the thread's name first, as async-profiler collapses them
     */
    static String partOf(String[] frames) {
        List<String> innermostFirst = new ArrayList<>(List.of(frames).subList(1, frames.length));
        Collections.reverse(innermostFirst);
        return PARTS.partOf(innermostFirst);
    }
}
