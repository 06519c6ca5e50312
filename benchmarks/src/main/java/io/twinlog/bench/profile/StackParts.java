package io.twinlog.bench.profile;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Names the part of the pipeline a stack sample was taken in: the innermost frame that one of the
 * parts' patterns matches decides, and the order the parts were added in breaks ties between
 * patterns that match the same frame. Used for Java Flight Recorder samples and for
 * async-profiler's native stacks alike.
 */
public final class StackParts {

    /** A part and its share of the samples. */
    public record Share(String part, double percent) {}

    private final Map<String, Pattern> parts = new LinkedHashMap<>();
    private final String otherwise;

    /**
     * @param otherwise the name of samples no pattern matches
     */
    public StackParts(String otherwise) {
        this.otherwise = otherwise;
    }

    public StackParts part(String name, String pattern) {
        parts.put(name, Pattern.compile(pattern));
        return this;
    }

    /**
     * @param innermostFirst the sample's frames, innermost first
     */
    public String partOf(Iterable<String> innermostFirst) {
        for (String frame : innermostFirst) {
            for (Map.Entry<String, Pattern> part : parts.entrySet()) {
                if (part.getValue().matcher(frame).find()) {
                    return part.getKey();
                }
            }
        }
        return otherwise;
    }

    /** Counts as shares of all samples, largest first. */
    public static List<Share> shares(Map<String, Long> counts, long samples) {
        return counts.entrySet().stream()
                .sorted(Map.Entry.<String, Long>comparingByValue().reversed())
                .map(e -> new Share(e.getKey(), 100.0 * e.getValue() / Math.max(1, samples)))
                .toList();
    }
}
