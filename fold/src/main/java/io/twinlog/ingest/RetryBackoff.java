package io.twinlog.ingest;

import java.time.Duration;

/** Exponential backoff between attempts: the initial delay, doubled up to the maximum. */
public final class RetryBackoff {

    private final long initialMillis;
    private final long maxMillis;
    private long nextMillis;

    public RetryBackoff(Duration initial, Duration max) {
        this.initialMillis = initial.toMillis();
        this.maxMillis = max.toMillis();
        this.nextMillis = initialMillis;
    }

    /** The delay before the next attempt; each call doubles the following one. */
    public long nextDelayMillis() {
        long delay = nextMillis;
        nextMillis = Math.min(maxMillis, nextMillis * 2);
        return delay;
    }

    public void reset() {
        nextMillis = initialMillis;
    }
}
