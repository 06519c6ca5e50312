package io.twinlog.readside;

import io.twinlog.readside.query.HistoryFold;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps devices' snapshots up with the log in the background, so that the first question about a
 * long device does not have to fold all of it: the follower says how many records each device got,
 * and a device with {@code every} new records since it was last folded is folded to its end (which
 * keeps its snapshots). It waits until the index has caught up with the log, so that catching up
 * has both cores; what came in meanwhile is counted and folded then.
 */
final class Snapshotter implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Snapshotter.class);

    private final Map<String, Integer> pending = new ConcurrentHashMap<>();
    private final int every;
    private final BooleanSupplier caughtUp;
    private final Consumer<String> foldToEnd;
    private final Thread thread;
    private volatile boolean running = true;

    /**
     * @param foldToEnd folds a device from its newest snapshot to its last record
     */
    Snapshotter(int every, BooleanSupplier caughtUp, Consumer<String> foldToEnd) {
        this.every = every;
        this.caughtUp = caughtUp;
        this.foldToEnd = foldToEnd;
        this.thread = new Thread(this::run, "read-side-snapshots");
        thread.setDaemon(true);
        thread.setPriority(Thread.MIN_PRIORITY);
    }

    void start() {
        thread.start();
    }

    /** Records indexed per device in one write of the follower. */
    void indexed(Map<String, Integer> records) {
        records.forEach((device, count) -> pending.merge(device, count, Integer::sum));
    }

    /** Devices with enough new records for a snapshot that the background has not folded yet. */
    int waiting() {
        return (int) pending.values().stream().filter(count -> count >= every).count();
    }

    private void run() {
        while (running) {
            List<String> due = new ArrayList<>();
            if (caughtUp.getAsBoolean()) {
                pending.forEach(
                        (device, count) -> {
                            if (count >= every) {
                                due.add(device);
                            }
                        });
            }
            for (String device : due) {
                if (!running) {
                    return;
                }
                // Counted as waiting until its fold is done; records that come meanwhile stay.
                int taken = pending.getOrDefault(device, 0);
                try {
                    foldToEnd.accept(device);
                } catch (HistoryFold.TooLongException e) {
                    // the snapshots it kept stay; the next round goes on from the newest
                    continue;
                } catch (RuntimeException e) {
                    // unknown, split, a registry outage: a query will say so; nothing to keep
                    LOG.debug("no snapshot of {}: {}", device, e.getMessage());
                }
                pending.computeIfPresent(
                        device, (d, count) -> count - taken > 0 ? count - taken : null);
            }
            if (due.isEmpty()) {
                try {
                    Thread.sleep(1_000);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }
    }

    @Override
    public void close() {
        running = false;
        thread.interrupt();
        try {
            thread.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
