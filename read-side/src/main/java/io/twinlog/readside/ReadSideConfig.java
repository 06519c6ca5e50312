package io.twinlog.readside;

import io.twinlog.jobs.config.DeviceTwinJobOptions;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.Supplier;

/**
 * Where the read side reads and keeps its index, and the semantic options of the job whose outputs
 * it answers for (the fold must be the job's, or its answers are not the job's).
 *
 * @param job the job's options, asked at every query: they may change while the service runs (a new
 *     submission), and the index, which holds no semantics, does not have to be rebuilt
 * @param maxDeviceRecords a device with more records is refused by history and as-of queries rather
 *     than folded in one request (memory and time bound against a device that floods)
 */
public record ReadSideConfig(
        Supplier<DeviceTwinJobOptions> job,
        String bootstrapServers,
        String registryUrl,
        Duration timeout,
        Path indexDir,
        int maxDeviceRecords) {

    public static final int DEFAULT_MAX_DEVICE_RECORDS = 200_000;
}
