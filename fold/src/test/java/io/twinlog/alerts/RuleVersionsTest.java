package io.twinlog.alerts;

import static org.assertj.core.api.Assertions.assertThat;

import io.twinlog.alerts.RuleVersions.Activated;
import io.twinlog.alerts.RuleVersions.Stamp;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Stamping events with rules versions by their partition's markers, with literal expectations. */
class RuleVersionsTest {

    @Test
    void eventsBeforeAnyMarkerGetVersionZeroAndAfterItTheVersionTheirPartitionActivated() {
        RuleVersions versions = new RuleVersions();
        assertThat(versions.stamp(0, 1_000)).isEqualTo(Stamp.INITIAL);

        versions.activate(new Activated(0, 1, 11L, null));

        assertThat(versions.stamp(0, 1_000)).isEqualTo(new Stamp(1, 11L));
        assertThat(versions.stamp(1, 1_000)).as("another partition").isEqualTo(Stamp.INITIAL);
    }

    @Test
    void aVersionEffectiveLaterAppliesFromItsEventTimeOnAndTheOlderOneBeforeIt() {
        RuleVersions versions = new RuleVersions();
        versions.activate(new Activated(0, 1, 11L, null));
        versions.activate(new Activated(0, 2, 22L, 5_000L));

        assertThat(versions.stamp(0, 4_999)).isEqualTo(new Stamp(1, 11L));
        assertThat(versions.stamp(0, 5_000)).isEqualTo(new Stamp(2, 22L));
    }

    @Test
    void aVersionEffectiveNoLaterThanAnOlderOneHidesItForGood() {
        RuleVersions versions = new RuleVersions();
        versions.activate(new Activated(0, 1, 11L, 5_000L));
        versions.activate(new Activated(0, 2, 22L, 3_000L));

        assertThat(versions.stamp(0, 6_000)).isEqualTo(new Stamp(2, 22L));
        assertThat(versions.stamp(0, 2_000)).isEqualTo(Stamp.INITIAL);
        assertThat(versions.all()).extracting(Activated::version).containsExactly(2);
    }

    @Test
    void versionsOnlyMoveForwardInAPartition() {
        RuleVersions versions = new RuleVersions();
        versions.activate(new Activated(0, 2, 22L, null));

        assertThat(versions.refusal(0, 2))
                .isEqualTo(
                        "rules version 2 is not newer than version 2, which partition 0 activated"
                                + " already");
        assertThat(versions.refusal(0, 1)).isNotNull();
        assertThat(versions.refusal(0, 3)).isNull();
        assertThat(versions.refusal(1, 1)).isNull();
    }

    @Test
    void theChainOfPendingVersionsIsBounded() {
        RuleVersions versions = new RuleVersions();
        for (int v = 1; v <= RuleVersions.MAX_CHAIN + 5; v++) {
            versions.activate(new Activated(0, v, v, (long) v * 1_000));
        }
        assertThat(versions.all()).hasSize(RuleVersions.MAX_CHAIN);
        assertThat(versions.all().get(0).version()).isEqualTo(6);
    }

    @Test
    void aRestoreFromUnionStateWithAStaleCopyRebuildsTheOwnersChain() {
        RuleVersions owner = new RuleVersions();
        owner.activate(new Activated(0, 1, 11L, null));
        owner.activate(new Activated(0, 2, 22L, null));
        owner.activate(new Activated(0, 3, 33L, 9_000L));
        List<Activated> union = new ArrayList<>(owner.all());
        union.add(new Activated(0, 1, 11L, null)); // another subtask's stale copy

        RuleVersions restored = new RuleVersions();
        restored.restore(union);

        assertThat(restored.all()).isEqualTo(owner.all());
        assertThat(restored.stamp(0, 1_000)).isEqualTo(new Stamp(2, 22L));
        assertThat(restored.stamp(0, 9_000)).isEqualTo(new Stamp(3, 33L));
    }
}
