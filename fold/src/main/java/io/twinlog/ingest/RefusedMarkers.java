package io.twinlog.ingest;

import java.io.Serializable;
import java.util.TreeSet;

/**
 * Rules markers an operator refuses by their position in the log (the option {@code
 * rules.refused-markers}, {@code partition:offset,...}): the way out of a marker nobody meant to
 * publish, such as a forged version 10,000 that would refuse every later one (docs/RULES.md, "A
 * version that blocks the next"). A refused marker is a dead letter for every engine, so a rebuild
 * with the option gives the state the log would have given without that marker, and a replay
 * reproduces it. The option is semantic: it is recorded with the state.
 */
public final class RefusedMarkers implements Serializable {

    private static final long serialVersionUID = 1L;

    /** More than an operator types by hand; it bounds what an option can make the job hold. */
    public static final int MAX_REFUSED = 1_000;

    public static final RefusedMarkers NONE = new RefusedMarkers(new TreeSet<>());

    /** Positions as {@code partition:offset}, ordered by partition then offset. */
    private final TreeSet<Position> positions;

    private record Position(int partition, long offset)
            implements Comparable<Position>, Serializable {
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

    private RefusedMarkers(TreeSet<Position> positions) {
        this.positions = positions;
    }

    /** How the option says "none" (an option's value cannot be empty). */
    public static final String NONE_TEXT = "none";

    /**
     * @param text {@code partition:offset} separated by commas; {@value #NONE_TEXT} or empty for
     *     none
     * @throws IllegalArgumentException if a position is not two non-negative numbers
     */
    public static RefusedMarkers parse(String text) {
        TreeSet<Position> positions = new TreeSet<>();
        if (text == null || text.isBlank() || text.strip().equals(NONE_TEXT)) {
            return NONE;
        }
        for (String part : text.split(",")) {
            String position = part.strip();
            int colon = position.indexOf(':');
            try {
                if (colon < 1) {
                    throw new NumberFormatException();
                }
                int partition = Integer.parseInt(position.substring(0, colon));
                long offset = Long.parseLong(position.substring(colon + 1));
                if (partition < 0 || offset < 0) {
                    throw new NumberFormatException();
                }
                positions.add(new Position(partition, offset));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(
                        "rules.refused-markers: '" + position + "' is not partition:offset");
            }
        }
        if (positions.size() > MAX_REFUSED) {
            throw new IllegalArgumentException(
                    "rules.refused-markers: at most " + MAX_REFUSED + " positions");
        }
        return new RefusedMarkers(positions);
    }

    public boolean refuses(int partition, long offset) {
        return positions.contains(new Position(partition, offset));
    }

    public boolean isEmpty() {
        return positions.isEmpty();
    }

    /** The canonical text: sorted, no spaces (what the job's options record). */
    @Override
    public String toString() {
        return positions.isEmpty()
                ? NONE_TEXT
                : String.join(",", positions.stream().map(Position::toString).toList());
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof RefusedMarkers markers && markers.positions.equals(positions);
    }

    @Override
    public int hashCode() {
        return positions.hashCode();
    }
}
