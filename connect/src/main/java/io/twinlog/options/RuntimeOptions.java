package io.twinlog.options;

import java.time.Duration;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ConfigOptions;

/** How the job runs on the cluster: checkpoints, the state backend, parallelism. */
public final class RuntimeOptions {

    public static final ConfigOption<Duration> CHECKPOINT_INTERVAL =
            ConfigOptions.key("checkpoint.interval")
                    .durationType()
                    .defaultValue(Duration.ofSeconds(10))
                    .withDescription(
                            "outputs become visible to read_committed consumers at each checkpoint");

    public static final ConfigOption<String> STATE_BACKEND =
            ConfigOptions.key("state.backend")
                    .stringType()
                    .defaultValue("cluster")
                    .withDescription("keyed state backend; cluster keeps the cluster's setting");

    public static final ConfigOption<Integer> PARALLELISM =
            ConfigOptions.key("parallelism")
                    .intType()
                    .defaultValue(0)
                    .withDescription("job parallelism; 0 takes the cluster's default");

    private RuntimeOptions() {}
}
