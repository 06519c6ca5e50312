package io.twinlog.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Each kind of option: what it parses, what it refuses, how it prints. */
class ParamTest {

    @Test
    void eachKindParsesItsValuesAndRefusesOthersNamingTheOption() {
        assertThat(Param.string("s", "d", "text").parse(" x ")).isEqualTo("x");
        assertThatThrownBy(() -> Param.string("s", "d", "text").parse(" "))
                .hasMessage("--s: must not be empty");
        assertThat(Param.duration("t", Duration.ZERO, "time").parse("90s"))
                .isEqualTo(Duration.ofSeconds(90));
        assertThat(Param.integer("n", 1, "count").parse(" 42 ")).isEqualTo(42);
        assertThatThrownBy(() -> Param.integer("n", 1, "count").parse("4.2"))
                .hasMessage("--n: not an integer: '4.2'");
        for (String yes : List.of("true", "YES", "on")) {
            assertThat(Param.bool("b", false, "flag").parse(yes)).isTrue();
        }
        for (String no : List.of("false", "no", "Off")) {
            assertThat(Param.bool("b", true, "flag").parse(no)).isFalse();
        }
        assertThatThrownBy(() -> Param.bool("b", true, "flag").parse("maybe"))
                .hasMessageContaining("not a boolean");
        assertThat(Param.choice("c", "a", List.of("a", "b"), "pick").parse("B")).isEqualTo("b");
        assertThat(Param.optionalString("o", "maybe").parse(" v ")).isEqualTo("v");
        assertThat(Param.optionalString("o", "maybe").defaultValue()).isNull();
    }

    @Test
    void usageAndTheEffectiveValuesPrintEveryOption() {
        List<Param<?>> params =
                List.of(
                        Param.duration("wait", Duration.ofMinutes(2), "how long to wait"),
                        Param.choice("mode", "a", List.of("a", "b"), "the mode"),
                        Param.optionalString("file", "a file"));
        ParsedParams parsed = ParsedParams.parse(params, "--mode", "b");

        assertThat(ParsedParams.usage(params))
                .contains(
                        "--wait",
                        "how long to wait (default: 2m)",
                        "the mode (a | b) (default: a)",
                        "a file (default: not set)");
        assertThat(parsed.describe(params)).isEqualTo("wait=2m mode=b file=null");
        assertThat(parsed.asText(params))
                .containsExactly(
                        java.util.Map.entry("wait", "2m"), java.util.Map.entry("mode", "b"));
        assertThat(parsed.isSet(params.get(1))).isTrue();
        assertThat(parsed.isSet(params.get(0))).isFalse();
    }

    @Test
    void anOptionAtTheEndWithoutItsValueIsRefused() {
        List<Param<?>> params = List.of(Param.string("x", "d", "x"));
        assertThatThrownBy(() -> ParsedParams.parse(params, "--x")).hasMessage("--x needs a value");
        assertThatThrownBy(() -> ParsedParams.parse(params, "x"))
                .hasMessage("expected --option value, got 'x'");
    }
}
