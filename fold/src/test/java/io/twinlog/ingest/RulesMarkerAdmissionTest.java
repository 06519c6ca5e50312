package io.twinlog.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import io.twinlog.schema.rules.RuleSet;
import io.twinlog.serde.MalformedAvroException;
import io.twinlog.serde.WireFormatException;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** What becomes of a record with the rules-marker header, whatever its value holds. */
class RulesMarkerAdmissionTest {

    private static final String RULES =
            "{\"rules\":[{\"id\":\"hot\",\"metric\":\"temperature\",\"high\":80}]}";

    @Test
    void aValidRuleSetIsAdmitted() throws Exception {
        RuleSet ruleSet = ruleSet(1, RULES);

        RulesMarkerAdmission.Result result = RulesMarkerAdmission.admit(new byte[1], v -> ruleSet);

        assertThat(result.ruleSet()).isSameAs(ruleSet);
        assertThat(result.refused()).isNull();
    }

    @Test
    void everythingElseIsADeadLetterWithItsReason() throws Exception {
        assertThat(reasonOf(null, v -> ruleSet(1, RULES))).isEqualTo("MISSING_VALUE");
        assertThat(
                        reasonOf(
                                new byte[1],
                                v -> {
                                    throw new WireFormatException("magic byte 7");
                                }))
                .isEqualTo("NOT_WIRE_FORMAT");
        assertThat(
                        reasonOf(
                                new byte[1],
                                v -> {
                                    throw new MalformedAvroException("truncated", null);
                                }))
                .isEqualTo("MALFORMED_AVRO");
        assertThat(reasonOf(new byte[1], v -> ruleSet(0, RULES))).isEqualTo("RULES_MARKER_INVALID");
        assertThat(
                        RulesMarkerAdmission.admit(new byte[1], v -> ruleSet(10_001, RULES))
                                .refused()
                                .message())
                .isEqualTo("rules version 10001 is not between 1 and 10000");
        assertThat(RulesMarkerAdmission.admit(new byte[1], v -> ruleSet(10_000, RULES)).ruleSet())
                .isNotNull();
        assertThat(reasonOf(new byte[1], v -> ruleSet(2, "{\"rules\": [{\"id\": \"x\"}]}")))
                .isEqualTo("RULES_MARKER_INVALID");
        assertThat(reasonOf(new byte[1], v -> ruleSet(2, "not json")))
                .isEqualTo("RULES_MARKER_INVALID");
        String huge =
                "{\"rules\":[],\"padding\":\""
                        + "x".repeat(RulesMarkerAdmission.MAX_RULES_CHARS)
                        + "\"}";
        RulesMarkerAdmission.Result tooLong =
                RulesMarkerAdmission.admit(new byte[1], v -> ruleSet(2, huge));
        assertThat(tooLong.refused().message())
                .isEqualTo(
                        "the rules text has "
                                + huge.length()
                                + " characters; a marker carries at most 65536");
    }

    @Test
    void theMessageOfARefusalIsBoundedWhateverTheRulesSay() throws Exception {
        String longId = "x".repeat(10_000);
        RulesMarkerAdmission.Result result =
                RulesMarkerAdmission.admit(
                        new byte[1],
                        v ->
                                ruleSet(
                                        3,
                                        "{\"rules\":[{\"id\":\""
                                                + longId
                                                + "\",\"metric\":\"m\",\"high\":1,\"low\":2}]}"));
        assertThat(result.refused().reason()).isEqualTo(DeadLetterReason.RULES_MARKER_INVALID);
        assertThat(result.refused().message().length())
                .isLessThanOrEqualTo(EventAdmission.MAX_MESSAGE_LENGTH + 3);
    }

    private static String reasonOf(byte[] value, RulesMarkerAdmission.RuleSetDecoder decoder)
            throws Exception {
        return RulesMarkerAdmission.admit(value, decoder).refused().reason().name();
    }

    private static RuleSet ruleSet(int version, String rules) {
        return RuleSet.newBuilder()
                .setVersion(version)
                .setRules(rules)
                .setPublishedAt(Instant.EPOCH)
                .build();
    }
}
