package io.twinlog.readside;

/** A device with more records than one query folds: the answer would cost too much memory. */
public final class TooManyRecordsException extends RuntimeException {

    public TooManyRecordsException(String device, int limit) {
        super(
                "device "
                        + device
                        + " has more than "
                        + limit
                        + " records in the log, more than one query folds (read-side.max-device-records)");
    }
}
