package io.twinlog.kernel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.twinlog.ingest.DeadLetterReason;
import io.twinlog.ingest.EventAdmission;
import io.twinlog.ingest.EventContract;
import io.twinlog.ingest.EventLimits;
import io.twinlog.ingest.RefusedMarkers;
import io.twinlog.schema.common.LogPosition;
import io.twinlog.schema.rules.RuleSet;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class RefusedMarkersTest {

    private static final RuleSet FORGED =
            RuleSet.newBuilder()
                    .setVersion(10_000)
                    .setRules("{\"rules\": []}")
                    .setPublishedAt(Instant.EPOCH)
                    .setPublishedBy("mallory")
                    .build();

    private static LogPosition position(int partition, long offset) {
        return new LogPosition("device-events", partition, offset);
    }

    private static LogRecord marker(int partition, long offset) {
        return new LogRecord(
                "rules".getBytes(StandardCharsets.UTF_8),
                new byte[] {1},
                0L,
                true,
                position(partition, offset));
    }

    private static LogAdmission admission(String refused) {
        return new LogAdmission(
                new EventAdmission(
                        new EventContract(
                                Duration.ofMinutes(5),
                                EventLimits.defaults(),
                                RefusedMarkers.parse(refused))),
                value -> {
                    throw new AssertionError("no events here");
                },
                value -> FORGED);
    }

    @Test
    void aRefusedPositionIsADeadLetterAndNothingElseChanges() throws Exception {
        LogAdmission admission = admission("2:17, 0:5");
        LogRouter router = new LogRouter();

        LogRouter.Routed refused = router.route(admission.admit(marker(2, 17)), position(2, 17));
        assertThat(refused).isInstanceOf(LogRouter.DeadLetter.class);
        LogRouter.DeadLetter letter = (LogRouter.DeadLetter) refused;
        assertThat(letter.reason().reason()).isEqualTo(DeadLetterReason.RULES_MARKER_INVALID);
        assertThat(letter.reason().message())
                .isEqualTo("the marker at 2:17 is refused by the option rules.refused-markers");
        assertThat(router.versions().all()).as("version 0 still").isEmpty();

        // the same marker one offset on, or in another partition, is a marker like any other
        assertThat(router.route(admission.admit(marker(2, 18)), position(2, 18)))
                .isInstanceOf(LogRouter.Activated.class);
        assertThat(router.route(admission.admit(marker(1, 17)), position(1, 17)))
                .isInstanceOf(LogRouter.Activated.class);
        assertThat(
                        LogAdmission.markersOnly(value -> FORGED, RefusedMarkers.parse("0:5"))
                                .admit(marker(0, 5)))
                .isInstanceOf(LogAdmission.Refused.class);
    }

    @Test
    void theOptionIsCanonicalAndBounded() {
        assertThat(RefusedMarkers.parse(" 3:9,0:12 ,0:2").toString()).isEqualTo("0:2,0:12,3:9");
        assertThat(RefusedMarkers.parse("")).isEqualTo(RefusedMarkers.NONE);
        assertThat(RefusedMarkers.parse("none")).isEqualTo(RefusedMarkers.NONE);
        assertThat(RefusedMarkers.NONE.toString()).isEqualTo("none");
        assertThat(RefusedMarkers.parse("1:1,1:1").toString()).isEqualTo("1:1");
        for (String wrong : new String[] {"1", ":3", "1:", "-1:3", "1:-3", "a:b", "1:2:3"}) {
            assertThatThrownBy(() -> RefusedMarkers.parse(wrong))
                    .as(wrong)
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("is not partition:offset");
        }
        StringBuilder many = new StringBuilder("0:0");
        for (int i = 1; i <= RefusedMarkers.MAX_REFUSED; i++) {
            many.append(",0:").append(i);
        }
        assertThatThrownBy(() -> RefusedMarkers.parse(many.toString()))
                .hasMessageContaining("at most 1000");
    }
}
