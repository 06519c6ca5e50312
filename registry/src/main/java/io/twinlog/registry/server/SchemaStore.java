package io.twinlog.registry.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.twinlog.registry.RegistryException;
import io.twinlog.registry.SchemaVersion;
import io.twinlog.schema.Compatibility;
import io.twinlog.schema.CompatibilityLevel;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.avro.AvroRuntimeException;
import org.apache.avro.Schema;

/**
 * The registry's data: subjects with their versions, schemas with global ids, compatibility levels.
 * Same rules as the Confluent Schema Registry: one id per distinct schema across subjects,
 * registering a schema the subject already has returns its id without a new version, a new version
 * must satisfy the subject's compatibility level (BACKWARD unless configured).
 *
 * <p>Optionally journaled to a file, one JSON line per change, replayed at start, so the ids in the
 * Kafka topics stay valid across restarts of the development stack.
 */
final class SchemaStore {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Map<String, List<Integer>> subjects = new TreeMap<>();
    private final List<String> schemasById = new ArrayList<>();
    private final Map<String, Integer> idsByCanonical = new HashMap<>();
    private final Map<String, CompatibilityLevel> subjectLevels = new HashMap<>();
    private CompatibilityLevel globalLevel = CompatibilityLevel.BACKWARD;
    private final BufferedWriter journal;

    SchemaStore(Path journalFile) throws IOException {
        if (journalFile == null) {
            this.journal = null;
            return;
        }
        if (Files.exists(journalFile)) {
            for (String line : Files.readAllLines(journalFile, StandardCharsets.UTF_8)) {
                if (!line.isBlank()) {
                    replay(JSON.readTree(line));
                }
            }
        } else if (journalFile.getParent() != null) {
            Files.createDirectories(journalFile.getParent());
        }
        this.journal =
                Files.newBufferedWriter(
                        journalFile,
                        StandardCharsets.UTF_8,
                        StandardOpenOption.CREATE,
                        StandardOpenOption.APPEND);
    }

    synchronized int register(String subject, String schemaText) throws RegistryException {
        Schema schema = parse(schemaText);
        String canonical = schema.toString();
        List<Integer> versions = subjects.getOrDefault(subject, List.of());
        Integer existing = idsByCanonical.get(canonical);
        if (existing != null && versions.contains(existing)) {
            return existing;
        }
        List<String> problems = Compatibility.check(level(subject), schema, schemasOf(versions));
        if (!problems.isEmpty()) {
            throw new RegistryException(
                    409,
                    RegistryException.INCOMPATIBLE,
                    "Schema being registered is incompatible with an earlier schema for subject \""
                            + subject
                            + "\", details: "
                            + problems);
        }
        int id = addVersion(subject, canonical);
        write(
                JSON.createObjectNode()
                        .put("type", "schema")
                        .put("subject", subject)
                        .put("schema", canonical));
        return id;
    }

    synchronized SchemaVersion lookup(String subject, String schemaText) throws RegistryException {
        List<Integer> versions = versionsOf(subject);
        String canonical = parse(schemaText).toString();
        Integer id = idsByCanonical.get(canonical);
        int index = id == null ? -1 : versions.indexOf(id);
        if (index < 0) {
            throw new RegistryException(
                    404, RegistryException.SCHEMA_NOT_FOUND, "Schema not found");
        }
        return new SchemaVersion(subject, index + 1, id, canonical);
    }

    synchronized String schemaById(int id) throws RegistryException {
        if (id < 1 || id > schemasById.size()) {
            throw new RegistryException(
                    404, RegistryException.SCHEMA_NOT_FOUND, "Schema " + id + " not found");
        }
        return schemasById.get(id - 1);
    }

    synchronized List<String> subjects() {
        return new ArrayList<>(subjects.keySet());
    }

    synchronized List<Integer> versions(String subject) throws RegistryException {
        int count = versionsOf(subject).size();
        List<Integer> numbers = new ArrayList<>();
        for (int v = 1; v <= count; v++) {
            numbers.add(v);
        }
        return numbers;
    }

    /**
     * @param version a version number, {@code latest} or {@code -1}
     */
    synchronized SchemaVersion version(String subject, String version) throws RegistryException {
        List<Integer> versions = versionsOf(subject);
        int number = versionNumber(version, versions.size());
        if (number < 1 || number > versions.size()) {
            throw new RegistryException(
                    404, RegistryException.VERSION_NOT_FOUND, "Version " + version + " not found.");
        }
        int id = versions.get(number - 1);
        return new SchemaVersion(subject, number, id, schemasById.get(id - 1));
    }

    /**
     * Problems that would stop the schema from being registered: against one version when given,
     * otherwise against what the subject's level asks for. A subject without versions accepts
     * anything.
     */
    synchronized List<String> compatibilityProblems(
            String subject, String schemaText, String version) throws RegistryException {
        Schema candidate = parse(schemaText);
        if (version == null) {
            return Compatibility.check(
                    level(subject),
                    candidate,
                    schemasOf(subjects.getOrDefault(subject, List.of())));
        }
        SchemaVersion against = version(subject, version);
        CompatibilityLevel level = level(subject);
        CompatibilityLevel single =
                switch (level) {
                    case BACKWARD_TRANSITIVE -> CompatibilityLevel.BACKWARD;
                    case FORWARD_TRANSITIVE -> CompatibilityLevel.FORWARD;
                    case FULL_TRANSITIVE -> CompatibilityLevel.FULL;
                    default -> level;
                };
        return Compatibility.check(
                single, candidate, List.of(new Schema.Parser().parse(against.schema())));
    }

    synchronized CompatibilityLevel globalLevel() {
        return globalLevel;
    }

    /** The subject's own level, or null when it has none. */
    synchronized CompatibilityLevel subjectLevel(String subject) {
        return subjectLevels.get(subject);
    }

    synchronized void setLevel(String subject, CompatibilityLevel level) {
        applyLevel(subject, level);
        ObjectNode line = JSON.createObjectNode().put("type", "config").put("level", level.name());
        line.put("subject", subject);
        write(line);
    }

    private CompatibilityLevel level(String subject) {
        return subjectLevels.getOrDefault(subject, globalLevel);
    }

    private void applyLevel(String subject, CompatibilityLevel level) {
        if (subject == null) {
            globalLevel = level;
        } else {
            subjectLevels.put(subject, level);
        }
    }

    private int addVersion(String subject, String canonical) {
        Integer id = idsByCanonical.get(canonical);
        if (id == null) {
            schemasById.add(canonical);
            id = schemasById.size();
            idsByCanonical.put(canonical, id);
        }
        subjects.computeIfAbsent(subject, s -> new ArrayList<>()).add(id);
        return id;
    }

    private void replay(JsonNode line) {
        String subject = line.path("subject").isTextual() ? line.get("subject").asText() : null;
        switch (line.path("type").asText()) {
            case "schema" -> addVersion(subject, line.get("schema").asText());
            case "config" ->
                    applyLevel(subject, CompatibilityLevel.valueOf(line.get("level").asText()));
            default -> throw new IllegalStateException("unknown journal line: " + line);
        }
    }

    private void write(JsonNode line) {
        if (journal == null) {
            return;
        }
        try {
            journal.write(JSON.writeValueAsString(line));
            journal.newLine();
            journal.flush();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the registry journal", e);
        }
    }

    private List<Integer> versionsOf(String subject) throws RegistryException {
        List<Integer> versions = subjects.get(subject);
        if (versions == null) {
            throw new RegistryException(
                    404,
                    RegistryException.SUBJECT_NOT_FOUND,
                    "Subject '" + subject + "' not found.");
        }
        return versions;
    }

    private List<Schema> schemasOf(List<Integer> ids) {
        List<Schema> schemas = new ArrayList<>();
        for (int id : ids) {
            schemas.add(new Schema.Parser().parse(schemasById.get(id - 1)));
        }
        return schemas;
    }

    private static int versionNumber(String version, int latest) throws RegistryException {
        if ("latest".equals(version) || "-1".equals(version)) {
            return latest;
        }
        try {
            int number = Integer.parseInt(version);
            if (number >= 1) {
                return number;
            }
        } catch (NumberFormatException e) {
            // fall through to the error below
        }
        throw new RegistryException(
                422,
                RegistryException.INVALID_VERSION,
                "The specified version '"
                        + version
                        + "' is not a valid version id. Allowed values are between [1, 2^31-1] and the string \"latest\"");
    }

    private static Schema parse(String schemaText) throws RegistryException {
        try {
            return new Schema.Parser().parse(schemaText);
        } catch (AvroRuntimeException | NullPointerException e) {
            throw new RegistryException(
                    422, RegistryException.INVALID_SCHEMA, "Invalid schema: " + e.getMessage());
        }
    }
}
