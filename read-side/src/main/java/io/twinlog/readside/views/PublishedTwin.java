package io.twinlog.readside.views;

import io.twinlog.readside.index.Position;
import io.twinlog.schema.twin.DeviceTwin;

/** A twin as the job published it, and where it stands on the twins topic. */
public record PublishedTwin(DeviceTwin twin, Position position) {}
