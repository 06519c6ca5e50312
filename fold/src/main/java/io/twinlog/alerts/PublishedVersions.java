package io.twinlog.alerts;

import io.twinlog.ingest.RulesMarkerAdmission;
import io.twinlog.schema.RulesMarkers;
import io.twinlog.schema.rules.RuleSet;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The rules versions each partition of the log has activated (docs/RULES.md). A publication puts a
 * marker into every partition, so normally all partitions agree; a marker written into some
 * partitions only (by hand, or by a log writer that is not {@code rules publish}) makes them
 * differ, and then devices of different partitions run different rules. This says which, and what
 * the next version must be for every partition to take it.
 */
public final class PublishedVersions {

    private final Map<Integer, List<RuleSet>> byPartition;
    private final Map<Integer, List<Long>> offsets;

    /**
     * @param byPartition each partition's activated versions, oldest first
     * @param offsets the offset of each of those versions' markers, in the same order
     */
    public PublishedVersions(
            Map<Integer, List<RuleSet>> byPartition, Map<Integer, List<Long>> offsets) {
        this.byPartition = new TreeMap<>(byPartition);
        this.offsets = new TreeMap<>(offsets);
    }

    /**
     * The versions of the partitions whose newest version is the most common one, oldest first
     * (partition 0's on a tie): what "the published versions" are when the partitions agree.
     */
    public List<RuleSet> common() {
        Map<Long, Integer> counts = new HashMap<>();
        Long best = null;
        for (List<RuleSet> versions : byPartition.values()) {
            long newest = newest(versions);
            int count = counts.merge(newest, 1, Integer::sum);
            if (best == null || count > counts.get(best)) {
                best = newest;
            }
        }
        for (List<RuleSet> versions : byPartition.values()) {
            if (best != null && newest(versions) == best) {
                return versions;
            }
        }
        return List.of();
    }

    /**
     * Partitions whose newest version is not the common one (another number, or the same number
     * with other rules), with their versions. Their devices run other rules than the rest.
     */
    public Map<Integer, List<Integer>> differing() {
        long common = newest(common());
        Map<Integer, List<Integer>> differing = new TreeMap<>();
        byPartition.forEach(
                (partition, versions) -> {
                    if (newest(versions) != common) {
                        differing.put(partition, numbers(versions));
                    }
                });
        return differing;
    }

    /** The offset of the marker of a partition's newest version, or null for version 0. */
    public Long newestMarkerOffset(int partition) {
        List<Long> where = offsets.getOrDefault(partition, List.of());
        return where.isEmpty() ? null : where.get(where.size() - 1);
    }

    /** The fingerprint of a partition's newest version, 0 for version 0. */
    private static long newest(List<RuleSet> versions) {
        return versions.isEmpty()
                ? 0L
                : RulesMarkers.fingerprint(versions.get(versions.size() - 1));
    }

    /** The highest version any partition activated (0 if none). */
    public int highest() {
        int highest = 0;
        for (List<RuleSet> versions : byPartition.values()) {
            for (RuleSet version : versions) {
                highest = Math.max(highest, version.getVersion());
            }
        }
        return highest;
    }

    /**
     * The version a publication must carry for every partition to activate it: above the highest of
     * any partition.
     */
    public int next() {
        return highest() + 1;
    }

    /** Why no partition would take another version, or null. */
    public String refusal() {
        if (next() <= RulesMarkerAdmission.MAX_VERSION) {
            return null;
        }
        List<Integer> at = new ArrayList<>();
        List<String> markers = new ArrayList<>();
        byPartition.forEach(
                (partition, versions) -> {
                    if (!versions.isEmpty()
                            && versions.get(versions.size() - 1).getVersion() == highest()) {
                        at.add(partition);
                        List<Long> where = offsets.getOrDefault(partition, List.of());
                        if (where.size() == versions.size()) {
                            markers.add(partition + ":" + where.get(where.size() - 1));
                        }
                    }
                });
        return "the log holds rules version "
                + highest()
                + " (partitions "
                + at
                + (markers.isEmpty() ? "" : ", markers at " + String.join(",", markers))
                + "), the highest a marker may carry ("
                + RulesMarkerAdmission.MAX_VERSION
                + "): the job would refuse any version after it. If nobody meant to publish it,"
                + " see docs/RULES.md, 'A version that blocks the next'"
                + (markers.isEmpty()
                        ? ""
                        : " (the job option --rules.refused-markers "
                                + String.join(",", markers)
                                + ")");
    }

    /**
     * The common version in force at this time: the newest activated whose {@code effectiveFrom}
     * has come; null for version 0.
     */
    public RuleSet inForceAt(Instant time) {
        RuleSet inForce = null;
        for (RuleSet version : common()) {
            if (version.getEffectiveFrom() == null || !version.getEffectiveFrom().isAfter(time)) {
                inForce = version;
            }
        }
        return inForce;
    }

    private static List<Integer> numbers(List<RuleSet> versions) {
        return versions.stream().map(RuleSet::getVersion).toList();
    }
}
