package io.twinlog.readside.views;

import io.twinlog.schema.alert.Alert;
import io.twinlog.schema.alert.AlertStatus;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * The alerts the job committed, as the read side follows them: the episodes open now, the most
 * recent transitions, and listeners told of each new one (the live stream). A device's whole alert
 * history is in the index.
 */
public final class AlertBoard {

    /** Transitions kept in memory for the live page; older ones are read per device. */
    static final int RECENT = 1_000;

    private final Map<String, Alert> open = new ConcurrentHashMap<>();

    /** The same open episodes by device, for a device's page without scanning them all. */
    private final Map<String, Map<String, Alert>> openByDevice = new ConcurrentHashMap<>();

    private final ArrayDeque<Alert> recent = new ArrayDeque<>();
    private final List<Consumer<Alert>> listeners = new CopyOnWriteArrayList<>();

    /** A transition read from the alerts topic, in the topic's order. */
    public void accept(Alert alert, boolean live) {
        track(alert);
        synchronized (recent) {
            recent.addFirst(alert);
            if (recent.size() > RECENT) {
                recent.removeLast();
            }
        }
        if (live) {
            listeners.forEach(listener -> listener.accept(alert));
        }
    }

    /** Opens or closes the transition's episode. */
    private void track(Alert alert) {
        String id = alert.getAlertId().toString();
        String device = alert.getDeviceId().toString();
        if (alert.getStatus() == AlertStatus.RAISED) {
            open.put(id, alert);
            openByDevice.computeIfAbsent(device, d -> new ConcurrentHashMap<>()).put(id, alert);
        } else {
            open.remove(id);
            openByDevice.computeIfPresent(
                    device,
                    (d, alerts) -> {
                        alerts.remove(id);
                        return alerts.isEmpty() ? null : alerts;
                    });
        }
    }

    /**
     * The views after a restart, from every transition in the index (grouped by device, each
     * device's in log order), handed over one at a time: the open episodes, and the latest
     * transitions by event time. Memory holds what the views keep (the open episodes and {@value
     * #RECENT} transitions), not the index's millions.
     */
    public Restore restore() {
        clear();
        return new Restore();
    }

    /** A restore in progress: {@link #accept} each transition, then {@link #finish}. */
    public final class Restore {

        private static final Comparator<Alert> BY_TIME =
                Comparator.comparing(Alert::getEventTime)
                        .thenComparing(a -> a.getAlertId().toString())
                        .thenComparing(Alert::getStatus);

        // The newest RECENT so far, oldest on top so that it is the one to drop.
        private final PriorityQueue<Alert> newest = new PriorityQueue<>(RECENT + 1, BY_TIME);

        public void accept(Alert alert) {
            track(alert);
            newest.add(alert);
            if (newest.size() > RECENT) {
                newest.poll();
            }
        }

        public void finish() {
            List<Alert> byTime = new ArrayList<>(newest);
            byTime.sort(BY_TIME);
            synchronized (recent) {
                recent.clear();
                byTime.forEach(recent::addFirst);
            }
        }
    }

    public void clear() {
        open.clear();
        openByDevice.clear();
        synchronized (recent) {
            recent.clear();
        }
    }

    /** Open episodes, newest first, optionally of one rule. */
    public List<Alert> open(String rule) {
        List<Alert> alerts = new ArrayList<>();
        for (Alert alert : open.values()) {
            if (rule == null || alert.getRuleId().toString().equals(rule)) {
                alerts.add(alert);
            }
        }
        alerts.sort(
                Comparator.comparing(Alert::getEventTime)
                        .reversed()
                        .thenComparing(a -> a.getAlertId().toString()));
        return alerts;
    }

    /** A device's open episodes, newest first. */
    public List<Alert> openOf(String device) {
        List<Alert> alerts = new ArrayList<>(openByDevice.getOrDefault(device, Map.of()).values());
        alerts.sort(Comparator.comparing(Alert::getEventTime).reversed());
        return alerts;
    }

    public int openCount() {
        return open.size();
    }

    /** The latest transitions, newest first. */
    public List<Alert> recent(String rule, int limit) {
        List<Alert> alerts = new ArrayList<>();
        synchronized (recent) {
            for (Alert alert : recent) {
                if (alerts.size() == limit) {
                    break;
                }
                if (rule == null || alert.getRuleId().toString().equals(rule)) {
                    alerts.add(alert);
                }
            }
        }
        return alerts;
    }

    public void subscribe(Consumer<Alert> listener) {
        listeners.add(listener);
    }

    public void unsubscribe(Consumer<Alert> listener) {
        listeners.remove(listener);
    }

    public int subscribers() {
        return listeners.size();
    }
}
