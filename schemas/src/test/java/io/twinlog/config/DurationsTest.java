package io.twinlog.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class DurationsTest {

    @Test
    void readsShortAndIsoForms() {
        assertThat(Durations.parse("250ms")).isEqualTo(Duration.ofMillis(250));
        assertThat(Durations.parse("30s")).isEqualTo(Duration.ofSeconds(30));
        assertThat(Durations.parse(" 5m ")).isEqualTo(Duration.ofMinutes(5));
        assertThat(Durations.parse("1h")).isEqualTo(Duration.ofHours(1));
        assertThat(Durations.parse("2d")).isEqualTo(Duration.ofDays(2));
        assertThat(Durations.parse("0")).isEqualTo(Duration.ZERO);
        assertThat(Durations.parse("PT1M30S")).isEqualTo(Duration.ofSeconds(90));
        assertThatThrownBy(() -> Durations.parse("5 minutes"))
                .hasMessageContaining("not a duration");
    }

    @Test
    void formatsTheShortestExactForm() {
        assertThat(Durations.format(Duration.ofHours(2))).isEqualTo("2h");
        assertThat(Durations.format(Duration.ofSeconds(90))).isEqualTo("90s");
        assertThat(Durations.format(Duration.ofMillis(1500))).isEqualTo("1500ms");
        assertThat(Durations.format(Duration.ZERO)).isEqualTo("0s");
        for (String text : new String[] {"250ms", "30s", "5m", "1h", "2d"}) {
            assertThat(Durations.format(Durations.parse(text))).isEqualTo(text);
        }
    }

    @Test
    void humanDurationsRoundToTwoUnits() {
        assertThat(Durations.human(Duration.ofMillis(350))).isEqualTo("350ms");
        assertThat(Durations.human(Duration.ofMillis(4_250))).isEqualTo("4.3s");
        assertThat(Durations.human(Duration.ofSeconds(302))).isEqualTo("5m 02s");
        assertThat(Durations.human(Duration.ofMinutes(192).plusSeconds(59))).isEqualTo("3h 12m");
        assertThat(Durations.human(Duration.ofHours(52))).isEqualTo("2d 04h");
        assertThat(Durations.human(Duration.ofMillis(-5))).isEqualTo("0ms");
    }
}
