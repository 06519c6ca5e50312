package io.twinlog.jobs.state;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.apache.flink.core.fs.FileSystem;
import org.apache.flink.core.fs.Path;

/**
 * What a rebuilt savepoint covers, written next to its {@code _metadata}: the event log and, per
 * partition, the offset after the last replayed record. A rebuilt savepoint holds no source state,
 * so DeviceTwinJob reads this file when it restores one and starts each partition exactly there.
 */
public record RebuildMetadata(
        String topic, Map<Integer, Long> nextOffsets, long records, Instant createdAt) {

    public static final String FILE_NAME = "twinlog-rebuild.json";
    private static final ObjectMapper JSON = new ObjectMapper();

    public void writeTo(String savepointDirectory) throws IOException {
        ObjectNode root =
                JSON.createObjectNode()
                        .put("topic", topic)
                        .put("records", records)
                        .put("createdAt", createdAt.toString());
        ObjectNode offsets = root.putObject("nextOffsets");
        new TreeMap<>(nextOffsets)
                .forEach((partition, offset) -> offsets.put(Integer.toString(partition), offset));
        Path file = new Path(savepointDirectory, FILE_NAME);
        try (OutputStream out = file.getFileSystem().create(file, FileSystem.WriteMode.OVERWRITE)) {
            out.write(JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(root));
        }
    }

    /**
     * The metadata of a savepoint, if it was rebuilt from the log; {@code savepoint} may name its
     * directory or its _metadata file.
     */
    public static Optional<RebuildMetadata> readFrom(String savepoint) throws IOException {
        Path path = new Path(savepoint);
        Path directory = path.getName().equals("_metadata") ? path.getParent() : path;
        Path file = new Path(directory, FILE_NAME);
        FileSystem fs = file.getFileSystem();
        if (!fs.exists(file)) {
            return Optional.empty();
        }
        try (InputStream in = fs.open(file)) {
            JsonNode root = JSON.readTree(new String(in.readAllBytes(), StandardCharsets.UTF_8));
            Map<Integer, Long> offsets = new TreeMap<>();
            root.path("nextOffsets")
                    .fields()
                    .forEachRemaining(
                            e -> offsets.put(Integer.parseInt(e.getKey()), e.getValue().asLong()));
            return Optional.of(
                    new RebuildMetadata(
                            root.path("topic").asText(),
                            offsets,
                            root.path("records").asLong(),
                            Instant.parse(root.path("createdAt").asText())));
        }
    }
}
