package io.twinlog.readside;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.twinlog.alerts.AlertRulesFile;
import io.twinlog.schema.alert.Alert;
import io.twinlog.schema.rules.RuleSet;
import java.util.List;
import java.util.Map;

/** The JSON forms of the read side's answers, shared by the service and the CLI's --json. */
public final class ReadSideJson {

    public static final ObjectMapper MAPPER = new ObjectMapper();

    private ReadSideJson() {}

    public static ObjectNode entry(HistoryEntry entry) {
        ObjectNode node = MAPPER.createObjectNode();
        node.put("position", entry.position().toString());
        node.put("recordTime", entry.recordTime().toString());
        node.put("eventId", entry.eventId());
        node.put("kind", entry.kind());
        node.put("eventTime", entry.eventTime() == null ? null : entry.eventTime().toString());
        node.put("outcome", entry.outcome());
        if (entry.detail() != null) {
            node.put("detail", entry.detail());
        }
        node.set("payload", AvroJson.of(entry.payload()));
        node.set("derivedEvents", AvroJson.of(entry.derivedEvents()));
        node.set("alerts", AvroJson.of(entry.alerts()));
        ArrayNode changes = node.putArray("changes");
        entry.changes().forEach(changes::add);
        node.put("lastSeen", entry.lastSeen() == null ? null : entry.lastSeen().toString());
        return node;
    }

    /** A page of a device's history. */
    public static ObjectNode history(
            String device, List<HistoryEntry> page, int total, String next, ReadSide readSide) {
        ObjectNode node = header(device, readSide);
        node.put("total", total);
        ArrayNode entries = node.putArray("entries");
        page.forEach(e -> entries.add(entry(e)));
        node.put("next", next);
        return node;
    }

    public static ObjectNode asOf(String device, String asked, Replay replay, ReadSide readSide) {
        ObjectNode node = header(device, readSide);
        node.put("asOf", asked);
        node.put("position", replay.position() == null ? null : replay.position().toString());
        node.put("recordsFolded", replay.entries().size());
        node.set("twin", AvroJson.of(replay.twin()));
        ObjectNode provenance = node.putObject("provenance");
        replay.provenance()
                .fields()
                .forEach((field, entry) -> provenance.set(field, reference(entry)));
        ArrayNode events = node.putArray("events");
        replay.provenance().events().forEach(e -> events.add(entry(e)));
        return node;
    }

    public static ObjectNode device(
            String device, PublishedTwin twin, List<Alert> open, ReadSide readSide) {
        ObjectNode node = header(device, readSide);
        node.set("twin", twin == null ? null : AvroJson.of(twin.twin()));
        node.put("twinPosition", twin == null ? null : twin.position().toString());
        node.put(
                "reflects",
                twin == null
                        ? null
                        : twin.twin().getLastEvent().getPosition().getPartition()
                                + ":"
                                + twin.twin().getLastEvent().getPosition().getOffset());
        node.set("openAlerts", AvroJson.of(open));
        return node;
    }

    public static ObjectNode fleet(
            Map<String, Long> counts, Page<FleetEntry> page, ReadSide readSide) {
        ObjectNode node = MAPPER.createObjectNode();
        node.put("lagging", readSide.lagging());
        node.set("counts", MAPPER.valueToTree(counts));
        ArrayNode devices = node.putArray("devices");
        for (FleetEntry entry : page.items()) {
            ObjectNode device = devices.addObject();
            device.put("deviceId", entry.deviceId());
            device.put("status", entry.status());
            device.put("online", entry.online());
            device.put("model", entry.model());
            device.put("firmware", entry.firmware());
            device.set("tags", MAPPER.valueToTree(entry.tags()));
            device.put("lastSeen", entry.lastSeen().toString());
            device.set("activeAlerts", MAPPER.valueToTree(entry.activeAlerts()));
        }
        node.put("next", page.next());
        return node;
    }

    public static ObjectNode alerts(List<Alert> alerts, ReadSide readSide) {
        ObjectNode node = MAPPER.createObjectNode();
        node.put("lagging", readSide.lagging());
        node.set("alerts", AvroJson.of(alerts));
        return node;
    }

    /**
     * The rules versions published in the log (docs/RULES.md), oldest first; version 0, the job's
     * rules file, is in the semantic options.
     */
    public static ArrayNode rulesVersions(List<RuleSet> versions) {
        ArrayNode array = MAPPER.createArrayNode();
        for (RuleSet version : versions) {
            ObjectNode node = array.addObject();
            node.put("version", version.getVersion());
            node.put("rules", AlertRulesFile.parse(version.getRules()).all().size());
            node.put("publishedAt", version.getPublishedAt().toString());
            node.put(
                    "effectiveFrom",
                    version.getEffectiveFrom() == null
                            ? null
                            : version.getEffectiveFrom().toString());
            node.put("publishedBy", version.getPublishedBy());
            node.put("comment", version.getComment());
        }
        return array;
    }

    public static ObjectNode error(int status, String message) {
        ObjectNode node = MAPPER.createObjectNode();
        node.put("status", status);
        node.put("error", message);
        return node;
    }

    private static ObjectNode reference(HistoryEntry entry) {
        ObjectNode node = MAPPER.createObjectNode();
        node.put("position", entry.position().toString());
        node.put("eventId", entry.eventId());
        node.put("kind", entry.kind());
        node.put("eventTime", entry.eventTime() == null ? null : entry.eventTime().toString());
        return node;
    }

    /** What every device answer starts with: the device, and how far the index has read. */
    private static ObjectNode header(String device, ReadSide readSide) {
        ObjectNode node = MAPPER.createObjectNode();
        node.put("device", device);
        node.put("lagging", readSide.lagging());
        node.set(
                "indexedThrough",
                MAPPER.valueToTree(readSide.follower().positions(readSide.topics().events())));
        return node;
    }

    public static JsonNode tree(Object value) {
        return MAPPER.valueToTree(value);
    }
}
