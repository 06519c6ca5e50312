package io.twinlog.alerts;

import java.io.Serializable;

/**
 * One version of the alert rules: its number, the fingerprint of its content (0 for version 0, the
 * job's rules file) and the rules.
 */
public record VersionedRules(int version, long fingerprint, AlertRules rules)
        implements Serializable {

    /** Version 0: the rules the job was started with ({@code rules.file}). */
    public static VersionedRules initial(AlertRules rules) {
        return new VersionedRules(0, 0L, rules);
    }
}
