package io.twinlog.bench.report;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.flink.runtime.util.EnvironmentInformation;
import org.apache.kafka.common.utils.AppInfoParser;

/** Where the numbers come from: hardware, operating system, JVM and the versions of the stack. */
public record Machine(
        int cores,
        String cpu,
        long memoryMegabytes,
        String os,
        String java,
        Map<String, String> versions) {

    public static Machine describe() {
        Map<String, String> versions = new LinkedHashMap<>();
        versions.put("flink", EnvironmentInformation.getVersion());
        versions.put("kafka", AppInfoParser.getVersion());
        versions.put("avro", org.apache.avro.Schema.class.getPackage().getImplementationVersion());
        versions.put("twinlog", Machine.class.getPackage().getImplementationVersion());
        return new Machine(
                Runtime.getRuntime().availableProcessors(),
                procValue("/proc/cpuinfo", "model name"),
                totalMemoryMegabytes(),
                System.getProperty("os.name") + " " + System.getProperty("os.version"),
                System.getProperty("java.vm.name") + " " + System.getProperty("java.version"),
                versions);
    }

    private static long totalMemoryMegabytes() {
        String total = procValue("/proc/meminfo", "MemTotal");
        return total == null ? 0 : Long.parseLong(total.replaceAll("[^0-9]", "")) / 1024;
    }

    private static String procValue(String file, String key) {
        try {
            for (String line : Files.readAllLines(Path.of(file))) {
                if (line.startsWith(key)) {
                    return line.substring(line.indexOf(':') + 1).trim();
                }
            }
        } catch (IOException e) {
            // not Linux: leave it out
        }
        return null;
    }
}
