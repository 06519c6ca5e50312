package io.twinlog.ingest;

import io.twinlog.schema.event.DeviceEvent;

/**
 * What admission made of one record of the log: an event for the fold, or the reason it cannot be
 * one.
 */
public sealed interface Admission {

    /** A valid event. */
    record Admitted(DeviceEvent event) implements Admission {}

    /**
     * A record that becomes a dead letter.
     *
     * @param errorClass the exception that refused it, or the contract's class for a broken rule
     * @param message one line, at most a few hundred characters whatever the record holds
     */
    record Refused(DeadLetterReason reason, String errorClass, String message)
            implements Admission {}
}
