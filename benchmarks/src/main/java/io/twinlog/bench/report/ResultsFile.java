package io.twinlog.bench.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/**
 * The machine-readable results ({@code docs/benchmarks/results.json}): one section per part of the
 * harness, each with the date and machine it was measured on. A part that runs again replaces its
 * section and leaves the others.
 */
public final class ResultsFile {

    static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private final Path file;
    private final ObjectNode root;

    private ResultsFile(Path file, ObjectNode root) {
        this.file = file;
        this.root = root;
    }

    public static ResultsFile open(Path file) throws IOException {
        ObjectNode root =
                Files.exists(file)
                        ? (ObjectNode) JSON.readTree(file.toFile())
                        : JSON.createObjectNode();
        return new ResultsFile(file, root);
    }

    /** Replaces a section with the given results, stamped with the date and the machine. */
    public void put(String section, Object results) throws IOException {
        ObjectNode node = JSON.createObjectNode();
        node.put("measuredAt", Instant.now().truncatedTo(ChronoUnit.SECONDS).toString());
        node.set("machine", JSON.valueToTree(Machine.describe()));
        node.set("results", JSON.valueToTree(results));
        root.set(section, node);
        Files.createDirectories(file.getParent());
        JSON.writeValue(file.toFile(), root);
    }

    public JsonNode section(String name) {
        return root.path(name);
    }

    public Path file() {
        return file;
    }
}
