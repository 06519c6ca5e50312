package io.twinlog.serde;

import java.io.IOException;

/**
 * The bytes are not in the Confluent wire format (wrong magic byte, or shorter than the header).
 */
public class WireFormatException extends IOException {

    private static final long serialVersionUID = 1L;

    public WireFormatException(String message) {
        super(message);
    }
}
