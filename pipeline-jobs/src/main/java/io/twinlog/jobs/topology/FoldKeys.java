package io.twinlog.jobs.topology;

import io.twinlog.schema.internal.SourcedEvent;
import org.apache.flink.api.java.functions.KeySelector;

/**
 * How the fold's keyed state is partitioned: by device, the aggregate root, into a fixed number of
 * key groups.
 */
public final class FoldKeys {

    /**
     * Key groups of the fold's keyed state. Part of the savepoint format, like uids: the job can
     * scale up to this parallelism from any savepoint; changing it needs a rebuild from the log.
     */
    public static final int MAX_PARALLELISM = 1024;

    private FoldKeys() {}

    /** Everything about a device is decided by that device's events. */
    public static final class DeviceIdSelector implements KeySelector<SourcedEvent, String> {
        private static final long serialVersionUID = 1L;

        @Override
        public String getKey(SourcedEvent event) {
            return event.getEvent().getDeviceId();
        }
    }
}
