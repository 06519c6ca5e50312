package io.twinlog.options;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.flink.configuration.ConfigOption;

/**
 * docs/OPTIONS.md, made from the options' declarations ({@link DeviceTwinJobOptions#ALL}): the one
 * place they are written. {@code OptionsReferenceTest} fails when the committed page differs;
 * {@code main} writes it again.
 */
public final class OptionsReference {

    private OptionsReference() {}

    public static String markdown() {
        StringBuilder page =
                new StringBuilder(
                        """
                        # DeviceTwinJob options

                        Generated from the declarations in `DeviceTwinJobOptions`; do not edit. \
                        To write it again: `java -cp connect/target/classes:<its class path> \
                        io.twinlog.options.OptionsReference docs/OPTIONS.md`, or copy what \
                        `OptionsReferenceTest` prints when the page and the code differ.

                        Give them as `--key value` or in a `--config <file.properties>`; unknown keys \
                        are errors. **Semantic** options decide the outputs: they are recorded with \
                        the state, and a restore with other values is refused unless \
                        `--semantics.accept-change true` ([UPGRADES.md](UPGRADES.md)).

                        | option | default | semantic | what it does |
                        |---|---|---|---|
                        """);
        for (ConfigOption<?> param : DeviceTwinJobOptions.ALL) {
            String defaultText = JobConfiguration.defaultText(param);
            List<String> choices = DeviceTwinJobOptions.CHOICES.get(param);
            page.append("| `")
                    .append(param.key())
                    .append("` | ")
                    .append(
                            defaultText == null || defaultText.isEmpty()
                                    ? "none"
                                    : "`" + defaultText + "`")
                    .append(" | ")
                    .append(semantic(param) ? "yes" : "")
                    .append(" | ")
                    .append(
                            (JobConfiguration.description(param)
                                            + (choices == null
                                                    ? ""
                                                    : " (" + String.join(" | ", choices) + ")"))
                                    .replace("|", "\\|"))
                    .append(" |\n");
        }
        page.append("| `")
                .append(DeviceTwinJobOptions.KAFKA_PROPERTIES_PREFIX)
                .append("<name>` | none |  | a Kafka client property for the source, the sinks and")
                .append(
                        " the preflight check (`security.protocol`, `sasl.*`, `ssl.*`); secrets only")
                .append(
                        " by reference: `${env:NAME}`, `${file:path:key}`, `${directory:dir:file}` |\n");
        return page.toString();
    }

    /** The rules are recorded as their text, under their own key, whichever option gave them. */
    private static boolean semantic(ConfigOption<?> param) {
        return SemanticOptions.PARAMS.contains(param)
                || param == FoldOptions.RULES_FILE
                || param == FoldOptions.RULES_JSON;
    }

    /** Writes the page to the path given (docs/OPTIONS.md from the repository's root). */
    public static void main(String[] args) throws IOException {
        Files.writeString(Path.of(args[0]), markdown(), StandardCharsets.UTF_8);
    }
}
