package io.twinlog.readside.query;

import static org.assertj.core.api.Assertions.assertThat;

import io.twinlog.twin.Outcome;
import org.junit.jupiter.api.Test;

class RecordOutcomeTest {

    @Test
    void everyOutcomeOfTheFoldKeepsItsNameAndADeadLetterIsTheOneMore() {
        for (Outcome outcome : Outcome.values()) {
            assertThat(RecordOutcome.of(outcome).name()).isEqualTo(outcome.name());
        }
        assertThat(RecordOutcome.values()).hasSize(Outcome.values().length + 1);
        assertThat(RecordOutcome.values()).contains(RecordOutcome.DEAD_LETTER);
    }
}
