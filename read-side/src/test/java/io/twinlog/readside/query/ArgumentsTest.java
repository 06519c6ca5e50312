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
    void historyPagesFollowTheCursorWithinTheTimeRange() {
        List<HistoryEntry> entries =
                List.of(entry(0, 1), entry(1, 2), entry(2, 3), entry(3, 4), entry(4, 5));
        HistoryQuery first = new HistoryQuery(at(2), at(5), null, 2);
        Page<HistoryEntry> page = first.apply(entries);
        assertThat(page.items()).extracting(e -> e.position().offset()).containsExactly(1L, 2L);
        assertThat(page.next()).isEqualTo("0:2");
        Page<HistoryEntry> second =
                new HistoryQuery(at(2), at(5), Position.parse(page.next()), 2).apply(entries);
        assertThat(second.items()).extracting(e -> e.position().offset()).containsExactly(3L, 4L);
        assertThat(second.next()).isNull();
        assertThat(first.total(entries)).isEqualTo(4);
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
