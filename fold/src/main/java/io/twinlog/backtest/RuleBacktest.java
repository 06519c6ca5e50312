package io.twinlog.backtest;

import io.twinlog.alerts.AlertRules;
import io.twinlog.alerts.RuleVersions;
import io.twinlog.kernel.DeviceFolder;
import io.twinlog.kernel.HeapDeviceStores;
import io.twinlog.kernel.LogAdmission;
import io.twinlog.kernel.LogRouter;
import io.twinlog.schema.RulesMarkers;
import io.twinlog.schema.alert.Alert;
import io.twinlog.schema.alert.AlertStatus;
import io.twinlog.schema.common.LogPosition;
import io.twinlog.schema.event.DeviceEvent;
import io.twinlog.schema.rules.RuleSet;
import io.twinlog.twin.DeviceFold;
import io.twinlog.twin.FoldResult;
import io.twinlog.twin.FoldSettings;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Predicate;

/**
 * Tries candidate alert rules on the log: every admitted event, in log order, goes through two
 * folds that differ only in their rules (the rules in force and the candidate), and the alert
 * episodes each produces are compared per rule. The folds are the job's own, so the answer is what
 * the job would have written with the candidate rules, ids included.
 *
 * <p>Each device is folded from its first event whatever the window, since an episode depends on
 * the readings before it; the window ({@code from} inclusive, {@code to} exclusive, event time)
 * selects the episodes compared, by when they were raised.
 */
public final class RuleBacktest {

    /** One alert episode: raised by an event, cleared by another (or still open at the end). */
    public record Episode(
            String alertId,
            String deviceId,
            String ruleId,
            Instant raisedAt,
            String raisedBy,
            double raisedValue,
            Instant clearedAt,
            String clearedBy) {

        boolean sameEndAs(Episode other) {
            return Objects.equals(clearedAt, other.clearedAt)
                    && Objects.equals(clearedBy, other.clearedBy);
        }

        /** Whether the two were open at a common instant (an open episode has no end). */
        boolean overlaps(Episode other) {
            boolean endsAfterOtherStarts = clearedAt == null || clearedAt.isAfter(other.raisedAt);
            boolean otherEndsAfterStart =
                    other.clearedAt == null || other.clearedAt.isAfter(raisedAt);
            return endsAfterOtherStarts && otherEndsAfterStart;
        }
    }

    /**
     * The same episode under both rule sets, raised or cleared at another time: either the same id
     * (same device, rule and raising event) ending differently, or, among the episodes left without
     * a match by id, a candidate episode open at a common time with one in force of the same device
     * (a stricter threshold raises it later, a narrower deadband clears it earlier). Each episode
     * pairs with at most one, the earliest raised first.
     */
    public record Changed(Episode inForce, Episode candidate) {}

    /** What the candidate changes for one rule. */
    public record RuleDiff(
            String ruleId,
            int inForce,
            int candidate,
            List<Episode> added,
            List<Episode> removed,
            List<Changed> changed,
            int devicesAffected) {

        public boolean differs() {
            return !added.isEmpty() || !removed.isEmpty() || !changed.isEmpty();
        }
    }

    private final Side inForce;
    private final Side candidate;
    private final Instant from;
    private final Instant to;
    private final Predicate<String> devices;
    private final TreeSet<String> ruleIds = new TreeSet<>();
    private final LogRouter router = new LogRouter();
    private long events;

    /**
     * @param from first raise time compared, or null for no lower bound
     * @param to first raise time not compared, or null for no upper bound
     * @param devices which devices to fold (others are skipped entirely)
     */
    public RuleBacktest(
            FoldSettings settings,
            AlertRules inForce,
            AlertRules candidate,
            Instant from,
            Instant to,
            Predicate<String> devices) {
        this.inForce = new Side(new DeviceFold(settings, inForce));
        this.candidate = new Side(new DeviceFold(settings, candidate));
        this.from = from;
        this.to = to;
        this.devices = devices;
        inForce.all().forEach(rule -> ruleIds.add(rule.id()));
        candidate.all().forEach(rule -> ruleIds.add(rule.id()));
    }

    /**
     * A record of the log as the kernel admitted it, in its partition's order: the rules in force
     * follow the versions the log activates, as the job's do (docs/RULES.md); the candidate applies
     * to every event.
     */
    public void accept(LogAdmission.Admitted admitted, LogPosition position) {
        LogRouter.Routed routed = router.route(admitted, position);
        if (routed instanceof LogRouter.Activated activated) {
            inForce.folder.announce(activated.ruleSet());
            inForce.folder
                    .catalog()
                    .get(RulesMarkers.fingerprint(activated.ruleSet()))
                    .rules()
                    .all()
                    .forEach(rule -> ruleIds.add(rule.id()));
        } else if (routed instanceof LogRouter.Stamped stamped
                && devices.test(stamped.event().getDeviceId())) {
            events++;
            inForce.apply(stamped.event(), position, stamped.stamp());
            candidate.apply(stamped.event(), position, RuleVersions.Stamp.INITIAL);
        }
    }

    /** The newest rules version the log activated so far (version 0 if none). */
    public AlertRules newestInForce() {
        var catalog = inForce.folder.catalog();
        List<RuleSet> published = catalog.published();
        return published.isEmpty()
                ? catalog.initial().rules()
                : catalog.get(RulesMarkers.fingerprint(published.get(published.size() - 1)))
                        .rules();
    }

    /** Events folded so far (the devices asked for only). */
    public long events() {
        return events;
    }

    /** Per rule of either set (silence excluded: both sets have the same), in rule id order. */
    public List<RuleDiff> compare() {
        Map<String, Map<String, Episode>> before = inForce.byRule();
        Map<String, Map<String, Episode>> after = candidate.byRule();
        TreeSet<String> rules = new TreeSet<>(ruleIds);
        List<RuleDiff> diffs = new ArrayList<>();
        for (String rule : rules) {
            Map<String, Episode> was = before.getOrDefault(rule, Map.of());
            Map<String, Episode> now = after.getOrDefault(rule, Map.of());
            List<Episode> added = new ArrayList<>();
            List<Episode> removed = new ArrayList<>();
            List<Changed> changed = new ArrayList<>();
            TreeSet<String> affected = new TreeSet<>();
            List<Episode> onlyNow = new ArrayList<>();
            List<Episode> onlyWas = new ArrayList<>();
            now.forEach(
                    (id, episode) -> {
                        Episode old = was.get(id);
                        if (old == null) {
                            onlyNow.add(episode);
                        } else if (!old.sameEndAs(episode)) {
                            changed.add(new Changed(old, episode));
                            affected.add(episode.deviceId());
                        }
                    });
            was.forEach(
                    (id, episode) -> {
                        if (!now.containsKey(id)) {
                            onlyWas.add(episode);
                        }
                    });
            pairByOverlap(onlyWas, onlyNow, changed);
            for (Episode episode : onlyNow) {
                added.add(episode);
                affected.add(episode.deviceId());
            }
            for (Episode episode : onlyWas) {
                removed.add(episode);
                affected.add(episode.deviceId());
            }
            changed.forEach(c -> affected.add(c.candidate().deviceId()));
            diffs.add(
                    new RuleDiff(
                            rule,
                            was.size(),
                            now.size(),
                            added,
                            removed,
                            changed,
                            affected.size()));
        }
        return diffs;
    }

    /**
     * Moves the episodes of the same device that overlap in time from the two lists into {@code
     * changed}, earliest raised first, each at most once.
     */
    private static void pairByOverlap(List<Episode> was, List<Episode> now, List<Changed> changed) {
        java.util.Comparator<Episode> raised =
                java.util.Comparator.comparing(Episode::raisedAt).thenComparing(Episode::alertId);
        Map<String, List<Episode>> wasByDevice = new java.util.HashMap<>();
        for (Episode episode : was) {
            wasByDevice.computeIfAbsent(episode.deviceId(), d -> new ArrayList<>()).add(episode);
        }
        wasByDevice.values().forEach(list -> list.sort(raised));
        now.sort(raised);
        java.util.Set<Episode> paired = new java.util.HashSet<>();
        List<Episode> unpaired = new ArrayList<>();
        for (Episode candidate : now) {
            Episode match = null;
            for (Episode old : wasByDevice.getOrDefault(candidate.deviceId(), List.of())) {
                if (!paired.contains(old) && old.overlaps(candidate)) {
                    match = old;
                    break;
                }
            }
            if (match == null) {
                unpaired.add(candidate);
            } else {
                paired.add(match);
                changed.add(new Changed(match, candidate));
            }
        }
        now.clear();
        now.addAll(unpaired);
        was.removeIf(paired::contains);
    }

    /**
     * One comparison from the comparisons of backtests that each folded a disjoint set of devices
     * (shards run in parallel): counts added up, episodes in the order they were raised (then by
     * device and id), whatever the number of shards.
     */
    public static List<RuleDiff> merge(List<List<RuleDiff>> shards) {
        Map<String, List<RuleDiff>> byRule = new TreeMap<>();
        shards.forEach(
                diffs ->
                        diffs.forEach(
                                d ->
                                        byRule.computeIfAbsent(d.ruleId(), r -> new ArrayList<>())
                                                .add(d)));
        java.util.Comparator<Episode> raised =
                java.util.Comparator.comparing(Episode::raisedAt)
                        .thenComparing(Episode::deviceId)
                        .thenComparing(Episode::alertId);
        List<RuleDiff> merged = new ArrayList<>();
        byRule.forEach(
                (rule, parts) -> {
                    List<Episode> added = new ArrayList<>();
                    List<Episode> removed = new ArrayList<>();
                    List<Changed> changed = new ArrayList<>();
                    int inForce = 0;
                    int candidate = 0;
                    int devices = 0;
                    for (RuleDiff part : parts) {
                        added.addAll(part.added());
                        removed.addAll(part.removed());
                        changed.addAll(part.changed());
                        inForce += part.inForce();
                        candidate += part.candidate();
                        devices += part.devicesAffected();
                    }
                    added.sort(raised);
                    removed.sort(raised);
                    changed.sort(java.util.Comparator.comparing(Changed::inForce, raised));
                    merged.add(
                            new RuleDiff(
                                    rule, inForce, candidate, added, removed, changed, devices));
                });
        return merged;
    }

    private boolean inWindow(Instant raisedAt) {
        return (from == null || !raisedAt.isBefore(from)) && (to == null || raisedAt.isBefore(to));
    }

    /** One fold over the log with its own states, collecting its episodes. */
    private final class Side {
        private final DeviceFolder folder;
        private final HeapDeviceStores states = new HeapDeviceStores();

        /** By alert id, in the order raised. */
        private final Map<String, Episode> episodes = new LinkedHashMap<>();

        Side(DeviceFold fold) {
            this.folder = new DeviceFolder(fold);
        }

        void apply(DeviceEvent event, LogPosition position, RuleVersions.Stamp stamp) {
            String device = event.getDeviceId();
            FoldResult result = folder.fold(states.of(device), event, position, stamp);
            for (Alert alert : result.alerts()) {
                if (alert.getRuleId().equals(AlertRules.SILENCE_RULE_ID)) {
                    continue;
                }
                if (alert.getStatus() == AlertStatus.RAISED) {
                    if (inWindow(alert.getRaisedAt())) {
                        episodes.put(
                                alert.getAlertId(),
                                new Episode(
                                        alert.getAlertId(),
                                        device,
                                        alert.getRuleId(),
                                        alert.getRaisedAt(),
                                        alert.getCause().getEventId(),
                                        alert.getValue() == null ? Double.NaN : alert.getValue(),
                                        null,
                                        null));
                    }
                } else {
                    episodes.computeIfPresent(
                            alert.getAlertId(),
                            (id, open) ->
                                    new Episode(
                                            open.alertId(),
                                            open.deviceId(),
                                            open.ruleId(),
                                            open.raisedAt(),
                                            open.raisedBy(),
                                            open.raisedValue(),
                                            alert.getEventTime(),
                                            alert.getCause().getEventId()));
                }
            }
        }

        Map<String, Map<String, Episode>> byRule() {
            Map<String, Map<String, Episode>> byRule = new TreeMap<>();
            episodes.forEach(
                    (id, episode) ->
                            byRule.computeIfAbsent(episode.ruleId(), r -> new LinkedHashMap<>())
                                    .put(id, episode));
            return byRule;
        }
    }
}
