package io.twinlog.bench.compare;

import java.util.Map;

/** Something that folds the event log into the output topics: DeviceTwinJob or the baseline. */
interface Engine {

    /** The name in the report, e.g. {@code twinlog} or {@code kafka-streams}. */
    String name();

    /**
     * Submits a pass over the log with DeviceTwinJob's options and returns at once; the pass
     * reports when it runs.
     */
    Pass submit(Map<String, String> options) throws Exception;

    /** One pass over the log, from submission until it is stopped. */
    interface Pass extends AutoCloseable {

        /** True once every task processes records. */
        boolean running();

        /** Throws with the cause if the pass failed for good. */
        void checkAlive();

        /** The process that does the work (the TaskManager, the Streams application). */
        long workerPid();

        /** CPU seconds used so far by each process of this engine (broker and registry apart). */
        Map<String, Double> cpuSeconds();

        /**
         * What the engine's state store reports at the end of the pass (RocksDB's counters, state
         * size); empty where the engine does not expose it.
         */
        Map<String, Double> stateMetrics();

        /** Restarts after failures so far. */
        long restarts();

        @Override
        void close();
    }
}
