package io.twinlog.serde;

import java.io.IOException;

/** The Avro body does not decode with its writer schema into the reader's record. */
public class MalformedAvroException extends IOException {

    private static final long serialVersionUID = 1L;

    public MalformedAvroException(String message, Throwable cause) {
        super(message, cause);
    }
}
