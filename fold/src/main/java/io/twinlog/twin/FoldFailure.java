package io.twinlog.twin;

import io.twinlog.ingest.Admission;
import io.twinlog.ingest.DeadLetterReason;
import io.twinlog.ingest.EventAdmission;

/**
 * The dead letter of an event the fold threw on (docs/LIMITS.md, "When the fold fails"). The text
 * is a function of the exception alone: its class, its message and the line of twinlog's code that
 * threw, so the same event fails with the same record in every run of the same build.
 */
public final class FoldFailure {

    private FoldFailure() {}

    public static Admission.Refused of(RuntimeException failure) {
        StringBuilder message = new StringBuilder("the fold failed: ").append(failure);
        for (StackTraceElement frame : failure.getStackTrace()) {
            if (frame.getClassName().startsWith("io.twinlog.")) {
                message.append(" at ").append(frame);
                break;
            }
        }
        return EventAdmission.refused(DeadLetterReason.FOLD_FAILED, failure, message.toString());
    }
}
