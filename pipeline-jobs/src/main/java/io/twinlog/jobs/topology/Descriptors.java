package io.twinlog.jobs.topology;

import io.twinlog.schema.internal.SinkRecord;
import io.twinlog.schema.rules.RuleSet;
import io.twinlog.schema.state.ActivatedRules;
import io.twinlog.schema.state.DeviceState;
import io.twinlog.schema.state.SeenIdBucket;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;
import org.apache.flink.util.OutputTag;

/**
 * State descriptors and output tags of DeviceTwinJob, in one place. State names are part of the
 * savepoint format, like uids; the state types are Avro records, so they evolve by Avro's rules.
 */
public final class Descriptors {

    /** How {@link #DEVICE_STATE} is serialized (tests fold through it, too). */
    public static final AvroTypeInfo<DeviceState> DEVICE_STATE_TYPE =
            new AvroTypeInfo<>(DeviceState.class);

    /** How the values of {@link #SEEN_ID_BUCKETS} are serialized. */
    public static final AvroTypeInfo<SeenIdBucket> SEEN_ID_BUCKET_TYPE =
            new AvroTypeInfo<>(SeenIdBucket.class);

    /** The device's twin plus the fold's bookkeeping (alert episodes, silence, dedup counters). */
    public static final ValueStateDescriptor<DeviceState> DEVICE_STATE =
            new ValueStateDescriptor<>("device-state", DEVICE_STATE_TYPE);

    /**
     * The buckets the dedup memory spills its older ids into, by bucket number; the newest ids and
     * each bucket's Bloom filter are in {@link #DEVICE_STATE} ({@code BucketedSeenEventIds}).
     */
    public static final MapStateDescriptor<Integer, SeenIdBucket> SEEN_ID_BUCKETS =
            new MapStateDescriptor<>("seen-id-buckets", Types.INT, SEEN_ID_BUCKET_TYPE);

    /**
     * The dedup memory before 0.4.0: one entry per id, event id to event time. Read only to move a
     * restored device's ids into the current layout at its next event; never created otherwise.
     */
    public static final MapStateDescriptor<String, Long> SEEN_EVENT_IDS_BEFORE_0_4 =
            new MapStateDescriptor<>("seen-event-ids", Types.STRING, Types.LONG);

    /**
     * The fold operator's {@link io.twinlog.options.JobManifest} as JSON, in union list state: what
     * the state was built from, checked when a job restores it.
     */
    public static final ListStateDescriptor<String> JOB_MANIFEST =
            new ListStateDescriptor<>("twinlog-manifest", Types.STRING);

    /**
     * The routing operator's rules versions per partition of the log, in union list state (each
     * subtask stamps the partitions it reads; a rescale may move them), docs/RULES.md.
     */
    public static final ListStateDescriptor<ActivatedRules> ACTIVATED_RULES =
            new ListStateDescriptor<>("rules-activated", new AvroTypeInfo<>(ActivatedRules.class));

    /**
     * The rules versions announced to the fold, in union list state: every fold subtask knows every
     * version, whichever key groups it gets after a rescale.
     */
    public static final ListStateDescriptor<RuleSet> RULE_SETS =
            new ListStateDescriptor<>("rule-sets", new AvroTypeInfo<>(RuleSet.class));

    public static final OutputTag<SinkRecord> DEAD_LETTERS =
            new OutputTag<>("dead-letters", new AvroTypeInfo<>(SinkRecord.class));

    private Descriptors() {}
}
