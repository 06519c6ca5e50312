package io.twinlog.kernel;

import io.twinlog.schema.common.LogPosition;
import io.twinlog.twin.DeviceFold;
import io.twinlog.twin.FoldResult;
import java.io.IOException;
import java.util.function.Function;

/**
 * The whole kernel for an engine that reads the log in one thread: admission, routing and the fold,
 * composed as the job composes them across its operators. Every replay (state verification,
 * backtests, the read side, the Kafka Streams baseline) folds the log through this, and nothing
 * else turns records of the log into fold results.
 */
public final class ReplayKernel {

    /**
     * What one record did.
     *
     * @param routed what the record is, with its rules version if an event
     * @param folded the fold's result for an event, else null
     */
    public record Step(LogRouter.Routed routed, FoldResult folded) {}

    private final LogAdmission admission;
    private final LogRouter router;
    private final DeviceFolder folder;

    public ReplayKernel(LogAdmission admission, DeviceFold fold) {
        this(admission, new LogRouter(), new DeviceFolder(fold));
    }

    public ReplayKernel(LogAdmission admission, LogRouter router, DeviceFolder folder) {
        this.admission = admission;
        this.router = router;
        this.folder = folder;
    }

    /**
     * One record, in its partition's order (records of different partitions may interleave in any
     * way).
     *
     * @param stores where each device's state is kept
     */
    public Step apply(LogRecord record, Function<String, DeviceStore> stores) throws IOException {
        LogRouter.Routed routed = router.route(admission.admit(record), record.position());
        FoldResult folded = null;
        if (routed instanceof LogRouter.Activated activated) {
            folder.announce(activated.ruleSet());
        } else if (routed instanceof LogRouter.Stamped stamped) {
            LogPosition position = record.position();
            folded =
                    folder.fold(
                            stores.apply(stamped.event().getDeviceId()),
                            stamped.event(),
                            position,
                            stamped.stamp());
        }
        return new Step(routed, folded);
    }

    public LogRouter router() {
        return router;
    }

    public DeviceFolder folder() {
        return folder;
    }
}
