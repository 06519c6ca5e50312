package io.twinlog.readside;

import io.twinlog.options.DeviceTwinJobOptions;
import io.twinlog.readside.group.GroupConfig;
import io.twinlog.registry.RegistryAuth;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Properties;
import java.util.function.Supplier;

/**
 * Where the read side reads and keeps its index, and the semantic options of the job whose outputs
 * it answers for (the fold must be the job's, or its answers are not the job's).
 *
 * @param job the job's options, asked at every query: they may change while the service runs (a new
 *     submission), and the index, which holds no semantics, does not have to be rebuilt
 * @param maxDeviceRecords the most alert transitions of one device, and rules markers, read into
 *     memory at once (413 beyond); history and as-of have no record bound (snapshots, a time budget
 *     per answer)
 * @param kafkaProperties client properties for a secured cluster, beneath the read side's own
 * @param registryAuth the registry's credentials and trusted certificates
 * @param group the group this instance shares the event log's partitions with, or null to index all
 *     of them alone (docs/READ-SIDE.md, "Several instances")
 */
public record ReadSideConfig(
        Supplier<DeviceTwinJobOptions> job,
        String bootstrapServers,
        String registryUrl,
        Duration timeout,
        Path indexDir,
        int maxDeviceRecords,
        Properties kafkaProperties,
        RegistryAuth registryAuth,
        GroupConfig group) {

    public static final int DEFAULT_MAX_DEVICE_RECORDS = 200_000;

    /** Alone: one instance indexes every partition. */
    public ReadSideConfig(
            Supplier<DeviceTwinJobOptions> job,
            String bootstrapServers,
            String registryUrl,
            Duration timeout,
            Path indexDir,
            int maxDeviceRecords,
            Properties kafkaProperties,
            RegistryAuth registryAuth) {
        this(
                job,
                bootstrapServers,
                registryUrl,
                timeout,
                indexDir,
                maxDeviceRecords,
                kafkaProperties,
                registryAuth,
                null);
    }

    /** With another group (or none). */
    public ReadSideConfig inGroup(GroupConfig group) {
        return new ReadSideConfig(
                job,
                bootstrapServers,
                registryUrl,
                timeout,
                indexDir,
                maxDeviceRecords,
                kafkaProperties,
                registryAuth,
                group);
    }

    /** On an unsecured cluster and registry. */
    public ReadSideConfig(
            Supplier<DeviceTwinJobOptions> job,
            String bootstrapServers,
            String registryUrl,
            Duration timeout,
            Path indexDir,
            int maxDeviceRecords) {
        this(
                job,
                bootstrapServers,
                registryUrl,
                timeout,
                indexDir,
                maxDeviceRecords,
                new Properties(),
                RegistryAuth.none());
    }
}
