package io.twinlog.jobs.functions;

import io.twinlog.kernel.DeviceStore;

/**
 * The state backend failed to read or write a device's state: a failure of the task, never the
 * event's, so the kernel does not quarantine it like a failed fold (docs/LIMITS.md).
 */
final class StateAccessException extends DeviceStore.StoreException {

    private static final long serialVersionUID = 1L;

    StateAccessException(String message, Throwable cause) {
        super(message, cause);
    }
}
