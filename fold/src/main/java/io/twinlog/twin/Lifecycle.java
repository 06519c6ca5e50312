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
                case REGISTRATION -> Transition.TO_ACTIVE;
                case DECOMMISSIONING -> Transition.TO_DECOMMISSIONED;
                default -> Transition.STAY_UNREGISTERED;
            };
        }
    },
    ACTIVE {
        @Override
        Transition on(EventKind kind) {
            return switch (kind) {
                case REGISTRATION -> Transition.ALREADY_REGISTERED;
                case DECOMMISSIONING -> Transition.TO_DECOMMISSIONED;
                default -> Transition.TO_ACTIVE;
            };
        }
    },
    DECOMMISSIONED {
        @Override
        Transition on(EventKind kind) {
            return Transition.DECOMMISSIONED_ALREADY;
        }
    };

    abstract Transition on(EventKind kind);

    public static Transition transition(DeviceStatus status, EventKind kind) {
        Lifecycle from =
                switch (status) {
                    case UNREGISTERED -> UNREGISTERED;
                    case ACTIVE -> ACTIVE;
                    case DECOMMISSIONED -> DECOMMISSIONED;
                };
        return from.on(kind);
    }

    /** Either the next status or the reason the event is refused. */
    public record Transition(DeviceStatus next, RejectionReason rejection) {

        // The fold asks for a transition per event: the few possible answers are made once.
        static final Transition TO_ACTIVE = new Transition(DeviceStatus.ACTIVE, null);
        static final Transition TO_DECOMMISSIONED =
                new Transition(DeviceStatus.DECOMMISSIONED, null);
        static final Transition STAY_UNREGISTERED = new Transition(DeviceStatus.UNREGISTERED, null);
        static final Transition ALREADY_REGISTERED =
                new Transition(null, RejectionReason.ALREADY_REGISTERED);
        static final Transition DECOMMISSIONED_ALREADY =
                new Transition(null, RejectionReason.DEVICE_DECOMMISSIONED);

        public boolean rejected() {
            return rejection != null;
        }
    }
}
