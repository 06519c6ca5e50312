package io.twinlog.readside;

import static org.assertj.core.api.Assertions.assertThat;

import io.twinlog.readside.query.StateCheck.Verdict;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Two instances' checks of one sample add up; a device nobody could check is listed once. */
class FleetCheckTest {

    @Test
    void theGroupsChecksAddUp() {
        FleetCheck one =
                new FleetCheck(
                        100,
                        Map.of(Verdict.MATCH, 30, Verdict.MISMATCH, 1),
                        List.of("d-7"),
                        List.of(),
                        List.of("d-moving"));
        FleetCheck other =
                new FleetCheck(
                        100,
                        Map.of(Verdict.MATCH, 60, Verdict.BEHIND, 2),
                        List.of("d-9"),
                        List.of("d-split"),
                        List.of("d-moving", "d-long"));

        FleetCheck both = one.with(other, 20);

        assertThat(both.devices()).isEqualTo(100);
        assertThat(both.counts())
                .isEqualTo(Map.of(Verdict.MATCH, 90, Verdict.MISMATCH, 1, Verdict.BEHIND, 2));
        assertThat(both.mismatches()).containsExactly("d-7", "d-9");
        assertThat(both.split()).containsExactly("d-split");
        assertThat(both.notChecked()).containsExactly("d-moving", "d-long");
        assertThat(one.with(other, 1).notChecked()).containsExactly("d-moving");
    }
}
