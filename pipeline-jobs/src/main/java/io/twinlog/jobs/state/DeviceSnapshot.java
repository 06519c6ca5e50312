package io.twinlog.jobs.state;

import io.twinlog.schema.state.DeviceState;
import java.util.Map;

/**
 * Everything the fold keeps about one device: its state and its dedup memory (event id to event
 * time), as a savepoint holds them or a fold of the log computes them.
 */
public record DeviceSnapshot(DeviceState state, Map<String, Long> seenEventIds) {}
