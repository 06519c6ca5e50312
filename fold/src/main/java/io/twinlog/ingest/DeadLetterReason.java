package io.twinlog.ingest;

/** Why a record of the log went to the dead-letter topic instead of the fold. */
public enum DeadLetterReason {
    /** No value (a tombstone or an empty record). */
    MISSING_VALUE,
    /** No key: the log is keyed by device id. */
    MISSING_KEY,
    /** Not in the Confluent wire format (wrong magic byte, shorter than the header). */
    NOT_WIRE_FORMAT,
    /** The registry does not know the schema id. */
    UNKNOWN_SCHEMA_ID,
    /** The Avro body does not decode into a DeviceEvent. */
    MALFORMED_AVRO,
    /**
     * Written with a schema whose payload has a type this job does not know (a producer upgraded
     * before its readers): refused rather than read as another type.
     */
    UNKNOWN_EVENT_TYPE,
    /**
     * Decodes, but breaks the event contract (empty ids, event time before 2000, non-finite
     * reading).
     */
    CONTRACT_VIOLATION,
    /** Its event time is further ahead of the record's timestamp than {@code max.future.skew}. */
    EVENT_TIME_AHEAD,
    /**
     * Breaks one of the {@link EventLimits} (id, name or text length, readings or tags per event).
     */
    LIMIT_EXCEEDED,
    /** The key is not the event's device id. */
    KEY_MISMATCH,
    /**
     * A rules marker (docs/RULES.md) whose rule set is not valid, or not newer than the version its
     * partition activated already.
     */
    RULES_MARKER_INVALID,
    /**
     * The device's events are on another partition of the log: a device's records must all stand in
     * one partition (the one its first folded record came from), or they have no order.
     */
    PARTITION_MISMATCH,
    /**
     * The fold failed on the event with an unexpected exception (a bug in twinlog, or a state it
     * cannot handle): the device's state is left as it was, and the record can be replayed after a
     * fix (docs/LIMITS.md).
     */
    FOLD_FAILED
}
