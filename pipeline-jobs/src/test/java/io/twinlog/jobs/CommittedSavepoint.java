package io.twinlog.jobs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A savepoint committed under {@code src/test/resources/savepoints/<version>/}, with what it takes
 * to restore it in a test: the event log it covers (records in offset order, produced without
 * transactions so that producing them again gives the same offsets), the writer schema of those
 * records with its registry id, and the fold settings and alert rules the job ran with. (Fixtures
 * of 0.1.0 and 0.2.0 also hold the states the reader saw when they were generated; the test
 * compares the savepoints with the specification's fold of their logs instead.)
 */
record CommittedSavepoint(Path directory) {

    static final Path ROOT = Path.of("src", "test", "resources", "savepoints");
    static final String TOPICS = "savepoint";

    /**
     * The generator's job settings: a silence timeout longer than the scenario, so that no silence
     * observation (written back to the log by the job, at offsets that depend on timing) is
     * pending.
     */
    static final Map<String, String> GENERATOR_SETTINGS =
            Map.of(
                    "silence.timeout", "1h",
                    "allowed.lateness", Scenario.ALLOWED_LATENESS.toSeconds() + "s",
                    "dedup.window", Scenario.ALLOWED_LATENESS.toSeconds() + "s");

    private static final String RULES_FILE = "rules.json";
    private static final ObjectMapper JSON = new ObjectMapper();

    /** One record of the covered log. */
    record LogRecord(
            String label, int partition, long offset, byte[] key, byte[] value, long timestamp) {}

    Path savepoint() {
        return directory.resolve("savepoint");
    }

    String version() {
        return directory.getFileName().toString();
    }

    /** The savepoint's location as Flink takes it. */
    String uri() {
        return savepoint().toAbsolutePath().toUri().toString();
    }

    @Override
    public String toString() {
        return version();
    }

    List<LogRecord> log() throws IOException {
        List<LogRecord> records = new ArrayList<>();
        for (String line : Files.readAllLines(directory.resolve("log.jsonl"))) {
            JsonNode node = JSON.readTree(line);
            records.add(
                    new LogRecord(
                            node.path("label").asText(),
                            node.path("partition").asInt(),
                            node.path("offset").asLong(),
                            bytes(node.get("key")),
                            bytes(node.get("value")),
                            node.path("timestamp").asLong()));
        }
        return records;
    }

    /** Registry id to schema of the records in the log. */
    Map<Integer, String> schemas() throws IOException {
        Map<Integer, String> schemas = new TreeMap<>();
        JSON.readTree(directory.resolve("schemas.json").toFile())
                .fields()
                .forEachRemaining(
                        e -> schemas.put(Integer.parseInt(e.getKey()), e.getValue().asText()));
        return schemas;
    }

    /** The job settings the savepoint was generated with, its rules file included. */
    Map<String, String> settings() throws IOException {
        Map<String, String> settings = new TreeMap<>();
        JSON.readTree(directory.resolve("job-settings.json").toFile())
                .fields()
                .forEachRemaining(e -> settings.put(e.getKey(), e.getValue().asText()));
        settings.put("rules.file", directory.resolve(RULES_FILE).toAbsolutePath().toString());
        return settings;
    }

    static void write(
            Path directory,
            List<LogRecord> log,
            Map<Integer, String> schemas,
            Map<String, String> settings,
            String rules)
            throws IOException {
        Files.writeString(directory.resolve(RULES_FILE), rules + "\n");
        ObjectNode settingsNode = JSON.createObjectNode();
        new TreeMap<>(settings).forEach(settingsNode::put);
        Files.writeString(
                directory.resolve("job-settings.json"),
                JSON.writerWithDefaultPrettyPrinter().writeValueAsString(settingsNode) + "\n");
        try (Writer out =
                Files.newBufferedWriter(directory.resolve("log.jsonl"), StandardCharsets.UTF_8)) {
            for (LogRecord record : log) {
                ObjectNode node =
                        JSON.createObjectNode()
                                .put("label", record.label())
                                .put("partition", record.partition())
                                .put("offset", record.offset())
                                .put("timestamp", record.timestamp());
                node.put(
                        "key",
                        record.key() == null
                                ? null
                                : Base64.getEncoder().encodeToString(record.key()));
                node.put(
                        "value",
                        record.value() == null
                                ? null
                                : Base64.getEncoder().encodeToString(record.value()));
                out.write(JSON.writeValueAsString(node) + "\n");
            }
        }
        ObjectNode schemaNode = JSON.createObjectNode();
        schemas.forEach((id, schema) -> schemaNode.put(Integer.toString(id), schema));
        Files.writeString(
                directory.resolve("schemas.json"),
                JSON.writerWithDefaultPrettyPrinter().writeValueAsString(schemaNode));
    }

    private static byte[] bytes(JsonNode node) {
        return node == null || node.isNull() ? null : Base64.getDecoder().decode(node.asText());
    }
}
