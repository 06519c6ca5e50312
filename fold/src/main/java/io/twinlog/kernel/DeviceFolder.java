package io.twinlog.kernel;

import io.twinlog.alerts.RuleCatalog;
import io.twinlog.alerts.RuleVersions;
import io.twinlog.schema.common.LogPosition;
import io.twinlog.schema.event.DeviceEvent;
import io.twinlog.schema.rules.RuleSet;
import io.twinlog.schema.state.DeviceState;
import io.twinlog.twin.BucketedSeenEventIds;
import io.twinlog.twin.DeviceFold;
import io.twinlog.twin.FoldFailure;
import io.twinlog.twin.FoldResult;
import io.twinlog.twin.Outcome;
import io.twinlog.twin.PendingBuckets;
import java.util.function.Consumer;

/**
 * The third step, per device: one stamped event folded into the device's stored state. It keeps the
 * rules versions announced to it ({@link #announce}) and folds with the one the event was stamped
 * with. A fold that throws is quarantined (docs/LIMITS.md, "When the fold fails"): nothing is
 * stored, the result is a {@link Outcome#FOLD_FAILED} dead letter, and the rest goes on.
 */
public final class DeviceFolder {

    private final DeviceFold fold;
    private final RuleCatalog catalog;
    private final Consumer<FoldFailureReport> failures;
    private int spillAt = BucketedSeenEventIds.SPILL_AT;

    /** What a quarantined fold threw, for the engine's log. */
    public record FoldFailureReport(
            DeviceEvent event, LogPosition position, RuntimeException error) {}

    public DeviceFolder(DeviceFold fold) {
        this(fold, report -> {});
    }

    /**
     * @param failures told of each quarantined fold (the job logs them)
     */
    public DeviceFolder(DeviceFold fold, Consumer<FoldFailureReport> failures) {
        this.fold = fold;
        this.catalog = fold.newCatalog();
        this.failures = failures;
    }

    /**
     * Spills the dedup memory every {@code ids} ids instead of {@value
     * BucketedSeenEventIds#SPILL_AT} (tests: short histories reach the buckets).
     */
    public DeviceFolder spillingEvery(int ids) {
        this.spillAt = ids;
        return this;
    }

    /** A rules version a partition activated: events stamped with it may follow. */
    public void announce(RuleSet ruleSet) {
        catalog.add(ruleSet);
    }

    public RuleCatalog catalog() {
        return catalog;
    }

    public DeviceFold fold() {
        return fold;
    }

    /**
     * Folds the event into the store's state.
     *
     * @throws IllegalStateException if the stamp names a version never announced: events are
     *     stamped only with versions announced ahead of them, so this is a bug of the engine, not a
     *     property of the data, and it is not quarantined
     */
    public FoldResult fold(
            DeviceStore store, DeviceEvent event, LogPosition position, RuleVersions.Stamp stamp) {
        catalog.get(stamp.fingerprint());
        DeviceState state = store.load();
        PendingBuckets pending = new PendingBuckets(store.buckets());
        BucketedSeenEventIds seen = BucketedSeenEventIds.of(state, pending, spillAt);
        boolean olderLayout = BucketedSeenEventIds.holdsOlderLayout(state);
        FoldResult result;
        try {
            if (olderLayout) {
                seen.adopt(store.olderLayoutIds());
                state.setSeenIds(seen.memory());
            }
            result = fold.apply(state, seen, event, position, stamp, catalog);
        } catch (DeviceStore.StoreException e) {
            throw e;
        } catch (RuntimeException e) {
            failures.accept(new FoldFailureReport(event, position, e));
            return FoldResult.deadLetter(Outcome.FOLD_FAILED, null, FoldFailure.of(e));
        }
        if (result.deadLetter() != null) {
            return result; // not folded: nothing changed
        }
        pending.commit();
        if (olderLayout) {
            store.dropOlderLayout();
        }
        DeviceState after = result.state() != null ? result.state() : state;
        if (after != null) {
            after.setSeenIds(seen.memory());
            store.store(after);
        }
        return result;
    }
}
