package io.twinlog.jobs.topology;

import io.twinlog.schema.internal.SinkRecord;
import io.twinlog.schema.state.DeviceState;
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

    /** The device's twin plus the fold's bookkeeping (alert episodes, silence, dedup counters). */
    public static final ValueStateDescriptor<DeviceState> DEVICE_STATE =
            new ValueStateDescriptor<>("device-state", new AvroTypeInfo<>(DeviceState.class));

    /** Dedup memory: event id to event time of the applied events within the dedup window. */
    public static final MapStateDescriptor<String, Long> SEEN_EVENT_IDS =
            new MapStateDescriptor<>("seen-event-ids", Types.STRING, Types.LONG);

    /**
     * The fold operator's {@link io.twinlog.jobs.config.JobManifest} as JSON, in union list state:
     * what the state was built from, checked when a job restores it.
     */
    public static final ListStateDescriptor<String> JOB_MANIFEST =
            new ListStateDescriptor<>("twinlog-manifest", Types.STRING);

    public static final OutputTag<SinkRecord> DEAD_LETTERS =
            new OutputTag<>("dead-letters", new AvroTypeInfo<>(SinkRecord.class));

    private Descriptors() {}
}
