package io.twinlog.ingest;

import io.twinlog.alerts.AlertRulesFile;
import io.twinlog.schema.rules.RuleSet;
import java.io.IOException;

/**
 * Admission of a rules marker of the log (docs/RULES.md): its value must decode as a {@link
 * RuleSet} whose version is positive and whose rules are a valid rules file of bounded size.
 * Anything else is a dead letter like any bad record; whether its partition may activate it is
 * decided in log order afterwards ({@link io.twinlog.alerts.RuleVersions}).
 */
public final class RulesMarkerAdmission {

    /** The longest rules text a marker may carry (a rules file of some hundred rules). */
    public static final int MAX_RULES_CHARS = 64 * 1024;

    /**
     * The highest version a log may hold. Versions only move forward in a partition, so this bounds
     * how many versions a partition activates, and with {@link #MAX_RULES_CHARS} the rules a job
     * keeps, whatever is written into the log.
     */
    public static final int MAX_VERSION = 10_000;

    @FunctionalInterface
    public interface RuleSetDecoder {
        RuleSet decode(byte[] value) throws IOException;
    }

    /** The marker's rule set, or why it is a dead letter (exactly one of the two). */
    public record Result(RuleSet ruleSet, Admission.Refused refused) {}

    private RulesMarkerAdmission() {}

    /**
     * @throws io.twinlog.registry.RegistryUnavailableException retry later, as for events
     */
    public static Result admit(byte[] value, RuleSetDecoder decoder) throws IOException {
        if (value == null) {
            return refused(DeadLetterReason.MISSING_VALUE, null, "the rules marker has no value");
        }
        RuleSet ruleSet;
        try {
            ruleSet = decoder.decode(value);
        } catch (IOException e) {
            return new Result(null, EventAdmission.undecodable(e));
        }
        if (ruleSet.getVersion() < 1 || ruleSet.getVersion() > MAX_VERSION) {
            return invalid(
                    null,
                    "rules version "
                            + ruleSet.getVersion()
                            + " is not between 1 and "
                            + MAX_VERSION);
        }
        if (ruleSet.getRules().length() > MAX_RULES_CHARS) {
            return invalid(
                    null,
                    "the rules text has "
                            + ruleSet.getRules().length()
                            + " characters; a marker carries at most "
                            + MAX_RULES_CHARS);
        }
        try {
            AlertRulesFile.parse(ruleSet.getRules());
        } catch (IllegalArgumentException e) {
            return invalid(e, "rules version " + ruleSet.getVersion() + ": " + e.getMessage());
        }
        return new Result(ruleSet, null);
    }

    private static Result invalid(Exception error, String message) {
        return refused(DeadLetterReason.RULES_MARKER_INVALID, error, message);
    }

    private static Result refused(DeadLetterReason reason, Exception error, String message) {
        return new Result(null, EventAdmission.refused(reason, error, message));
    }
}
