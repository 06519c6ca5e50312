package io.twinlog.registry;

import java.io.IOException;

/** The registry could not be reached or failed on its side (5xx): the request may succeed later. */
public class RegistryUnavailableException extends IOException {

    private static final long serialVersionUID = 1L;

    public RegistryUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
