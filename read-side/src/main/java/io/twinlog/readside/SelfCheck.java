package io.twinlog.readside;

import io.twinlog.readside.query.HistoryFold;
import io.twinlog.readside.query.Page;
import io.twinlog.readside.query.StateCheck;
import io.twinlog.readside.views.FleetEntry;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The service's continuous self-check: every interval, the next devices of the fleet (round robin)
 * are verified against their published twins ({@link ReadSide#verify}); mismatches are counted in
 * {@code twinlog_readside_verify_mismatches_total} and logged.
 */
public final class SelfCheck implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(SelfCheck.class);

    private final ReadSide readSide;
    private final int perRound;
    private final ScheduledExecutorService scheduler =
            Executors.newSingleThreadScheduledExecutor(
                    r -> {
                        Thread thread = new Thread(r, "read-side-self-check");
                        thread.setDaemon(true);
                        return thread;
                    });
    private String cursor;

    public SelfCheck(ReadSide readSide, int perRound) {
        this.readSide = readSide;
        this.perRound = perRound;
    }

    public SelfCheck start(Duration every) {
        scheduler.scheduleWithFixedDelay(
                this::round, every.toMillis(), every.toMillis(), TimeUnit.MILLISECONDS);
        return this;
    }

    void round() {
        if (readSide.lagging()) {
            return;
        }
        try {
            Page<FleetEntry> page = readSide.fleet().page(null, null, cursor, perRound);
            for (FleetEntry entry : page.items()) {
                if (!readSide.answersHere(entry.deviceId())) {
                    continue; // another instance of the group checks it
                }
                try {
                    if (readSide.verify(entry.deviceId()) == StateCheck.Verdict.MISMATCH) {
                        LOG.warn(
                                "device {}: the published twin is none of the read side's fold of its log",
                                entry.deviceId());
                    }
                } catch (HistoryFold.TooLongException e) {
                    // Checked by no query either; the round goes on with the next device.
                    LOG.debug("self-check skips {}", entry.deviceId(), e);
                }
            }
            cursor = page.next();
        } catch (RuntimeException e) {
            LOG.warn("self-check round failed", e);
        }
    }

    @Override
    public void close() {
        scheduler.shutdownNow();
    }
}
