package io.twinlog.readside.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.twinlog.alerts.AlertRulesFile;
import io.twinlog.readside.FleetCheck;
import io.twinlog.readside.ReadSide;
import io.twinlog.readside.index.LogGap;
import io.twinlog.readside.query.HistoryEntry;
import io.twinlog.readside.query.Page;
import io.twinlog.readside.query.RecordOutcome;
import io.twinlog.readside.query.Replay;
import io.twinlog.readside.query.StateCheck;
import io.twinlog.readside.views.FleetEntry;
import io.twinlog.readside.views.PublishedTwin;
import io.twinlog.schema.alert.Alert;
import io.twinlog.schema.rules.RuleSet;
import io.twinlog.schema.twin.DeviceStatus;
import io.twinlog.twin.EventKind;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The bodies of the read side's answers, as records Jackson writes: the HTTP API's and the CLI's
 * {@code --json} (one form for both). Avro records (twins, alerts, payloads) are carried as the
 * JSON {@link AvroJson} makes of them. Every answer about the log says how far the index has read
 * it ({@code lagging}, {@code indexedThrough}: the next offset per partition of the event log).
 */
public final class Answers {

    /** The mapper every answer is written with. */
    public static final ObjectMapper MAPPER = new ObjectMapper();

    private Answers() {}

    public record ErrorAnswer(
            int status, String error, boolean lagging, Map<Integer, Long> indexedThrough) {}

    public record HealthAnswer(
            String status, @JsonInclude(JsonInclude.Include.NON_NULL) String reason) {}

    public record ReadyAnswer(boolean ready, boolean caughtUp, Map<String, Long> lag) {}

    /**
     * The read-side group: which instance indexes which partition of the event log.
     *
     * @param self this instance's URL (null when it runs alone)
     * @param settled false while the group rebalances (no owner is certain)
     */
    public record InstancesAnswer(
            String self, int generation, boolean settled, List<PartitionOwnerView> partitions) {}

    /**
     * @param owner the owning instance's URL (null while the group rebalances; this instance's own
     *     when it runs alone)
     * @param answering whether the owner is this instance and answers for the partition now
     * @param lag records of the partition this instance has not indexed (its own partitions)
     */
    public record PartitionOwnerView(
            int partition,
            String owner,
            boolean answering,
            @JsonInclude(JsonInclude.Include.NON_NULL) Long lag) {}

    public record RulesVersionView(
            int version,
            int rules,
            String publishedAt,
            String effectiveFrom,
            String publishedBy,
            String comment) {}

    public record InfoAnswer(
            String eventsTopic,
            String twinsTopic,
            String alertsTopic,
            Map<String, String> semanticOptions,
            boolean lagging,
            Map<Integer, Long> indexedThrough,
            List<RulesVersionView> rulesVersions,
            Map<Integer, List<Integer>> rulesPartitionsDiffering) {}

    public record FleetDevice(
            String deviceId,
            DeviceStatus status,
            boolean online,
            String model,
            String firmware,
            Map<String, String> tags,
            String lastSeen,
            List<String> activeAlerts) {}

    public record FleetAnswer(
            boolean lagging,
            Map<Integer, Long> indexedThrough,
            Map<String, Long> counts,
            List<FleetDevice> devices,
            String next) {}

    /**
     * Alert transitions, newest first.
     *
     * @param total how many there are in all (open episodes: all of them; a device's: its whole
     *     history)
     * @param next the cursor of the next page, or null
     */
    public record AlertsAnswer(
            boolean lagging,
            Map<Integer, Long> indexedThrough,
            int total,
            JsonNode alerts,
            String next) {}

    public record DeviceAnswer(
            String device,
            boolean lagging,
            Map<Integer, Long> indexedThrough,
            JsonNode twin,
            String twinPosition,
            String reflects,
            JsonNode openAlerts) {}

    public record EntryView(
            String position,
            String recordTime,
            String eventId,
            EventKind kind,
            String eventTime,
            RecordOutcome outcome,
            @JsonInclude(JsonInclude.Include.NON_NULL) String detail,
            JsonNode payload,
            JsonNode derivedEvents,
            JsonNode alerts,
            List<String> changes,
            String lastSeen) {

        public static EntryView of(HistoryEntry entry) {
            return new EntryView(
                    entry.position().toString(),
                    entry.recordTime().toString(),
                    entry.eventId(),
                    entry.kind(),
                    text(entry.eventTime()),
                    entry.outcome(),
                    entry.detail(),
                    AvroJson.of(entry.payload()),
                    AvroJson.of(entry.derivedEvents()),
                    AvroJson.of(entry.alerts()),
                    entry.changes(),
                    text(entry.lastSeen()));
        }
    }

    /**
     * @param gaps offsets of the device's partition the log deleted before the index read them:
     *     some of its history may be missing, and the answer is a fold of what remains
     * @param total the device's records in all; null when a time range is asked for (the entries
     *     outside it are skipped page by page, not counted over the whole history)
     */
    public record HistoryAnswer(
            String device,
            boolean lagging,
            Map<Integer, Long> indexedThrough,
            List<GapView> gaps,
            Long total,
            List<EntryView> entries,
            String next) {}

    /** Offsets {@code [from, to)} of a partition that were deleted before the index read them. */
    public record GapView(int partition, long from, long to, long records) {

        static List<GapView> of(List<LogGap> gaps) {
            return gaps.stream()
                    .map(g -> new GapView(g.partition(), g.from(), g.to(), g.records()))
                    .toList();
        }
    }

    /** A check of published twins against the read side's fold ({@code /api/verify}). */
    public record VerifyAnswer(
            boolean lagging,
            Map<Integer, Long> indexedThrough,
            int devices,
            int checked,
            Map<StateCheck.Verdict, Integer> verdicts,
            List<String> mismatches,
            List<String> split,
            List<String> notChecked) {}

    public static VerifyAnswer verify(FleetCheck check, ReadSide readSide) {
        return new VerifyAnswer(
                readSide.lagging(),
                indexed(readSide),
                check.devices(),
                check.checked(),
                new java.util.TreeMap<>(check.counts()),
                check.mismatches(),
                check.split(),
                check.notChecked());
    }

    public record EntryRef(String position, String eventId, EventKind kind, String eventTime) {}

    public record AsOfAnswer(
            String device,
            boolean lagging,
            Map<Integer, Long> indexedThrough,
            String asOf,
            String position,
            List<GapView> gaps,
            long recordsFolded,
            JsonNode twin,
            Map<String, EntryRef> provenance,
            List<EntryView> events) {}

    public static ErrorAnswer error(int status, String message, ReadSide readSide) {
        return new ErrorAnswer(status, message, readSide.lagging(), indexed(readSide));
    }

    public static HistoryAnswer history(
            String device, List<HistoryEntry> page, Long total, String next, ReadSide readSide) {
        return new HistoryAnswer(
                device,
                readSide.lagging(),
                indexed(readSide),
                GapView.of(readSide.gapsBefore(device, null)),
                total,
                page.stream().map(EntryView::of).toList(),
                next);
    }

    /**
     * @param gaps what the log lost of the device's partition that could have been folded: before
     *     the position asked for; by time, all of it (a later offset can hold an earlier event)
     */
    public static AsOfAnswer asOf(
            String device, String asked, Replay replay, List<LogGap> gaps, ReadSide readSide) {
        Map<String, EntryRef> provenance = new LinkedHashMap<>();
        replay.provenance()
                .fields()
                .forEach(
                        (field, entry) ->
                                provenance.put(
                                        field,
                                        new EntryRef(
                                                entry.position().toString(),
                                                entry.eventId(),
                                                entry.kind(),
                                                text(entry.eventTime()))));
        return new AsOfAnswer(
                device,
                readSide.lagging(),
                indexed(readSide),
                asked,
                replay.position() == null ? null : replay.position().toString(),
                GapView.of(gaps),
                replay.records(),
                AvroJson.of(replay.twin()),
                provenance,
                replay.provenance().events().stream().map(EntryView::of).toList());
    }

    public static DeviceAnswer device(
            String device, PublishedTwin twin, List<Alert> open, ReadSide readSide) {
        return new DeviceAnswer(
                device,
                readSide.lagging(),
                indexed(readSide),
                twin == null ? null : AvroJson.of(twin.twin()),
                twin == null ? null : twin.position().toString(),
                twin == null
                        ? null
                        : twin.twin().getLastEvent().getPosition().getPartition()
                                + ":"
                                + twin.twin().getLastEvent().getPosition().getOffset(),
                AvroJson.of(open));
    }

    public static FleetAnswer fleet(
            Map<String, Long> counts, Page<FleetEntry> page, ReadSide readSide) {
        return new FleetAnswer(
                readSide.lagging(),
                indexed(readSide),
                counts,
                page.items().stream()
                        .map(
                                e ->
                                        new FleetDevice(
                                                e.deviceId(),
                                                e.status(),
                                                e.online(),
                                                e.model(),
                                                e.firmware(),
                                                e.tags(),
                                                e.lastSeen().toString(),
                                                e.activeAlerts()))
                        .toList(),
                page.next());
    }

    public static AlertsAnswer alerts(Page<Alert> page, int total, ReadSide readSide) {
        return new AlertsAnswer(
                readSide.lagging(),
                indexed(readSide),
                total,
                AvroJson.of(page.items()),
                page.next());
    }

    /**
     * The rules versions published in the log (docs/RULES.md), oldest first; version 0, the job's
     * rules file, is in the semantic options.
     */
    public static List<RulesVersionView> rulesVersions(List<RuleSet> versions) {
        return versions.stream()
                .map(
                        v ->
                                new RulesVersionView(
                                        v.getVersion(),
                                        AlertRulesFile.parse(v.getRules()).all().size(),
                                        v.getPublishedAt().toString(),
                                        text(v.getEffectiveFrom()),
                                        v.getPublishedBy(),
                                        v.getComment()))
                .toList();
    }

    /** The next offset per partition of the event log the index has read. */
    public static Map<Integer, Long> indexed(ReadSide readSide) {
        return readSide.follower().positions(readSide.topics().events());
    }

    private static String text(Instant time) {
        return time == null ? null : time.toString();
    }
}
