package io.twinlog.readside.query;

import io.twinlog.schema.twin.DeviceTwin;

/**
 * The read side's self-check for one device: is the twin the job published on the twins topic the
 * twin the read side computes from the log?
 *
 * <p>The job may be behind the log (it has not folded the newest events yet), so the published twin
 * is compared with every twin the fold goes through: equal to the last one is {@code MATCH}, to an
 * earlier one only {@code BEHIND}, to none {@code MISMATCH}, which means the read side and the job
 * disagree (other semantic options, or a bug). The fold changes its state in place, so the
 * comparison is made at each step rather than on copies.
 */
public final class StateCheck {

    public enum Verdict {
        MATCH,
        BEHIND,
        MISMATCH,
        /** The twins topic has no twin for the device (the job has not folded it yet). */
        NO_TWIN,
        /**
         * The device's records are on more than one partition of the log: they have no order, and
         * the read side does not answer for it ({@link SplitDeviceException}).
         */
        SPLIT
    }

    private final DeviceTwin published;
    private int steps;
    private int lastEqual = -1;

    public StateCheck(DeviceTwin published) {
        this.published = published;
    }

    /** The twin after the next record of the device's log (null while the device is unknown). */
    public void step(DeviceTwin current) {
        if (published != null && published.equals(current)) {
            lastEqual = steps;
        }
        steps++;
    }

    public Verdict verdict() {
        if (published == null) {
            return Verdict.NO_TWIN;
        }
        if (lastEqual < 0) {
            return Verdict.MISMATCH;
        }
        return lastEqual == steps - 1 ? Verdict.MATCH : Verdict.BEHIND;
    }
}
