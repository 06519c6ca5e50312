package io.twinlog.readside.query;

import java.util.SortedSet;

/**
 * A device whose records stand on more than one partition of the log: nothing in the log orders
 * them, so no fold of them is the job's (docs/FOLD.md, "A device on two partitions"). The read side
 * reports it instead of answering.
 */
public final class SplitDeviceException extends RuntimeException {

    private final SortedSet<Integer> partitions;

    public SplitDeviceException(String device, String topic, SortedSet<Integer> partitions) {
        super(
                "device "
                        + device
                        + " has records on partitions "
                        + partitions
                        + " of "
                        + topic
                        + ": no order is defined between them, so the read side does not answer"
                        + " for it (the job folds the records of one partition and dead-letters"
                        + " the others as PARTITION_MISMATCH); every producer must partition"
                        + " consistently by key");
        this.partitions = partitions;
    }

    public SortedSet<Integer> partitions() {
        return partitions;
    }
}
