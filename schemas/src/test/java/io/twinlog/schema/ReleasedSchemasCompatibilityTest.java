package io.twinlog.schema;

import static org.assertj.core.api.Assertions.assertThat;

import io.twinlog.schema.alert.Alert;
import io.twinlog.schema.derived.TwinEvent;
import io.twinlog.schema.event.DeviceEvent;
import io.twinlog.schema.rules.RuleSet;
import io.twinlog.schema.state.ActivatedRules;
import io.twinlog.schema.state.DeviceState;
import io.twinlog.schema.state.SeenIdBucket;
import io.twinlog.schema.twin.DeviceTwin;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.apache.avro.Schema;
import org.apache.avro.specific.SpecificData;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every schema that leaves the job (topics) or outlives it (savepoint state) must read everything
 * written with its released versions, at its subject's level (FULL_TRANSITIVE for the outputs,
 * BACKWARD_TRANSITIVE for the log and for state). Released versions are kept under {@code
 * released/<full name>/v<N>.avsc}; add the next version there when a changed schema is released.
 */
class ReleasedSchemasCompatibilityTest {

    private static final Path RELEASED = Path.of("released");

    static Stream<Schema> publishedSchemas() {
        return Stream.of(
                DeviceEvent.getClassSchema(),
                DeviceTwin.getClassSchema(),
                TwinEvent.getClassSchema(),
                Alert.getClassSchema(),
                DeviceState.getClassSchema(),
                SeenIdBucket.getClassSchema(),
                ActivatedRules.getClassSchema(),
                RuleSet.getClassSchema());
    }

    @ParameterizedTest
    @MethodSource("publishedSchemas")
    void currentSchemaReadsEveryReleasedVersion(Schema current) throws IOException {
        List<Schema> released = releasedVersions(current.getFullName());

        assertThat(released).as("released versions of %s", current.getFullName()).isNotEmpty();
        assertThat(Compatibility.check(levelOf(current), current, released))
                .as("incompatibilities of %s with its released versions", current.getFullName())
                .isEmpty();
    }

    @ParameterizedTest
    @MethodSource("publishedSchemas")
    void releasedVersionsDescribeTheSameRecord(Schema current) throws IOException {
        for (Schema released : releasedVersions(current.getFullName())) {
            assertThat(released.getFullName()).isEqualTo(current.getFullName());
        }
    }

    /**
     * A changed schema must be released as a new version, so that the next change is checked
     * against it.
     */
    @ParameterizedTest
    @MethodSource("publishedSchemas")
    void theCurrentSchemaIsTheNewestReleasedVersion(Schema current) throws IOException {
        List<Schema> released = releasedVersions(current.getFullName());

        assertThat(released).isNotEmpty();
        assertThat(released.get(released.size() - 1))
                .as(
                        "newest file under released/%s (add v%d.avsc for a changed schema)",
                        current.getFullName(), released.size() + 1)
                .isEqualTo(current);
    }

    /** The subject's level for a topic's values; BACKWARD_TRANSITIVE for state (savepoints). */
    private static CompatibilityLevel levelOf(Schema schema) {
        return Topics.AVRO.stream()
                .filter(t -> SpecificData.get().getSchema(t.valueType()).equals(schema))
                .map(Topics.Topic::compatibility)
                .findFirst()
                .orElse(CompatibilityLevel.BACKWARD_TRANSITIVE);
    }

    static List<Schema> releasedVersions(String fullName) throws IOException {
        Path dir = RELEASED.resolve(fullName);
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        List<Path> files;
        try (Stream<Path> listing = Files.list(dir)) {
            files =
                    listing.filter(p -> p.getFileName().toString().matches("v\\d+\\.avsc"))
                            .sorted(
                                    Comparator.comparingInt(
                                            ReleasedSchemasCompatibilityTest::versionOf))
                            .toList();
        }
        List<Schema> schemas = new ArrayList<>();
        for (Path file : files) {
            schemas.add(new Schema.Parser().parse(file.toFile()));
        }
        return schemas;
    }

    private static int versionOf(Path file) {
        String name = file.getFileName().toString();
        return Integer.parseInt(name.substring(1, name.length() - ".avsc".length()));
    }
}
