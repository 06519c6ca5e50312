package io.twinlog.alerts;

import io.twinlog.schema.RulesMarkers;
import io.twinlog.schema.rules.RuleSet;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Which rules version each event of the log is evaluated with (docs/RULES.md). A version takes
 * effect in a partition at its marker, so what decides is the event's position in the log, which
 * every run sees the same, never when a run happens to read the marker. Among the versions whose
 * markers the partition has passed, an event gets the newest one whose {@code effectiveFrom} is at
 * or before its event time; version 0 (the job's rules file) before any.
 *
 * <p>Per partition it keeps a chain of versions with strictly increasing {@code effectiveFrom}: a
 * version that takes effect no later than an older one hides it for every later event, so the older
 * one is dropped. The chain is bounded by {@link #MAX_CHAIN} (the oldest goes first).
 */
public final class RuleVersions {

    /** Versions kept per partition that still wait for their effective time. */
    public static final int MAX_CHAIN = 100;

    /** A version as a partition has activated it. */
    public record Activated(int partition, int version, long fingerprint, Long effectiveFrom) {}

    /** The rules an event is stamped with. */
    public record Stamp(int version, long fingerprint) {
        public static final Stamp INITIAL = new Stamp(0, 0L);
    }

    private final Map<Integer, List<Activated>> chains = new HashMap<>();

    /**
     * Why a marker is refused (versions only move forward), or null if the partition activates it.
     */
    public String refusal(int partition, int version) {
        int current = current(partition);
        if (version <= current) {
            return "rules version "
                    + version
                    + " is not newer than version "
                    + current
                    + ", which partition "
                    + partition
                    + " activated already";
        }
        return null;
    }

    /**
     * A marker of the partition, read in log order: activates its version from this position on.
     *
     * @return null, or why the partition refuses it (it goes to the dead letters)
     */
    public String activate(int partition, RuleSet ruleSet) {
        String refusal = refusal(partition, ruleSet.getVersion());
        if (refusal == null) {
            activate(
                    new Activated(
                            partition,
                            ruleSet.getVersion(),
                            RulesMarkers.fingerprint(ruleSet),
                            ruleSet.getEffectiveFrom() == null
                                    ? null
                                    : ruleSet.getEffectiveFrom().toEpochMilli()));
        }
        return refusal;
    }

    /** The markers of one partition, in log order, that the partition activates. */
    public static List<RuleSet> activatedIn(List<RuleSet> markers) {
        RuleVersions versions = new RuleVersions();
        List<RuleSet> activated = new ArrayList<>();
        for (RuleSet marker : markers) {
            if (versions.activate(0, marker) == null) {
                activated.add(marker);
            }
        }
        return activated;
    }

    /** Activates a version in its partition from this position on; see {@link #refusal} first. */
    public void activate(Activated version) {
        if (refusal(version.partition(), version.version()) != null) {
            throw new IllegalArgumentException(refusal(version.partition(), version.version()));
        }
        List<Activated> chain = chains.computeIfAbsent(version.partition(), p -> new ArrayList<>());
        chain.removeIf(older -> !startsBefore(older.effectiveFrom(), version.effectiveFrom()));
        chain.add(version);
        if (chain.size() > MAX_CHAIN) {
            chain.remove(0);
        }
    }

    /** The version for an event of the partition with this event time. */
    public Stamp stamp(int partition, long eventTime) {
        List<Activated> chain = chains.get(partition);
        if (chain == null) {
            return Stamp.INITIAL;
        }
        for (int i = chain.size() - 1; i >= 0; i--) {
            Activated version = chain.get(i);
            if (version.effectiveFrom() == null || version.effectiveFrom() <= eventTime) {
                return new Stamp(version.version(), version.fingerprint());
            }
        }
        return Stamp.INITIAL;
    }

    /** The newest version the partition activated (0 if none). */
    public int current(int partition) {
        List<Activated> chain = chains.get(partition);
        return chain == null || chain.isEmpty() ? 0 : chain.get(chain.size() - 1).version();
    }

    /** Everything to checkpoint, in activation order per partition. */
    public List<Activated> all() {
        List<Activated> all = new ArrayList<>();
        chains.values().forEach(all::addAll);
        return all;
    }

    /**
     * Restores from checkpointed entries. Union state gives every subtask every partition's
     * entries, possibly more than once and from stale copies of a partition: activating them again
     * in version order rebuilds the chain its owner had.
     */
    public void restore(List<Activated> entries) {
        List<Activated> sorted = new ArrayList<>(entries);
        sorted.sort(
                Comparator.comparingInt(Activated::partition).thenComparingInt(Activated::version));
        for (Activated entry : sorted) {
            if (entry.version() > current(entry.partition())) {
                activate(entry);
            }
        }
    }

    /**
     * Whether a version effective from {@code a} takes effect strictly before one from {@code b}.
     */
    private static boolean startsBefore(Long a, Long b) {
        if (b == null) {
            return false;
        }
        return a == null || a < b;
    }
}
