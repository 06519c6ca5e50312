package io.twinlog.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A broken savepoint gives one clear line, and does not hide the good ones. */
public class CorruptSavepointsTest {

    private static final Path COMMITTED =
            Path.of(
                    "..",
                    "pipeline-jobs",
                    "src",
                    "test",
                    "resources",
                    "savepoints",
                    "0.2.0",
                    "savepoint",
                    "_metadata");

    @TempDir Path dir;

    @Test
    void aTruncatedSavepointIsFlaggedInTheListAndTheOthersAreListed() throws Exception {
        Path good = Files.createDirectories(dir.resolve("savepoint-aaaaaa-111111111111"));
        Files.copy(COMMITTED, good.resolve("_metadata"), StandardCopyOption.REPLACE_EXISTING);
        Path truncated = Files.createDirectories(dir.resolve("savepoint-bbbbbb-222222222222"));
        byte[] metadata = Files.readAllBytes(COMMITTED);
        Files.write(
                truncated.resolve("_metadata"),
                java.util.Arrays.copyOf(metadata, metadata.length / 2));

        CliRun list = CliRun.of("savepoints", "list", "--dir", dir.toString());

        assertThat(list.exit()).isZero();
        assertThat(list.out())
                .contains("UNREADABLE")
                .contains(truncated.toString())
                .contains("its _metadata file ends early")
                .contains("1 unreadable");
        assertThat(list.out())
                .contains("aaaaaa...")
                .containsPattern("savepoint\\s+aaaaaa\\.\\.\\.\\s+\\d+");
    }

    @Test
    void theListAsJsonHoldsTheSameRowsAsRecords() throws Exception {
        Path good = Files.createDirectories(dir.resolve("savepoint-aaaaaa-111111111111"));
        Files.copy(COMMITTED, good.resolve("_metadata"), StandardCopyOption.REPLACE_EXISTING);
        Path truncated = Files.createDirectories(dir.resolve("savepoint-bbbbbb-222222222222"));
        Files.write(
                truncated.resolve("_metadata"),
                java.util.Arrays.copyOf(Files.readAllBytes(COMMITTED), 100));

        CliRun list = CliRun.of("savepoints", "list", "--dir", dir.toString(), "--output", "json");
        assertThat(CliRun.of("savepoints", "list", "--dir", dir.toString(), "--json").out())
                .as("--json is --output json")
                .isEqualTo(list.out());

        assertThat(list.exit()).as(list.err()).isZero();
        JsonNode rows = new ObjectMapper().readTree(list.out());
        assertThat(rows.isArray()).isTrue();
        assertThat(rows).hasSize(2);
        JsonNode broken =
                rows.get(0).path("kind").asText().equals("UNREADABLE") ? rows.get(0) : rows.get(1);
        JsonNode fine = broken == rows.get(0) ? rows.get(1) : rows.get(0);
        assertThat(broken.path("records").isNull()).isTrue();
        assertThat(broken.path("coverage").asText()).contains("ends early");
        assertThat(fine.path("kind").asText()).isEqualTo("savepoint");
        assertThat(fine.path("records").asLong()).isPositive();
        assertThat(fine.path("path").asText()).isEqualTo(good.toString());
        assertThat(fine.path("time").asText()).matches("\\d{4}-\\d\\d-\\d\\dT.*Z");
        assertThat(list.out()).as("no table beside the JSON").doesNotContain("unreadable:");
    }

    @Test
    void readingATruncatedSavepointIsOneLine() throws Exception {
        Path truncated = Files.createDirectories(dir.resolve("savepoint-cccccc-333333333333"));
        byte[] metadata = Files.readAllBytes(COMMITTED);
        Files.write(truncated.resolve("_metadata"), java.util.Arrays.copyOf(metadata, 100));

        CliRun inspect = CliRun.of("state", "inspect", truncated.toString());

        assertThat(inspect.exit()).isEqualTo(1);
        assertThat(inspect.err().strip())
                .isEqualTo(
                        "error: cannot read "
                                + truncated
                                + ": its _metadata file ends early (truncated or still being written)");
    }
}
