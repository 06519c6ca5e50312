package io.twinlog.readside.query;

import io.twinlog.twin.Outcome;

/** What a record of a device's log became: the fold's outcome, or a dead letter before the fold. */
public enum RecordOutcome {
    APPLIED,
    DUPLICATE,
    LATE,
    REJECTED,
    SILENCE_OBSERVED,
    OBSERVATION_OUTDATED,
    PARTITION_MISMATCH,
    FOLD_FAILED,
    /** Not admitted: not decodable, over a limit, or against the contract (never folded). */
    DEAD_LETTER;

    public static RecordOutcome of(Outcome outcome) {
        return switch (outcome) {
            case APPLIED -> APPLIED;
            case DUPLICATE -> DUPLICATE;
            case LATE -> LATE;
            case REJECTED -> REJECTED;
            case SILENCE_OBSERVED -> SILENCE_OBSERVED;
            case OBSERVATION_OUTDATED -> OBSERVATION_OUTDATED;
            case PARTITION_MISMATCH -> PARTITION_MISMATCH;
            case FOLD_FAILED -> FOLD_FAILED;
        };
    }
}
