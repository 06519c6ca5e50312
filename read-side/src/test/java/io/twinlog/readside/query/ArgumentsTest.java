package io.twinlog.readside.query;

import static io.twinlog.readside.TestEvents.at;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.twinlog.readside.index.Position;
import io.twinlog.twin.EventKind;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Positions, times and history pages as users write them, and the messages when they are wrong. */
class ArgumentsTest {

    @Test
    void positions() {
        assertThat(Position.parse("3:1234")).isEqualTo(new Position(3, 1234));
        assertThat(new Position(0, 5).atOrBefore(new Position(0, 5))).isTrue();
        assertThat(new Position(0, 6).atOrBefore(new Position(1, 0))).isTrue();
        assertThat(new Position(1, 0).atOrBefore(new Position(0, 6))).isFalse();
        for (String wrong : List.of("3", ":4", "3:", "a:1", "1:b", "-1:4", "1:-4")) {
            assertThatThrownBy(() -> Position.parse(wrong))
                    .as(wrong)
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("partition:offset");
        }
    }

    @Test
    void times() {
        Instant expected = Instant.parse("2026-11-30T14:00:00Z");
        assertThat(Instants.parse("2026-11-30T14:00:00Z")).isEqualTo(expected);
        assertThat(Instants.parse("2026-11-30T14:00:00")).as("no zone: UTC").isEqualTo(expected);
        assertThat(Instants.parse("2026-11-30T15:00:00+01:00")).isEqualTo(expected);
        assertThat(Instants.parse(Long.toString(expected.toEpochMilli()))).isEqualTo(expected);
        assertThat(Instants.parse("2026-11-30")).isEqualTo(Instant.parse("2026-11-30T00:00:00Z"));
        assertThat(Instants.isPosition("0:12")).isTrue();
        assertThat(Instants.isPosition("2026-11-30T14:00:00Z")).isFalse();
        for (String wrong : List.of("yesterday", "2026-13-01", "14:00", "")) {
            assertThatThrownBy(() -> Instants.parse(wrong))
                    .as(wrong)
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("is not a time");
        }
    }

    @Test
    void historyQueriesRefuseAnEmptyRangeAndLargePages() {
        assertThatThrownBy(() -> new HistoryQuery(at(5), at(2), null, 2))
                .hasMessageContaining("is after");
        assertThatThrownBy(() -> new HistoryQuery(null, null, null, HistoryQuery.MAX_LIMIT + 1))
                .hasMessageContaining("limit");
    }

    private static HistoryEntry entry(long offset, long seconds) {
        return new HistoryEntry(
                new Position(0, offset),
                at(seconds),
                "e" + offset,
                EventKind.TELEMETRY,
                at(seconds),
                RecordOutcome.APPLIED,
                null,
                null,
                List.of(),
                List.of(),
                List.of(),
                at(seconds));
    }
}
