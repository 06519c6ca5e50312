package io.twinlog.readside.index;

/**
 * Offsets of a followed partition that the log no longer held when the index came to read them
 * (deleted by retention, or by {@code kafka-delete-records}): the records in {@code [from, to)}
 * were never indexed, so answers about the devices of that partition are folds of what remains.
 */
public record LogGap(String topic, int partition, long from, long to) {

    public LogGap {
        if (from < 0 || to <= from) {
            throw new IllegalArgumentException("a gap needs 0 <= from < to: " + from + ", " + to);
        }
    }

    public long records() {
        return to - from;
    }

    /** Whether records before {@code offset} of the partition are among the lost ones. */
    public boolean before(int partition, long offset) {
        return this.partition == partition && from < offset;
    }
}
