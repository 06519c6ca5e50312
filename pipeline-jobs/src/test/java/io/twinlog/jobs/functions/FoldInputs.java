package io.twinlog.jobs.functions;

import io.twinlog.schema.event.DeviceEvent;
import io.twinlog.schema.internal.FoldInput;
import io.twinlog.schema.internal.RawRecord;
import io.twinlog.schema.internal.SourcedEvent;

/** Inputs of the fold operator in harness tests. */
public final class FoldInputs {

    private FoldInputs() {}

    /** An event stamped with version 0 of the rules. */
    public static FoldInput event(DeviceEvent event, RawRecord raw) {
        return new FoldInput(new SourcedEvent(event, raw, 0, 0L));
    }
}
