package io.twinlog.options;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ConfigOptions;
import org.junit.jupiter.api.Test;

class JobConfigurationTest {

    private static final ConfigOption<Duration> WAIT =
            ConfigOptions.key("wait")
                    .durationType()
                    .defaultValue(Duration.ofMinutes(2))
                    .withDescription("how long to wait");
    private static final ConfigOption<String> MODE =
            ConfigOptions.key("mode").stringType().defaultValue("a").withDescription("the mode");
    private static final ConfigOption<String> FILE =
            ConfigOptions.key("file").stringType().noDefaultValue().withDescription("a file");
    private static final ConfigOption<Integer> COUNT =
            ConfigOptions.key("count").intType().defaultValue(1).withDescription("how many");
    private static final ConfigOption<Boolean> FLAG =
            ConfigOptions.key("flag").booleanType().defaultValue(false).withDescription("a flag");

    private static final List<ConfigOption<?>> OPTIONS = List.of(WAIT, MODE, FILE, COUNT, FLAG);
    private static final Map<ConfigOption<String>, List<String>> CHOICES =
            Map.of(MODE, List.of("a", "b"));

    private static JobConfiguration parse(String... args) {
        return JobConfiguration.parse(OPTIONS, CHOICES, "properties.", args);
    }

    @Test
    void flinkConvertsTheTextAndTheDefaultsFillTheRest() {
        JobConfiguration parsed = parse("--wait", "90s", "--count= 42 ", "--flag", "TRUE");

        assertThat(parsed.get(WAIT)).isEqualTo(Duration.ofSeconds(90));
        assertThat(parsed.get(COUNT)).isEqualTo(42);
        assertThat(parsed.get(FLAG)).isTrue();
        assertThat(parsed.get(MODE)).isEqualTo("a");
        assertThat(parsed.get(FILE)).isNull();
        assertThat(parse("--wait", "5min").get(WAIT)).isEqualTo(Duration.ofMinutes(5));
        assertThat(parse("--wait", "PT1H").get(WAIT)).isEqualTo(Duration.ofHours(1));
    }

    @Test
    void badValuesNameTheirOption() {
        assertThatThrownBy(() -> parse("--count", "4.2"))
                .hasMessage("--count: not an integer: '4.2'");
        assertThatThrownBy(() -> parse("--wait", "soon"))
                .hasMessageStartingWith("--wait: not a duration");
        assertThatThrownBy(() -> parse("--flag", "maybe"))
                .hasMessage("--flag: not a boolean (true or false): 'maybe'");
        assertThatThrownBy(() -> parse("--mode", "c")).hasMessage("--mode: 'c' is not one of a, b");
        assertThatThrownBy(() -> parse("--mode", " ")).hasMessage("--mode: must not be empty");
        assertThat(parse("--mode", "B").get(MODE)).as("choices ignore case").isEqualTo("b");
    }

    @Test
    void anUnknownKeyIsAnErrorThatListsTheKnownOnes() {
        assertThatThrownBy(() -> parse("--wiat", "1s"))
                .hasMessage(
                        "unknown option --wiat (known: [count, file, flag, mode, wait] and"
                                + " properties.<client property>)");
        assertThat(parse("--properties.security.protocol", "SSL").passThrough())
                .containsExactly(Map.entry("security.protocol", "SSL"));
    }

    @Test
    void aSecretIsNeverLiteralOnTheCommandLine() {
        List<ConfigOption<?>> options =
                List.of(ConfigOptions.key("sasl.password").stringType().noDefaultValue());
        assertThatThrownBy(
                        () ->
                                JobConfiguration.parse(
                                        options, Map.of(), null, "--sasl.password", "hunter2"))
                .hasMessageStartingWith("--sasl.password: a secret given on the command line");
        assertThat(
                        JobConfiguration.parse(
                                        options,
                                        Map.of(),
                                        null,
                                        "--sasl.password",
                                        "${env:TWINLOG_PASSWORD}")
                                .asText(options))
                .doesNotContainValue("hunter2");
    }

    @Test
    void usageAndTheEffectiveValuesPrintEveryOption() {
        JobConfiguration parsed = parse("--mode", "b");

        assertThat(JobConfiguration.usage(OPTIONS, CHOICES))
                .contains(
                        "--wait",
                        "how long to wait (default: 2m)",
                        "the mode (a | b) (default: a)",
                        "a file (default: not set)");
        assertThat(parsed.describe(OPTIONS))
                .isEqualTo("wait=2m mode=b file=null count=1 flag=false");
        assertThat(parsed.asText(OPTIONS))
                .containsExactly(
                        Map.entry("wait", "2m"),
                        Map.entry("mode", "b"),
                        Map.entry("count", "1"),
                        Map.entry("flag", "false"));
        assertThat(parsed.isSet(MODE)).isTrue();
        assertThat(parsed.isSet(WAIT)).isFalse();
    }

    @Test
    void anOptionAtTheEndWithoutItsValueIsRefused() {
        assertThatThrownBy(() -> parse("--mode")).hasMessage("--mode needs a value");
        assertThatThrownBy(() -> parse("mode")).hasMessage("expected --option value, got 'mode'");
    }
}
