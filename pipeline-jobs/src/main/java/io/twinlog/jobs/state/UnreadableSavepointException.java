package io.twinlog.jobs.state;

import java.io.EOFException;
import java.io.FileNotFoundException;
import java.nio.file.NoSuchFileException;

/**
 * A savepoint or checkpoint that cannot be read, with one line that says why: Flink's own errors
 * for a truncated {@code _metadata} ("EOFException: null") or a missing state file (forty lines of
 * stack trace) do not tell an operator what is wrong.
 */
public final class UnreadableSavepointException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public UnreadableSavepointException(String savepoint, Throwable error) {
        super("cannot read " + savepoint + ": " + reason(error), error);
    }

    private static String reason(Throwable error) {
        Throwable cause = error;
        while (cause.getCause() != null && cause.getCause() != cause) {
            cause = cause.getCause();
        }
        if (cause instanceof EOFException) {
            return "its _metadata file ends early (truncated or still being written)";
        }
        if (cause instanceof FileNotFoundException || cause instanceof NoSuchFileException) {
            return "a file it refers to is missing (" + cause.getMessage() + ")";
        }
        String message =
                cause.getMessage() == null
                        ? ""
                        : ": " + cause.getMessage().lines().findFirst().orElse("");
        return cause.getClass().getSimpleName() + message;
    }
}
