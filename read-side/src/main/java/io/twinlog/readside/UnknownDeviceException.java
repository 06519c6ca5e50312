package io.twinlog.readside;

/** Neither the event log nor the twins topic has a record of the device. */
public final class UnknownDeviceException extends RuntimeException {

    public UnknownDeviceException(String device) {
        super("no device '" + device + "' in the log");
    }
}
