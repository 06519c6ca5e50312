package io.twinlog.cli.options;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.twinlog.options.DeviceTwinJobOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * The semantic options of the job last submitted to the local stack, so that the read side folds
 * with the job's options without being told them again. {@code submit} and {@code resume} write
 * them to {@code $TWINLOG_WORK/read-side/job-semantics.json}; the read side reads the file when it
 * changes (its index holds no semantics, so new options apply to the next query). Options given on
 * the read side's own command line win.
 */
public final class SubmittedSemantics implements Supplier<DeviceTwinJobOptions> {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path file;
    private final List<String> base;
    private final List<String> given;
    private final List<String> unrecorded;
    private final Runnable onChange;
    private FileTime loaded;
    private DeviceTwinJobOptions options;

    /**
     * @param base the connection's arguments (servers, topics), before the recorded options
     * @param given the user's own options, after them (they win)
     * @param unrecorded the whole command line when nothing is recorded
     */
    public SubmittedSemantics(
            Path file,
            List<String> base,
            List<String> given,
            List<String> unrecorded,
            Runnable onChange) {
        this.file = file;
        this.base = base;
        this.given = given;
        this.unrecorded = unrecorded;
        this.onChange = onChange;
        this.options = JobOptionsMixin.parse(unrecorded);
        get();
    }

    /** The file beside the stack's other state; null when not run by the stack's scripts. */
    public static Path defaultFile() {
        String work = System.getenv("TWINLOG_WORK");
        return work == null || work.isBlank()
                ? null
                : Path.of(work, "read-side", "job-semantics.json");
    }

    /** Records the semantic options of a job just submitted (no-op outside the stack). */
    public static void record(String jobId, DeviceTwinJobOptions options) {
        Path file = defaultFile();
        if (file == null) {
            return;
        }
        ObjectNode node = JSON.createObjectNode();
        node.put("jobId", jobId);
        node.put("submittedAt", Instant.now().toString());
        node.put("eventsTopic", options.topics().events());
        node.set("arguments", JSON.valueToTree(options.semantics().asArguments()));
        try {
            Files.createDirectories(file.getParent());
            Path temporary = file.resolveSibling(file.getFileName() + ".tmp");
            JSON.writerWithDefaultPrettyPrinter().writeValue(temporary.toFile(), node);
            Files.move(
                    temporary,
                    file,
                    StandardCopyOption.REPLACE_EXISTING,
                    StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            System.err.println(
                    "note: could not record the job's options for the read side: "
                            + e.getMessage());
        }
    }

    @Override
    public synchronized DeviceTwinJobOptions get() {
        try {
            if (file == null || !Files.isRegularFile(file)) {
                return options;
            }
            FileTime modified = Files.getLastModifiedTime(file);
            if (modified.equals(loaded)) {
                return options;
            }
            JsonNode node = JSON.readTree(file.toFile());
            List<String> recorded = new ArrayList<>();
            node.path("arguments").forEach(a -> recorded.add(a.asText()));
            DeviceTwinJobOptions parsed = JobOptionsMixin.parse(arguments(recorded));
            if (!parsed.topics().events().equals(node.path("eventsTopic").asText())) {
                loaded = modified;
                return options;
            }
            options = parsed;
            loaded = modified;
            onChange.run();
        } catch (IOException | RuntimeException e) {
            System.err.println("note: ignoring " + file + ": " + e.getMessage());
            try {
                loaded = Files.getLastModifiedTime(file);
            } catch (IOException ignored) {
                // it went away: the options stay as they were
            }
        }
        return options;
    }

    private List<String> arguments(List<String> recorded) {
        List<String> args = new ArrayList<>(base);
        args.addAll(recorded);
        args.addAll(given);
        return args;
    }
}
