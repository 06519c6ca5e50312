package io.twinlog.cli.flink;

import com.fasterxml.jackson.databind.JsonNode;
import io.twinlog.jobs.kafka.PreflightException;

/**
 * Flink's REST errors hold whole stack traces; the user needs the one sentence that says what is
 * wrong: twinlog's own message when the chain holds one (a failed preflight check or invalid
 * options), else the innermost cause.
 */
public final class FlinkErrors {

    private static final String PREFLIGHT = PreflightException.class.getName() + ": ";

    private FlinkErrors() {}

    static String summary(JsonNode answer) {
        StringBuilder all = new StringBuilder();
        answer.path("errors").forEach(error -> all.append(error.asText()).append('\n'));
        if (all.length() == 0) {
            return answer.toString();
        }
        return stripExceptionClass(rootCause(all.toString()));
    }

    /**
     * The innermost cause of the newest entry of a job's exception history ({@code
     * /jobs/<id>/exceptions}).
     */
    public static String latestFailure(JsonNode exceptions) {
        JsonNode entries = exceptions.path("exceptionHistory").path("entries");
        if (entries.isEmpty()) {
            return "no exception recorded (see the Flink web UI)";
        }
        return stripExceptionClass(rootCause(entries.get(0).path("stacktrace").asText()));
    }

    /**
     * The line of a stack trace that says why: twinlog's own message when the chain holds one, else
     * the innermost cause, with its exception class (which tells an operator where to look).
     */
    public static String rootCause(String trace) {
        String innermost = null;
        for (String line : trace.split("\n")) {
            String trimmed = line.trim();
            int own = trimmed.indexOf(PREFLIGHT);
            if (own >= 0) {
                return trimmed.substring(own + PREFLIGHT.length());
            }
            if (trimmed.startsWith("Caused by: ")) {
                innermost = trimmed.substring("Caused by: ".length());
            }
        }
        return innermost != null ? innermost : trace.split("\n")[0].trim();
    }

    private static String stripExceptionClass(String line) {
        int colon = line.indexOf(": ");
        if (colon > 0 && line.substring(0, colon).matches("[\\w.$]+(Exception|Error)")) {
            return line.substring(colon + 2);
        }
        return line;
    }
}
