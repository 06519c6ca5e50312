package io.twinlog.cli;

import io.twinlog.schema.event.DeviceEvent;
import io.twinlog.serde.ConfluentAvroSerializer;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * The bytes of what the simulator emits: events in the Confluent wire format, a duplicate as the
 * device's previous record byte for byte, and bad records of each kind the job must dead-letter.
 * Shared by {@code simulate}, the benchmarks and the failure drills.
 */
public final class EmissionEncoder {

    private final ConfluentAvroSerializer<DeviceEvent> serializer;
    private final Map<String, byte[]> lastValid = new HashMap<>();

    public EmissionEncoder(ConfluentAvroSerializer<DeviceEvent> serializer) {
        this.serializer = serializer;
    }

    /** The record key: the device id, so that a device's events stay in one partition, in order. */
    public static byte[] key(DeviceSimulator.Emission emission) {
        return emission.deviceId().getBytes(StandardCharsets.UTF_8);
    }

    public byte[] value(DeviceSimulator.Emission emission) throws IOException {
        switch (emission.kind()) {
            case DUPLICATE:
                return lastValid.get(emission.deviceId());
            case MALFORMED:
                return malformed(emission.event(), emission.malformation());
            default:
                byte[] value = serializer.serialize(emission.event());
                if (emission.kind() == DeviceSimulator.Kind.REGISTRATION || emission.kind() == DeviceSimulator.Kind.TELEMETRY
                        || emission.kind() == DeviceSimulator.Kind.FIRMWARE_UPDATE) {
                    lastValid.put(emission.deviceId(), value);
                }
                return value;
        }
    }

    private byte[] malformed(DeviceEvent event, DeviceSimulator.Malformation how) throws IOException {
        return switch (how) {
            case NOT_WIRE_FORMAT -> ("{\"deviceId\":\"" + event.getDeviceId() + "\"}").getBytes(StandardCharsets.UTF_8);
            case UNKNOWN_SCHEMA_ID -> {
                byte[] bytes = serializer.serialize(event);
                bytes[1] = 0x7f; // an id far beyond any registered schema
                yield bytes;
            }
            case TRUNCATED -> {
                byte[] bytes = serializer.serialize(event);
                yield Arrays.copyOf(bytes, bytes.length / 2);
            }
            case EMPTY_EVENT_ID -> serializer.serialize(DeviceEvent.newBuilder(event).setEventId("").build());
        };
    }
}
