package io.twinlog.twin;

/** What the fold did with one event of the log. */
public enum Outcome {
    /** Folded into the twin. */
    APPLIED,
    /** Already applied within the dedup window: dropped and counted. */
    DUPLICATE,
    /** Older than the device's lateness bound: not applied, forwarded to the late topic. */
    LATE,
    /**
     * Not allowed in the device's lifecycle state: an EventRejected derived event, the twin
     * unchanged.
     */
    REJECTED,
    /** A silence observation that still held: the device went offline. */
    SILENCE_OBSERVED,
    /** A silence observation the device had already answered with a later event: ignored. */
    OBSERVATION_OUTDATED,
    /**
     * On another partition than the device's events: not applied, a dead letter (a device's records
     * have an order only within one partition).
     */
    PARTITION_MISMATCH,
    /** The fold threw: not applied, a dead letter, the device's state as it was. */
    FOLD_FAILED
}
