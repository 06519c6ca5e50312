package io.twinlog.bench.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GeneratedSectionTest {

    @TempDir Path dir;

    @Test
    void aRerunReplacesOnlyTheGeneratedPart() throws Exception {
        Path doc = dir.resolve("BENCH.md");
        Files.writeString(
                doc,
                "# Title\n\nAnalysis by people.\n\n"
                        + GeneratedSection.begin("scripts/bench")
                        + "\nold table\n"
                        + GeneratedSection.end("scripts/bench")
                        + "\n\nMore analysis.\n");

        GeneratedSection.replace(doc, "scripts/bench", "Title", "new table");
        GeneratedSection.replace(doc, "scripts/bench", "Title", "newer table");

        assertThat(Files.readString(doc))
                .isEqualTo(
                        "# Title\n\nAnalysis by people.\n\n"
                                + GeneratedSection.begin("scripts/bench")
                                + "\nnewer table\n"
                                + GeneratedSection.end("scripts/bench")
                                + "\n\nMore analysis.\n");
    }

    @Test
    void aMissingDocumentIsCreatedWithMarkers() throws Exception {
        Path doc = dir.resolve("NEW.md");

        GeneratedSection.replace(doc, "scripts/drills", "Reliability", "rows");

        assertThat(Files.readString(doc))
                .startsWith("# Reliability\n")
                .contains(
                        GeneratedSection.begin("scripts/drills")
                                + "\nrows\n"
                                + GeneratedSection.end("scripts/drills"));
    }

    @Test
    void aDocumentWithoutMarkersIsNotOverwritten() throws Exception {
        Path doc = dir.resolve("HAND.md");
        Files.writeString(doc, "hand-written only\n");

        assertThatThrownBy(() -> GeneratedSection.replace(doc, "scripts/bench", "T", "x"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("lacks the markers");
        assertThat(Files.readString(doc)).isEqualTo("hand-written only\n");
    }
}
