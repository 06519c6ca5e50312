package io.twinlog.readside.index;

/**
 * A record's place in one topic of the log: partition and offset. Written {@code partition:offset}
 * on the command line and in the API.
 */
public record Position(int partition, long offset) implements Comparable<Position> {

    public Position {
        if (partition < 0 || offset < 0) {
            throw new IllegalArgumentException("a position is partition:offset, both >= 0");
        }
    }

    /** Parses {@code partition:offset}; the message names what is wrong. */
    public static Position parse(String text) {
        int colon = text.indexOf(':');
        if (colon <= 0 || colon == text.length() - 1) {
            throw new IllegalArgumentException(
                    "'" + text + "' is not a log position: write partition:offset, e.g. 0:1234");
        }
        try {
            return new Position(
                    Integer.parseInt(text.substring(0, colon)),
                    Long.parseLong(text.substring(colon + 1)));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(
                    "'" + text + "' is not a log position: write partition:offset, e.g. 0:1234");
        }
    }

    /**
     * Whether this position comes at or before {@code other} in the order of a device's records.
     */
    public boolean atOrBefore(Position other) {
        return compareTo(other) <= 0;
    }

    @Override
    public int compareTo(Position other) {
        int byPartition = Integer.compare(partition, other.partition);
        return byPartition != 0 ? byPartition : Long.compare(offset, other.offset);
    }

    @Override
    public String toString() {
        return partition + ":" + offset;
    }
}
