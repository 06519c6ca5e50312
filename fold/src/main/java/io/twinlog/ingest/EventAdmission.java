package io.twinlog.ingest;

import io.twinlog.registry.RegistryException;
import io.twinlog.registry.RegistryUnavailableException;
import io.twinlog.schema.event.DeviceEvent;
import io.twinlog.serde.MalformedAvroException;
import io.twinlog.serde.UnknownUnionBranchException;
import io.twinlog.serde.WireFormatException;
import java.io.IOException;
import java.io.Serializable;

/**
 * Turns one record of the log into either a valid event or a dead letter. Nothing is dropped: every
 * record that cannot be folded becomes a dead letter with its original bytes and the reason. Only a
 * registry that cannot be reached stops admission (the caller retries), because dead-lettering good
 * records while the registry is down would lose them from the fold.
 */
public final class EventAdmission implements Serializable {

    private static final long serialVersionUID = 1L;
    static final int MAX_MESSAGE_LENGTH = 500;

    /** Decodes a record value; the registry-backed Avro decoder in production. */
    @FunctionalInterface
    public interface ValueDecoder {
        DeviceEvent decode(byte[] value) throws IOException;
    }

    private final EventContract contract;

    public EventAdmission(EventContract contract) {
        this.contract = contract;
    }

    public EventContract contract() {
        return contract;
    }

    /**
     * @param key the record's key, or null
     * @param value the record's value, or null
     * @param recordTimestamp the record's Kafka timestamp, which the event time is checked against
     * @throws RegistryUnavailableException the registry cannot be reached: retry later
     * @throws RegistryException the registry refused us for a reason other than an unknown id
     *     (authentication, for instance): a misconfiguration, not bad data
     */
    public Admission admit(byte[] key, byte[] value, long recordTimestamp, ValueDecoder decoder)
            throws IOException {
        if (value == null) {
            return refused(DeadLetterReason.MISSING_VALUE, null, "the record has no value");
        }
        if (key == null) {
            return refused(
                    DeadLetterReason.MISSING_KEY,
                    null,
                    "the record has no key (expected the device id)");
        }
        DeviceEvent event;
        try {
            event = decoder.decode(value);
        } catch (IOException e) {
            return undecodable(e);
        }
        EventContract.Violation violation = contract.check(event, key, recordTimestamp);
        if (violation != null) {
            return refused(violation.reason(), null, violation.message());
        }
        return new Admission.Admitted(event);
    }

    /**
     * The refusal of a value that did not decode, for what the bytes can be blamed for (not the
     * wire format, malformed Avro, an id the registry does not know).
     *
     * @throws IOException the failure itself when it is not the record's (the registry is down or
     *     refuses us): retry, or fix the configuration
     */
    static Admission.Refused undecodable(IOException e) throws IOException {
        if (e instanceof WireFormatException) {
            return refused(DeadLetterReason.NOT_WIRE_FORMAT, e, e.getMessage());
        }
        if (e instanceof UnknownUnionBranchException unknown) {
            return refused(
                    DeadLetterReason.UNKNOWN_EVENT_TYPE,
                    e,
                    "the event's payload is a "
                            + unknown.branch()
                            + ", a type this job does not know: upgrade the job (the readers)"
                            + " before the producers that write it");
        }
        if (e instanceof MalformedAvroException) {
            return refused(DeadLetterReason.MALFORMED_AVRO, e, e.getMessage());
        }
        if (e instanceof RegistryException registry
                && registry.errorCode() == RegistryException.SCHEMA_NOT_FOUND) {
            return refused(DeadLetterReason.UNKNOWN_SCHEMA_ID, e, e.getMessage());
        }
        throw e;
    }

    public static Admission.Refused refused(
            DeadLetterReason reason, Exception error, String message) {
        String errorClass =
                error == null ? EventContract.class.getName() : error.getClass().getName();
        return new Admission.Refused(reason, errorClass, bounded(message));
    }

    /** Messages travel in a header of the dead letter: never more than a few hundred bytes. */
    static String bounded(String message) {
        if (message == null) {
            return "";
        }
        return message.length() <= MAX_MESSAGE_LENGTH
                ? message
                : message.substring(0, MAX_MESSAGE_LENGTH) + "...";
    }
}
