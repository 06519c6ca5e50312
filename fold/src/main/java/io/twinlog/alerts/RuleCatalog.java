package io.twinlog.alerts;

import io.twinlog.schema.RulesMarkers;
import io.twinlog.schema.rules.RuleSet;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The rules versions a fold knows, by fingerprint: version 0 (the job's rules file) and each
 * version announced since. Versions are immutable, so a version once known never changes.
 */
public final class RuleCatalog {

    private final VersionedRules initial;
    private final Map<Long, VersionedRules> byFingerprint = new HashMap<>();
    private final Map<Long, RuleSet> published = new HashMap<>();

    public RuleCatalog(AlertRules initial) {
        this.initial = VersionedRules.initial(initial);
        byFingerprint.put(0L, this.initial);
    }

    /**
     * Adds a published version; false if it was known already. Markers reach a fold only with rules
     * that parse ({@code RulesMarkerAdmission}), so this does not fail on them.
     */
    public boolean add(RuleSet ruleSet) {
        long fingerprint = RulesMarkers.fingerprint(ruleSet);
        if (byFingerprint.containsKey(fingerprint)) {
            return false;
        }
        byFingerprint.put(
                fingerprint,
                new VersionedRules(
                        ruleSet.getVersion(),
                        fingerprint,
                        AlertRulesFile.parse(ruleSet.getRules())));
        published.put(fingerprint, ruleSet);
        return true;
    }

    public boolean contains(long fingerprint) {
        return byFingerprint.containsKey(fingerprint);
    }

    /**
     * The version with this fingerprint.
     *
     * @throws IllegalStateException if it was never announced: events are stamped only with
     *     versions announced ahead of them, so this is a bug, not a property of the data
     */
    public VersionedRules get(long fingerprint) {
        if (fingerprint == 0) {
            return initial; // almost every device, almost always: no boxing, no lookup
        }
        VersionedRules version = byFingerprint.get(fingerprint);
        if (version == null) {
            throw new IllegalStateException(
                    "rules with fingerprint "
                            + Long.toHexString(fingerprint)
                            + " were never announced to this fold");
        }
        return version;
    }

    public VersionedRules initial() {
        return initial;
    }

    /** The published versions known (all but version 0), by version, as published. */
    public List<RuleSet> published() {
        List<RuleSet> all = new ArrayList<>(published.values());
        all.sort(Comparator.comparingInt(RuleSet::getVersion));
        return all;
    }
}
