package io.twinlog.bench.compare;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * CPU time of each thread of a process, from /proc, grouped by what the thread is for: the task
 * threads, RocksDB's flush and compaction threads, the JIT, the garbage collector, Kafka's client
 * threads. Unlike execution samples, this counts every thread, native ones included.
 */
public final class ThreadCpu {

    private static final long CLOCK_TICKS_PER_SECOND = 100; // USER_HZ on Linux
    private static final Pattern JAVA_THREAD = Pattern.compile("^\"(.*)\" .* nid=0x([0-9a-f]+) ");
    private static final Pattern FLINK_TASK = Pattern.compile("\\(\\d+/\\d+\\)#\\d+$");

    /** One thread: its name (Java's where the JVM knows it) and its CPU ticks so far. */
    public record Thread(String name, long ticks) {}

    private ThreadCpu() {}

    /** Every thread of the process now. */
    public static Map<Long, Thread> snapshot(long pid) {
        Map<Long, String> javaNames = javaNames(pid);
        Map<Long, Thread> threads = new HashMap<>();
        Path tasks = Path.of("/proc", Long.toString(pid), "task");
        try (var dirs = Files.list(tasks)) {
            for (Path dir : (Iterable<Path>) dirs::iterator) {
                long tid = Long.parseLong(dir.getFileName().toString());
                try {
                    String stat = Files.readString(dir.resolve("stat"));
                    String comm = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
                    String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                    long ticks = Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
                    threads.put(tid, new Thread(javaNames.getOrDefault(tid, comm), ticks));
                } catch (IOException | RuntimeException e) {
                    // the thread ended while we read
                }
            }
        } catch (IOException e) {
            return threads; // the process ended
        }
        return threads;
    }

    /**
     * CPU seconds per group of threads between two snapshots; threads born in between count from
     * zero.
     */
    public static Map<String, Double> secondsByGroup(
            Map<Long, Thread> before, Map<Long, Thread> after) {
        Map<String, Double> seconds = new LinkedHashMap<>();
        after.forEach(
                (tid, thread) -> {
                    Thread earlier = before.get(tid);
                    long ticks =
                            thread.ticks()
                                    - (earlier == null || !earlier.name().equals(thread.name())
                                            ? 0
                                            : earlier.ticks());
                    if (ticks > 0) {
                        seconds.merge(
                                group(thread.name()),
                                ticks / (double) CLOCK_TICKS_PER_SECOND,
                                Double::sum);
                    }
                });
        return seconds;
    }

    static String group(String name) {
        if (name.startsWith("read-side")) {
            return "read side: poll, index writes";
        }
        if (name.startsWith("rocksdb:")) {
            return "RocksDB flush and compaction";
        }
        if (name.contains("CompilerThre")) {
            return "JIT compiler";
        }
        if (name.startsWith("GC Thread")
                || name.startsWith("G1 ")
                || name.equals("VM Thread")
                || name.startsWith("VM Periodic")) {
            return "GC and safepoints";
        }
        if (name.startsWith("kafka-producer-network-thread")) {
            return "Kafka producer I/O";
        }
        if (name.contains("Fetcher") || name.contains("consumer") || name.contains("heartbeat")) {
            return "Kafka consumer";
        }
        if (name.contains("StreamThread") || FLINK_TASK.matcher(name).find()) {
            return "task threads";
        }
        return "other";
    }

    private static String jcmd() {
        String java = ProcessHandle.current().info().command().orElse("java");
        return Path.of(java).resolveSibling("jcmd").toString();
    }

    /** Thread ids (nid) to Java thread names, from {@code jcmd Thread.print}. */
    private static Map<Long, String> javaNames(long pid) {
        Map<Long, String> names = new HashMap<>();
        try {
            Process jcmd =
                    new ProcessBuilder(jcmd(), Long.toString(pid), "Thread.print")
                            .redirectErrorStream(true)
                            .start();
            for (String line : new String(jcmd.getInputStream().readAllBytes()).split("\n")) {
                Matcher m = JAVA_THREAD.matcher(line);
                if (m.find()) {
                    names.put(Long.parseLong(m.group(2), 16), m.group(1));
                }
            }
            jcmd.waitFor(30, TimeUnit.SECONDS);
        } catch (IOException e) {
            return names;
        } catch (InterruptedException e) {
            java.lang.Thread.currentThread().interrupt();
        }
        return names;
    }
}
