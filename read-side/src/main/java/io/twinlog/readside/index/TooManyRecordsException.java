package io.twinlog.readside.index;

/** A device with more records than one query folds: the answer would cost too much memory. */
public final class TooManyRecordsException extends RuntimeException {

    /**
     * @param what "device d-1", or another set of records of the index
     */
    public TooManyRecordsException(String what, int limit) {
        super(
                what
                        + " has more than "
                        + limit
                        + " records in the log, more than one query folds (read-side.max-device-records)");
    }
}
