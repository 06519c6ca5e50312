package io.twinlog.options;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What a job's state was built from, recorded in the state itself (the fold operator's union list
 * state, so every savepoint and checkpoint carries it): the event log and its partition count, and
 * the semantic options. A job restoring the state compares it with its own.
 *
 * @param eventPartitions partitions of the event log: adding partitions moves devices to other
 *     partitions and breaks their order, so it is an invariant of the state
 */
public record JobManifest(String eventsTopic, int eventPartitions, SemanticOptions semantics)
        implements Serializable {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** What stops a restore: a different log or partition count. No option can accept those. */
    public List<String> invariantBreaches(JobManifest current) {
        List<String> breaches = new ArrayList<>();
        if (!eventsTopic.equals(current.eventsTopic)) {
            breaches.add(
                    "the state was built from topic "
                            + eventsTopic
                            + " but the job reads "
                            + current.eventsTopic
                            + " (--topic.events)");
        }
        if (eventPartitions != current.eventPartitions) {
            breaches.add(
                    "the state was built from "
                            + eventPartitions
                            + " partitions of "
                            + eventsTopic
                            + " but it has "
                            + current.eventPartitions
                            + " now: added partitions move devices to other partitions and break"
                            + " the order of their events. Re-partition through a new topic and a rebuild (docs/UPGRADES.md)");
        }
        return breaches;
    }

    /**
     * Why a job with the {@code current} manifest must not continue this recorded state, or null
     * when it may. Options this state does not record (written by an older version) count as
     * unchanged.
     */
    public String refusal(JobManifest current, boolean acceptOptionChange) {
        List<String> breaches = invariantBreaches(current);
        if (!breaches.isEmpty()) {
            return String.join("; ", breaches);
        }
        List<String> changes = optionChanges(current);
        if (!changes.isEmpty() && !acceptOptionChange) {
            return "the state was built with other semantic options ("
                    + String.join("; ", changes)
                    + "). Resume with"
                    + " the recorded ones (scripts/twinlog resume takes them from the savepoint), or accept the change:"
                    + " resume --accept-option-change, or the job option --semantics.accept-change true";
        }
        return null;
    }

    /** The semantic options {@code current} changes, among those this state records. */
    public List<String> optionChanges(JobManifest current) {
        Map<String, String> comparable = new TreeMap<>(current.semantics.values());
        comparable.keySet().retainAll(semantics.values().keySet());
        return new SemanticOptions(comparable).changesFrom(semantics);
    }

    public String toJson() {
        ObjectNode root =
                JSON.createObjectNode()
                        .put("eventsTopic", eventsTopic)
                        .put("eventPartitions", eventPartitions);
        ObjectNode options = root.putObject("semantics");
        semantics.values().forEach(options::put);
        return root.toString();
    }

    public static JobManifest fromJson(String json) {
        try {
            JsonNode root = JSON.readTree(json);
            Map<String, String> options = new TreeMap<>();
            root.path("semantics")
                    .fields()
                    .forEachRemaining(e -> options.put(e.getKey(), e.getValue().asText()));
            return new JobManifest(
                    root.path("eventsTopic").asText(),
                    root.path("eventPartitions").asInt(),
                    new SemanticOptions(options));
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(
                    "not a twinlog job manifest: " + e.getOriginalMessage(), e);
        }
    }
}
