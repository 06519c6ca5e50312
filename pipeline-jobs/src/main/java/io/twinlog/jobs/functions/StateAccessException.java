package io.twinlog.jobs.functions;

import org.apache.flink.util.FlinkRuntimeException;

/**
 * The state backend failed to read or write a device's state: a failure of the task, never the
 * event's, so it is not quarantined like a failed fold (docs/LIMITS.md).
 */
final class StateAccessException extends FlinkRuntimeException {

    private static final long serialVersionUID = 1L;

    StateAccessException(String message, Throwable cause) {
        super(message, cause);
    }
}
