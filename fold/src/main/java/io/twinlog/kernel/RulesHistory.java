package io.twinlog.kernel;

import io.twinlog.alerts.PublishedVersions;
import io.twinlog.schema.rules.RuleSet;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The rules versions a log's markers activate, per partition, through the kernel's admission and
 * routing: what {@code rules list}, {@code rules publish} and the read side's {@code /api/info}
 * report, decided as the job decides it.
 */
public final class RulesHistory {

    private RulesHistory() {}

    /**
     * @param markers the log's rules markers, each partition's in log order
     * @param partitions the partitions of the log (a partition without markers is at version 0)
     */
    public static PublishedVersions of(
            Iterable<LogRecord> markers, LogAdmission admission, Iterable<Integer> partitions)
            throws IOException {
        LogRouter router = new LogRouter();
        Map<Integer, List<RuleSet>> activated = new TreeMap<>();
        Map<Integer, List<Long>> offsets = new TreeMap<>();
        partitions.forEach(p -> activated.put(p, new ArrayList<>()));
        for (LogRecord marker : markers) {
            if (router.route(admission.admit(marker), marker.position())
                    instanceof LogRouter.Activated version) {
                activated
                        .computeIfAbsent(version.partition(), p -> new ArrayList<>())
                        .add(version.ruleSet());
                offsets.computeIfAbsent(version.partition(), p -> new ArrayList<>())
                        .add(marker.position().getOffset());
            }
        }
        return new PublishedVersions(activated, offsets);
    }
}
