package io.twinlog.jobs.topology;

/**
 * The uids of DeviceTwinJob's operators. Savepoints map state to operators by these: changing one
 * orphans that operator's state in every user's savepoint. Add new ones; never rename.
 */
public final class Uids {

    public static final String EVENTS_SOURCE = "device-events-source";

    /**
     * The routing operator ({@code RouteRecords}): since 0.5.0 it also stamps rules versions and
     * holds their per-partition state; the uid keeps the name it had when it only routed dead
     * letters.
     */
    public static final String ROUTE_DEAD_LETTERS = "route-dead-letters";

    public static final String DEVICE_TWIN_FOLD = "device-twin-fold";
    public static final String OUTPUTS_SINK = "twinlog-outputs-sink";

    /** Since 0.2.0; before, dead letters went through the outputs sink. */
    public static final String DEAD_LETTERS_SINK = "dead-letters-sink";

    private Uids() {}
}
