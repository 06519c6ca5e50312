package io.twinlog.jobs.topology;

import io.twinlog.schema.internal.FoldInput;
import io.twinlog.schema.internal.RulesAnnouncement;
import io.twinlog.schema.internal.SourcedEvent;
import org.apache.flink.api.java.functions.KeySelector;
import org.apache.flink.runtime.state.KeyGroupRangeAssignment;

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

    /**
     * Everything about a device is decided by that device's events; a rules announcement goes to
     * the fold subtask its route names.
     */
    public static final class DeviceIdSelector implements KeySelector<FoldInput, String> {
        private static final long serialVersionUID = 1L;

        @Override
        public String getKey(FoldInput input) {
            return input.getValue() instanceof SourcedEvent sourced
                    ? sourced.getEvent().getDeviceId()
                    : ((RulesAnnouncement) input.getValue()).getRoute();
        }
    }

    /**
     * One key per fold subtask, in subtask order: sent along the same channels as the events, in
     * order with them, an announcement keyed by a route reaches its subtask before any event the
     * same upstream subtask stamps after it.
     */
    public static String[] routes(int parallelism) {
        String[] routes = new String[parallelism];
        int found = 0;
        for (int n = 0; found < parallelism; n++) {
            String key = "twinlog.rules-route-" + n;
            int subtask =
                    KeyGroupRangeAssignment.assignKeyToParallelOperator(
                            key, MAX_PARALLELISM, parallelism);
            if (routes[subtask] == null) {
                routes[subtask] = key;
                found++;
            }
        }
        return routes;
    }
}
