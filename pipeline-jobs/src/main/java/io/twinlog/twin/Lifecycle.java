package io.twinlog.twin;

import io.twinlog.schema.derived.RejectionReason;
import io.twinlog.schema.twin.DeviceStatus;

/**
 * The lifecycle transition table. Telemetry and firmware updates before the registration are
 * accepted (the twin stays UNREGISTERED until it arrives) because producers cannot always order a
 * registration before a device's first reading, and dropping readings would lose data; a second
 * registration is refused; after decommissioning every event is refused.
 */
public enum Lifecycle {
    UNREGISTERED {
        @Override
        Transition on(EventKind kind) {
            return switch (kind) {
                case REGISTRATION -> Transition.to(DeviceStatus.ACTIVE);
                case DECOMMISSIONING -> Transition.to(DeviceStatus.DECOMMISSIONED);
                default -> Transition.to(DeviceStatus.UNREGISTERED);
            };
        }
    },
    ACTIVE {
        @Override
        Transition on(EventKind kind) {
            return switch (kind) {
                case REGISTRATION -> Transition.reject(RejectionReason.ALREADY_REGISTERED);
                case DECOMMISSIONING -> Transition.to(DeviceStatus.DECOMMISSIONED);
                default -> Transition.to(DeviceStatus.ACTIVE);
            };
        }
    },
    DECOMMISSIONED {
        @Override
        Transition on(EventKind kind) {
            return Transition.reject(RejectionReason.DEVICE_DECOMMISSIONED);
        }
    };

    abstract Transition on(EventKind kind);

    public static Transition transition(DeviceStatus status, EventKind kind) {
        return valueOf(status.name()).on(kind);
    }

    /** Either the next status or the reason the event is refused. */
    public record Transition(DeviceStatus next, RejectionReason rejection) {

        static Transition to(DeviceStatus next) {
            return new Transition(next, null);
        }

        static Transition reject(RejectionReason reason) {
            return new Transition(null, reason);
        }

        public boolean rejected() {
            return rejection != null;
        }
    }
}
