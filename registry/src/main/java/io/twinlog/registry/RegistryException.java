package io.twinlog.registry;

import java.io.IOException;

/**
 * An error answer of a Confluent-compatible schema registry, with its HTTP status and error code.
 */
public class RegistryException extends IOException {

    private static final long serialVersionUID = 1L;

    public static final int SUBJECT_NOT_FOUND = 40401;
    public static final int VERSION_NOT_FOUND = 40402;
    public static final int SCHEMA_NOT_FOUND = 40403;
    public static final int SUBJECT_COMPATIBILITY_NOT_CONFIGURED = 40408;
    public static final int INCOMPATIBLE = 409;
    public static final int INVALID_SCHEMA = 42201;
    public static final int INVALID_VERSION = 42202;
    public static final int INVALID_COMPATIBILITY_LEVEL = 42203;

    private final int status;
    private final int errorCode;
    private final String reason;

    public RegistryException(int status, int errorCode, String reason) {
        super(reason + " (HTTP " + status + ", error code " + errorCode + ")");
        this.status = status;
        this.errorCode = errorCode;
        this.reason = reason;
    }

    /** The registry's message, without status and code. */
    public String reason() {
        return reason;
    }

    public int status() {
        return status;
    }

    public int errorCode() {
        return errorCode;
    }
}
