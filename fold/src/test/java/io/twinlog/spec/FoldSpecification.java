package io.twinlog.spec;

import io.twinlog.alerts.AlertRules;
import io.twinlog.schema.alert.Alert;
import io.twinlog.schema.alert.AlertStatus;
import io.twinlog.schema.alert.Severity;
import io.twinlog.schema.common.EventRef;
import io.twinlog.schema.common.LogPosition;
import io.twinlog.schema.derived.CameOnline;
import io.twinlog.schema.derived.Decommissioned;
import io.twinlog.schema.derived.EventRejected;
import io.twinlog.schema.derived.FirmwareChanged;
import io.twinlog.schema.derived.Registered;
import io.twinlog.schema.derived.RejectionReason;
import io.twinlog.schema.derived.TwinEvent;
import io.twinlog.schema.derived.WentOffline;
import io.twinlog.schema.event.DeviceDecommissioned;
import io.twinlog.schema.event.DeviceEvent;
import io.twinlog.schema.event.DeviceRegistered;
import io.twinlog.schema.event.FirmwareUpdated;
import io.twinlog.schema.event.SilenceObserved;
import io.twinlog.schema.event.TelemetryReported;
import io.twinlog.schema.twin.DeviceStatus;
import io.twinlog.schema.twin.DeviceTwin;
import io.twinlog.schema.twin.Reading;
import io.twinlog.schema.twin.TwinCounters;
import io.twinlog.twin.FoldSettings;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * A second model of docs/FOLD.md and docs/SILENCE.md, written from the documents and sharing no
 * logic with {@code DeviceFold}: each device keeps its whole history (every event with the outcome
 * it got), and every question is answered by scanning that history. Slow (quadratic in a device's
 * events) and meant to be obviously right; the property tests and the integration tests compare the
 * job with it.
 */
public final class FoldSpecification {

    static final String SILENCE_RULE = "device-silent";

    /** The options of the fold, as plain values. */
    public record Settings(
            long latenessMillis,
            long windowMillis,
            int maxIds,
            long silenceMillis,
            int maxMetrics) {
        public static Settings of(FoldSettings settings) {
            return new Settings(
                    settings.allowedLateness().toMillis(),
                    settings.dedupWindow().toMillis(),
                    settings.maxSeenIdsPerDevice(),
                    settings.silenceTimeout().toMillis(),
                    settings.maxMetricsPerDevice());
        }
    }

    /**
     * What one event of the log produced, in the order the job writes it: the late event (if late),
     * the twin (if published), the derived events, the alerts.
     *
     * @param outcome APPLIED, DUPLICATE, LATE, REJECTED, SILENCE_OBSERVED, OBSERVATION_OUTDATED or
     *     PARTITION_MISMATCH
     * @param twin the twin as published after the event, or null when none is published
     */
    public record Output(
            String outcome,
            boolean late,
            DeviceTwin twin,
            List<TwinEvent> derived,
            List<Alert> alerts) {}

    private final Settings settings;
    private final Map<Integer, List<SpecRule>> rulesByVersion = new HashMap<>();
    private final List<Published> published = new ArrayList<>();
    private final Map<String, History> devices = new HashMap<>();

    /** A rules version published into the log (docs/RULES.md), at its place in the log. */
    private record Published(int version, Long effectiveFrom) {}

    /**
     * @param rules version 0, the job's rules file
     */
    public FoldSpecification(Settings settings, AlertRules rules) {
        this.settings = settings;
        this.rulesByVersion.put(0, SpecRule.of(rules));
    }

    /**
     * A rules version published at this point of the log (one partition): events after it whose
     * event time is at or after {@code effectiveFrom} (null: all) are judged by it, unless a newer
     * one published before them applies; a device never goes back to an older version than one it
     * was judged by.
     */
    public void publish(int version, AlertRules rules, Instant effectiveFrom) {
        rulesByVersion.put(version, SpecRule.of(rules));
        published.add(
                new Published(
                        version, effectiveFrom == null ? null : effectiveFrom.toEpochMilli()));
    }

    /** The newest published version that applies at this event time (0 if none). */
    private int publishedFor(long time) {
        int version = 0;
        for (Published p : published) {
            if ((p.effectiveFrom() == null || p.effectiveFrom() <= time) && p.version() > version) {
                version = p.version();
            }
        }
        return version;
    }

    /**
     * Folds the next event of the device's history (events of one device must come in log order).
     */
    public Output apply(DeviceEvent event, LogPosition position) {
        return devices.computeIfAbsent(event.getDeviceId(), History::new).apply(event, position);
    }

    /** The device's twin now, or empty if no event of it was applied. */
    public Optional<DeviceTwin> twin(String device) {
        History history = devices.get(device);
        return history == null || !history.known() ? Optional.empty() : Optional.of(history.twin());
    }

    /**
     * The silence observation the job appends for the device once the watermark has passed its
     * deadline (last seen plus the timeout), or empty if nothing is due.
     */
    public Optional<DeviceEvent> observationDue(String device, long watermark) {
        History history = devices.get(device);
        if (history == null
                || settings.silenceMillis == 0
                || !history.known()
                || history.frozen()
                || history.offline()) {
            return Optional.empty();
        }
        long deadline = history.lastSeen() + settings.silenceMillis;
        if (deadline > watermark) {
            return Optional.empty();
        }
        String last = history.lastApplied().event.getEventId();
        return Optional.of(
                DeviceEvent.newBuilder()
                        .setEventId(SpecIds.silenceObservation(device, last))
                        .setDeviceId(device)
                        .setEventTime(Instant.ofEpochMilli(deadline))
                        .setPayload(new SilenceObserved(last))
                        .build());
    }

    public java.util.Set<String> devices() {
        return new TreeSet<>(devices.keySet());
    }

    /**
     * One event of the history and what became of it.
     *
     * @param counted whether the twin counted it: it existed and was not frozen when the event came
     */
    private record Entry(
            DeviceEvent event, LogPosition position, String outcome, boolean counted, int version) {
        Entry(DeviceEvent event, LogPosition position, String outcome, boolean counted) {
            this(event, position, outcome, counted, -1);
        }

        long time() {
            return event.getEventTime().toEpochMilli();
        }

        EventRef ref() {
            return new EventRef(event.getEventId(), position);
        }

        boolean applied() {
            return outcome.equals("APPLIED");
        }
    }

    /**
     * One device: its history, and the dedup memory, which the bound makes a process rather than a
     * scan.
     */
    private final class History {
        final String device;
        final List<Entry> entries = new ArrayList<>();
        final Map<String, Long> memory = new LinkedHashMap<>();

        History(String device) {
            this.device = device;
        }

        Output apply(DeviceEvent event, LogPosition position) {
            if (known() && position.getPartition() != applied().get(0).position.getPartition()) {
                // The device lives in the partition of its first applied event; a record elsewhere
                // has no order with its events, and is a dead letter that changes nothing.
                return new Output("PARTITION_MISMATCH", false, null, List.of(), List.of());
            }
            if (event.getPayload() instanceof SilenceObserved observation) {
                return observe(event, position, observation);
            }
            long time = event.getEventTime().toEpochMilli();
            boolean frozen = frozen();
            if (known()) {
                Long remembered = memory.get(event.getEventId());
                if (remembered != null && remembered >= lastSeen() - settings.windowMillis) {
                    return record(
                            event, position, "DUPLICATE", frozen, false, List.of(), List.of());
                }
                if (time < lastSeen() - settings.latenessMillis) {
                    return record(event, position, "LATE", frozen, true, List.of(), List.of());
                }
            }
            String refusal = refusal(event);
            if (refusal != null) {
                RejectionReason reason =
                        RejectionReason.valueOf(refusal.substring(0, refusal.indexOf(':')));
                TwinEvent rejected =
                        derived(
                                "event-rejected",
                                time,
                                new EventRef(event.getEventId(), position),
                                new EventRejected(
                                        reason, refusal.substring(refusal.indexOf(':') + 1)));
                return record(
                        event, position, "REJECTED", frozen, false, List.of(rejected), List.of());
            }
            return applied(event, position);
        }

        /** Why the event is refused, as {@code REASON:detail}, or null. */
        private String refusal(DeviceEvent event) {
            DeviceStatus status = status();
            String kind = kindName(event.getPayload());
            if (status == DeviceStatus.DECOMMISSIONED) {
                return "DEVICE_DECOMMISSIONED:a " + kind + " for a device that is decommissioned";
            }
            if (status == DeviceStatus.ACTIVE && event.getPayload() instanceof DeviceRegistered) {
                return "ALREADY_REGISTERED:a " + kind + " for a device that is active";
            }
            if (event.getPayload() instanceof TelemetryReported telemetry) {
                Map<String, Reading> readings = readings();
                long added =
                        telemetry.getReadings().keySet().stream()
                                .filter(m -> !readings.containsKey(m))
                                .count();
                if (readings.size() + added > settings.maxMetrics) {
                    return "TOO_MANY_METRICS:the twin keeps at most "
                            + settings.maxMetrics
                            + " metrics (limits.max-metrics-per-device); it has "
                            + readings.size()
                            + " and this event adds "
                            + added;
                }
            }
            return null;
        }

        private Output applied(DeviceEvent event, LogPosition position) {
            long time = event.getEventTime().toEpochMilli();
            EventRef cause = new EventRef(event.getEventId(), position);
            List<TwinEvent> derived = new ArrayList<>();
            List<Alert> alerts = new ArrayList<>();
            // A newer rules version: the episodes of the rules it removes or redefines end here.
            int from = version();
            int to = Math.max(from, publishedFor(time));
            Set<String> redefined = new TreeSet<>();
            if (to > from) {
                for (Map.Entry<String, RuleEpisode> episode :
                        new TreeMap<>(episodes(applied())).entrySet()) {
                    SpecRule old = ruleOf(from, episode.getKey());
                    SpecRule now = ruleOf(to, episode.getKey());
                    if (now != null && now.equals(old)) {
                        continue;
                    }
                    redefined.add(episode.getKey());
                    if (episode.getValue().openedBy != null) {
                        Alert ended =
                                alert(
                                        episode.getValue().alertId,
                                        episode.getKey(),
                                        AlertStatus.CLEARED,
                                        old.severity(),
                                        null,
                                        null,
                                        null,
                                        episode.getValue().raisedAt,
                                        time,
                                        cause,
                                        (now == null ? "rule removed" : "rule changed")
                                                + " in rules version "
                                                + to);
                        ended.setReason(now == null ? "RULE_REMOVED" : "RULE_CHANGED");
                        alerts.add(ended);
                    }
                }
            }
            // Silence first: offline since an observation, or a gap longer than the timeout since
            // the last
            // applied event; either way the device comes online with this event.
            if (known()
                    && settings.silenceMillis > 0
                    && (offline() || time - lastSeen() > settings.silenceMillis)) {
                if (!offline()) {
                    goOffline(derived, alerts);
                }
                long offlineSince = lastSeen() + settings.silenceMillis;
                derived.add(
                        derived(
                                "came-online",
                                time,
                                cause,
                                new CameOnline(Instant.ofEpochMilli(offlineSince))));
                alerts.add(
                        alert(
                                SpecIds.alert(
                                        device, SILENCE_RULE, lastApplied().event.getEventId()),
                                SILENCE_RULE,
                                AlertStatus.CLEARED,
                                Severity.WARNING,
                                null,
                                null,
                                null,
                                offlineSince,
                                time,
                                cause,
                                "device sent an event again"));
            }
            // What the payload does, judged against the history before this event.
            Map<String, Reading> before = readings();
            Entry newestFirmwareBefore = newestFirmware(applied());
            Map<String, RuleEpisode> episodesBefore = new HashMap<>(episodes(applied()));
            episodesBefore.keySet().removeAll(redefined);
            entries.add(new Entry(event, position, "APPLIED", true, to));
            Object payload = event.getPayload();
            if (payload instanceof DeviceRegistered registration) {
                derived.add(
                        derived(
                                "registered",
                                time,
                                cause,
                                new Registered(
                                        registration.getModel(),
                                        registration.getFirmwareVersion())));
            } else if (payload instanceof FirmwareUpdated update
                    && newestFirmware(applied()).event == event) {
                String previous =
                        newestFirmwareBefore == null ? null : firmwareOf(newestFirmwareBefore);
                if (!update.getVersion().equals(previous)) {
                    derived.add(
                            derived(
                                    "firmware-changed",
                                    time,
                                    cause,
                                    new FirmwareChanged(previous, update.getVersion())));
                }
            } else if (payload instanceof TelemetryReported telemetry) {
                alerts.addAll(ruleTransitions(telemetry, before, episodesBefore, time, cause, to));
            } else if (payload instanceof DeviceDecommissioned decommissioning) {
                derived.add(
                        derived(
                                "decommissioned",
                                time,
                                cause,
                                new Decommissioned(decommissioning.getReason())));
                for (Map.Entry<String, RuleEpisode> open :
                        new TreeMap<>(episodesBefore).entrySet()) {
                    if (open.getValue().openedBy != null) {
                        alerts.add(
                                alert(
                                        open.getValue().alertId,
                                        open.getKey(),
                                        AlertStatus.CLEARED,
                                        ruleOf(to, open.getKey()).severity(),
                                        null,
                                        null,
                                        null,
                                        open.getValue().raisedAt,
                                        time,
                                        cause,
                                        "device decommissioned"));
                    }
                }
            }
            remember(event);
            alerts.forEach(a -> a.setRulesVersion(to));
            return new Output("APPLIED", false, twin(), derived, alerts);
        }

        private Output observe(
                DeviceEvent event, LogPosition position, SilenceObserved observation) {
            boolean holds =
                    known()
                            && settings.silenceMillis > 0
                            && !frozen()
                            && !offline()
                            && lastApplied()
                                    .event
                                    .getEventId()
                                    .equals(observation.getLastEventId());
            if (!holds) {
                entries.add(new Entry(event, position, "OBSERVATION_OUTDATED", false));
                return new Output("OBSERVATION_OUTDATED", false, null, List.of(), List.of());
            }
            List<TwinEvent> derived = new ArrayList<>();
            List<Alert> alerts = new ArrayList<>();
            goOffline(derived, alerts);
            alerts.forEach(a -> a.setRulesVersion(version()));
            entries.add(new Entry(event, position, "SILENCE_OBSERVED", false));
            return new Output("SILENCE_OBSERVED", false, twin(), derived, alerts);
        }

        /**
         * WentOffline and the silence alert, caused by the last applied event, at last seen plus
         * the timeout.
         */
        private void goOffline(List<TwinEvent> derived, List<Alert> alerts) {
            Entry last = lastApplied();
            long offlineSince = lastSeen() + settings.silenceMillis;
            derived.add(
                    derived(
                            "went-offline",
                            offlineSince,
                            last.ref(),
                            new WentOffline(
                                    Instant.ofEpochMilli(lastSeen()), settings.silenceMillis)));
            alerts.add(
                    alert(
                            SpecIds.alert(device, SILENCE_RULE, last.event.getEventId()),
                            SILENCE_RULE,
                            AlertStatus.RAISED,
                            Severity.WARNING,
                            null,
                            null,
                            null,
                            offlineSince,
                            offlineSince,
                            last.ref(),
                            "no event for " + settings.silenceMillis + " ms"));
        }

        /**
         * An event that is not applied: counted and the twin published again, unless there is no
         * twin yet (such an event never creates one) or it is frozen.
         */
        private Output record(
                DeviceEvent event,
                LogPosition position,
                String outcome,
                boolean frozen,
                boolean late,
                List<TwinEvent> derived,
                List<Alert> alerts) {
            boolean counted = known() && !frozen;
            entries.add(new Entry(event, position, outcome, counted));
            return new Output(outcome, late, counted ? twin() : null, derived, alerts);
        }

        /** The dedup memory after applying the event: see docs/FOLD.md, bounded dedup memory. */
        private void remember(DeviceEvent event) {
            if (event.getPayload() instanceof DeviceDecommissioned) {
                memory.clear();
                return;
            }
            memory.put(event.getEventId(), event.getEventTime().toEpochMilli());
            long cutoff = lastSeen() - settings.windowMillis;
            List<Map.Entry<String, Long>> inWindow =
                    new ArrayList<>(
                            memory.entrySet().stream()
                                    .filter(e -> e.getValue() >= cutoff)
                                    .map(e -> Map.entry(e.getKey(), e.getValue()))
                                    .toList());
            if (inWindow.size() > settings.maxIds) {
                inWindow.sort(
                        Map.Entry.<String, Long>comparingByValue()
                                .thenComparing(Map.Entry.comparingByKey()));
                memory.clear();
                inWindow.subList(inWindow.size() - settings.maxIds * 3 / 4, inWindow.size())
                        .forEach(e -> memory.put(e.getKey(), e.getValue()));
            }
        }

        /**
         * The alerts of a telemetry event: for each reading that becomes its metric's latest, the
         * metric's rules in file order.
         */
        private List<Alert> ruleTransitions(
                TelemetryReported telemetry,
                Map<String, Reading> before,
                Map<String, RuleEpisode> episodesBefore,
                long time,
                EventRef cause,
                int version) {
            List<Alert> alerts = new ArrayList<>();
            Map<String, RuleEpisode> episodesAfter = episodes(applied());
            for (String metric : new TreeSet<>(telemetry.getReadings().keySet())) {
                Reading previous = before.get(metric);
                if (previous != null
                        && !newer(
                                time,
                                cause.getEventId(),
                                previous.getEventTime().toEpochMilli(),
                                previous.getEventId())) {
                    continue;
                }
                double reading = telemetry.getReadings().get(metric);
                for (SpecRule rule : rulesByVersion.get(version)) {
                    if (!rule.metric().equals(metric)) {
                        continue;
                    }
                    var observed = rule.observed(previous, reading, time);
                    if (observed.isEmpty()) {
                        continue;
                    }
                    double value = observed.getAsDouble();
                    RuleEpisode was = episodesBefore.getOrDefault(rule.id(), RuleEpisode.NONE);
                    RuleEpisode now = episodesAfter.getOrDefault(rule.id(), RuleEpisode.NONE);
                    if (was.openedBy == null && now.openedBy != null) {
                        alerts.add(
                                alert(
                                        now.alertId,
                                        rule.id(),
                                        AlertStatus.RAISED,
                                        rule.severity(),
                                        rule.metric(),
                                        value,
                                        rule.threshold(),
                                        time,
                                        time,
                                        cause,
                                        rule.describe(value)
                                                + (rule.above() ? " above " : " below ")
                                                + rule.describeBound(rule.threshold())
                                                + (rule.holdMillis() == 0
                                                        ? ""
                                                        : " for " + rule.holdMillis() + " ms")));
                    } else if (was.openedBy != null && now.openedBy == null) {
                        alerts.add(
                                alert(
                                        was.alertId,
                                        rule.id(),
                                        AlertStatus.CLEARED,
                                        rule.severity(),
                                        rule.metric(),
                                        value,
                                        rule.clearBound(),
                                        was.raisedAt,
                                        time,
                                        cause,
                                        rule.describe(value)
                                                + (rule.above() ? " back below " : " back above ")
                                                + rule.describeBound(rule.clearBound())));
                    }
                }
            }
            return alerts;
        }

        // --- answers by scanning the history
        // ---------------------------------------------------------

        boolean known() {
            return entries.stream().anyMatch(Entry::applied);
        }

        List<Entry> applied() {
            return entries.stream().filter(Entry::applied).toList();
        }

        Entry lastApplied() {
            List<Entry> applied = applied();
            return applied.get(applied.size() - 1);
        }

        /** The rules version the device was last judged by (0 before any applied event). */
        int version() {
            List<Entry> applied = applied();
            return applied.isEmpty() ? 0 : applied.get(applied.size() - 1).version;
        }

        long lastSeen() {
            return applied().stream().mapToLong(Entry::time).max().orElseThrow();
        }

        DeviceStatus status() {
            List<Entry> applied = applied();
            if (applied.stream()
                    .anyMatch(e -> e.event.getPayload() instanceof DeviceDecommissioned)) {
                return DeviceStatus.DECOMMISSIONED;
            }
            return applied.stream().anyMatch(e -> e.event.getPayload() instanceof DeviceRegistered)
                    ? DeviceStatus.ACTIVE
                    : DeviceStatus.UNREGISTERED;
        }

        boolean frozen() {
            return status() == DeviceStatus.DECOMMISSIONED;
        }

        /** Offline from a silence observation that held until the next applied event. */
        boolean offline() {
            for (int i = entries.size() - 1; i >= 0; i--) {
                if (entries.get(i).applied()) {
                    return false;
                }
                if (entries.get(i).outcome.equals("SILENCE_OBSERVED")) {
                    return true;
                }
            }
            return false;
        }

        /**
         * Latest reading per metric: the applied telemetry with the greatest (event time, event
         * id); on a tie, the first.
         */
        Map<String, Reading> readings() {
            Map<String, Reading> latest = new TreeMap<>();
            for (Entry entry : applied()) {
                if (entry.event.getPayload() instanceof TelemetryReported telemetry) {
                    telemetry
                            .getReadings()
                            .forEach(
                                    (metric, value) -> {
                                        Reading current = latest.get(metric);
                                        if (current == null
                                                || newer(
                                                        entry.time(),
                                                        entry.event.getEventId(),
                                                        current.getEventTime().toEpochMilli(),
                                                        current.getEventId())) {
                                            latest.put(
                                                    metric,
                                                    new Reading(
                                                            value,
                                                            entry.event.getEventTime(),
                                                            entry.event.getEventId()));
                                        }
                                    });
                }
            }
            return latest;
        }

        /**
         * The applied registration or firmware update with the greatest (event time, event id); on
         * a tie, the first.
         */
        Entry newestFirmware(List<Entry> applied) {
            Entry newest = null;
            for (Entry entry : applied) {
                if (firmwareOf(entry) != null
                        && (newest == null
                                || newer(
                                        entry.time(),
                                        entry.event.getEventId(),
                                        newest.time(),
                                        newest.event.getEventId()))) {
                    newest = entry;
                }
            }
            return newest;
        }

        /**
         * Each rule's episode after the given applied events: the readings that became their
         * metric's latest, in log order, run through "raise on the first breaching reading at least
         * holdFor after the first of the uninterrupted breach; clear beyond the deadband";
         * decommissioning closes all.
         */
        Map<String, RuleEpisode> episodes(List<Entry> applied) {
            Map<String, RuleEpisode> episodes = new HashMap<>();
            Map<String, Reading> latest = new HashMap<>();
            int version = 0;
            for (Entry entry : applied) {
                if (entry.version > version) {
                    // a newer rules version: what it removes or redefines starts from nothing
                    for (String id : new ArrayList<>(episodes.keySet())) {
                        SpecRule now = ruleOf(entry.version, id);
                        if (now == null || !now.equals(ruleOf(version, id))) {
                            episodes.remove(id);
                        }
                    }
                    version = entry.version;
                }
                if (entry.event.getPayload() instanceof DeviceDecommissioned) {
                    episodes.clear();
                    continue;
                }
                if (!(entry.event.getPayload() instanceof TelemetryReported telemetry)) {
                    continue;
                }
                for (String metric : new TreeSet<>(telemetry.getReadings().keySet())) {
                    Reading current = latest.get(metric);
                    if (current != null
                            && !newer(
                                    entry.time(),
                                    entry.event.getEventId(),
                                    current.getEventTime().toEpochMilli(),
                                    current.getEventId())) {
                        continue;
                    }
                    double reading = telemetry.getReadings().get(metric);
                    latest.put(
                            metric,
                            new Reading(
                                    reading, entry.event.getEventTime(), entry.event.getEventId()));
                    for (SpecRule rule : rulesByVersion.get(version)) {
                        var observed = rule.observed(current, reading, entry.time());
                        if (rule.metric().equals(metric) && observed.isPresent()) {
                            episodes.put(
                                    rule.id(),
                                    episodes.getOrDefault(rule.id(), RuleEpisode.NONE)
                                            .next(
                                                    rule,
                                                    observed.getAsDouble(),
                                                    entry.time(),
                                                    entry.event.getEventId(),
                                                    device));
                        }
                    }
                }
            }
            return episodes;
        }

        DeviceTwin twin() {
            List<Entry> applied = applied();
            Entry registration =
                    applied.stream()
                            .filter(e -> e.event.getPayload() instanceof DeviceRegistered)
                            .findFirst()
                            .orElse(null);
            Entry decommissioning =
                    applied.stream()
                            .filter(e -> e.event.getPayload() instanceof DeviceDecommissioned)
                            .findFirst()
                            .orElse(null);
            Entry firmware = newestFirmware(applied);
            TreeSet<String> active = new TreeSet<>();
            episodes(applied)
                    .forEach(
                            (rule, episode) -> {
                                if (episode.openedBy != null) {
                                    active.add(rule);
                                }
                            });
            if (offline()) {
                active.add(SILENCE_RULE);
            }
            return DeviceTwin.newBuilder()
                    .setDeviceId(device)
                    .setStatus(status())
                    .setOnline(!offline())
                    .setModel(
                            registration == null
                                    ? null
                                    : ((DeviceRegistered) registration.event.getPayload())
                                            .getModel())
                    .setFirmwareVersion(firmware == null ? null : firmwareOf(firmware))
                    .setFirmwareUpdatedAt(firmware == null ? null : firmware.event.getEventTime())
                    .setTags(
                            registration == null
                                    ? new HashMap<>()
                                    : new HashMap<>(
                                            ((DeviceRegistered) registration.event.getPayload())
                                                    .getTags()))
                    .setReadings(new HashMap<>(readings()))
                    .setRegisteredAt(
                            registration == null ? null : registration.event.getEventTime())
                    .setDecommissionedAt(
                            decommissioning == null ? null : decommissioning.event.getEventTime())
                    .setDecommissionReason(
                            decommissioning == null
                                    ? null
                                    : ((DeviceDecommissioned) decommissioning.event.getPayload())
                                            .getReason())
                    .setFirstSeen(
                            Instant.ofEpochMilli(
                                    applied.stream().mapToLong(Entry::time).min().orElseThrow()))
                    .setLastSeen(Instant.ofEpochMilli(lastSeen()))
                    .setCounters(
                            new TwinCounters(
                                    (long) applied.size(),
                                    counted("DUPLICATE"),
                                    counted("LATE"),
                                    counted("REJECTED")))
                    .setLastEvent(lastApplied().ref())
                    .setActiveAlerts(new ArrayList<>(active))
                    .setRulesVersion(version())
                    .build();
        }

        /** Events with this outcome that the twin counted. */
        private long counted(String outcome) {
            return entries.stream().filter(e -> e.outcome.equals(outcome) && e.counted).count();
        }

        private TwinEvent derived(String kind, long time, EventRef cause, Object payload) {
            return TwinEvent.newBuilder()
                    .setEventId(SpecIds.derived(device, kind, cause.getEventId()))
                    .setDeviceId(device)
                    .setEventTime(Instant.ofEpochMilli(time))
                    .setCause(cause)
                    .setPayload(payload)
                    .build();
        }

        private Alert alert(
                String id,
                String rule,
                AlertStatus status,
                Severity severity,
                String metric,
                Double value,
                Double threshold,
                long raisedAt,
                long time,
                EventRef cause,
                String message) {
            return Alert.newBuilder()
                    .setAlertId(id)
                    .setDeviceId(device)
                    .setRuleId(rule)
                    .setStatus(status)
                    .setSeverity(severity)
                    .setMetric(metric)
                    .setValue(value)
                    .setThreshold(threshold)
                    .setRaisedAt(Instant.ofEpochMilli(raisedAt))
                    .setEventTime(Instant.ofEpochMilli(time))
                    .setCause(cause)
                    .setMessage(message)
                    .build();
        }
    }

    /**
     * One rule's episode: open (with the event that opened it) or not, and since when a breach is
     * pending.
     */
    private record RuleEpisode(String openedBy, String alertId, long raisedAt, Long pendingSince) {
        static final RuleEpisode NONE = new RuleEpisode(null, null, 0, null);

        RuleEpisode next(SpecRule rule, double value, long time, String eventId, String device) {
            if (openedBy != null) {
                return rule.clearing(value) ? NONE : this;
            }
            if (!rule.breaching(value)) {
                return NONE;
            }
            long since = pendingSince == null ? time : pendingSince;
            return time - since >= rule.holdMillis()
                    ? new RuleEpisode(
                            eventId, SpecIds.alert(device, rule.id(), eventId), time, null)
                    : new RuleEpisode(null, null, 0, since);
        }
    }

    /** The rule with this id in a version, or null if the version has none. */
    private SpecRule ruleOf(int version, String id) {
        return rulesByVersion.get(version).stream()
                .filter(r -> r.id().equals(id))
                .findFirst()
                .orElse(null);
    }

    /** Greater event time wins; on a tie, the greater event id; an equal pair is not newer. */
    private static boolean newer(long time, String id, long otherTime, String otherId) {
        return time > otherTime || time == otherTime && id.compareTo(otherId) > 0;
    }

    private static String firmwareOf(Entry entry) {
        Object payload = entry.event.getPayload();
        return payload instanceof FirmwareUpdated update
                ? update.getVersion()
                : payload instanceof DeviceRegistered registration
                        ? registration.getFirmwareVersion()
                        : null;
    }

    private static String kindName(Object payload) {
        return payload instanceof DeviceRegistered
                ? "registration"
                : payload instanceof TelemetryReported
                        ? "telemetry"
                        : payload instanceof FirmwareUpdated
                                ? "firmware update"
                                : "decommissioning";
    }
}
