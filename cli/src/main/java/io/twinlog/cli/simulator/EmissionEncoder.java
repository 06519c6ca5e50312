package io.twinlog.cli.simulator;

import io.twinlog.schema.event.DeviceEvent;
import io.twinlog.schema.event.TelemetryReported;
import io.twinlog.serde.ConfluentAvroSerializer;
import io.twinlog.serde.WireFormat;
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
                if (emission.kind() == DeviceSimulator.Kind.REGISTRATION
                        || emission.kind() == DeviceSimulator.Kind.TELEMETRY
                        || emission.kind() == DeviceSimulator.Kind.FIRMWARE_UPDATE) {
                    lastValid.put(emission.deviceId(), value);
                }
                return value;
        }
    }

    private byte[] malformed(DeviceEvent event, DeviceSimulator.Malformation how)
            throws IOException {
        return switch (how) {
            case NOT_WIRE_FORMAT ->
                    ("{\"deviceId\":\"" + event.getDeviceId() + "\"}")
                            .getBytes(StandardCharsets.UTF_8);
            case WRONG_MAGIC_BYTE -> {
                byte[] bytes = serializer.serialize(event);
                bytes[0] = 1;
                yield bytes;
            }
            case GARBAGE -> {
                byte[] bytes = new byte[32 + (int) (event.getEventTime().toEpochMilli() % 200)];
                new java.util.Random(event.getEventTime().toEpochMilli()).nextBytes(bytes);
                bytes[0] = (byte) 0xff;
                yield bytes;
            }
            case UNKNOWN_SCHEMA_ID -> {
                byte[] bytes = serializer.serialize(event);
                bytes[1] = 0x7f; // an id far beyond any registered schema
                yield bytes;
            }
            case TRUNCATED -> {
                byte[] bytes = serializer.serialize(event);
                yield Arrays.copyOf(bytes, bytes.length / 2);
            }
            case EMPTY_EVENT_ID ->
                    serializer.serialize(DeviceEvent.newBuilder(event).setEventId("").build());
            case HUGE_STRING_LENGTH -> {
                // The header, then eventId's length prefix: the zig-zag varint of 1,500,000,000
                // (five bytes).
                byte[] bytes =
                        Arrays.copyOf(serializer.serialize(event), WireFormat.HEADER_LENGTH + 5);
                System.arraycopy(
                        new byte[] {(byte) 0x80, (byte) 0xbc, (byte) 0xc1, (byte) 0x96, 0x0b},
                        0,
                        bytes,
                        WireFormat.HEADER_LENGTH,
                        5);
                yield bytes;
            }
            case HUGE_MAP_COUNT -> {
                // Telemetry whose readings map declares 2^40 entries (zig-zag varint), and holds
                // none.
                byte[] valid =
                        serializer.serialize(
                                DeviceEvent.newBuilder(event)
                                        .setPayload(new TelemetryReported(Map.of()))
                                        .build());
                byte[] bytes = Arrays.copyOf(valid, valid.length - 1 + 6);
                System.arraycopy(
                        new byte[] {
                            (byte) 0x80, (byte) 0x80, (byte) 0x80, (byte) 0x80, (byte) 0x80, 0x40
                        },
                        0,
                        bytes,
                        valid.length - 1,
                        6);
                yield bytes;
            }
            case TOO_MANY_READINGS -> {
                Map<String, Double> readings = new HashMap<>();
                for (int i = 0; i < 500; i++) {
                    readings.put("metric-" + i, (double) i);
                }
                yield serializer.serialize(
                        DeviceEvent.newBuilder(event)
                                .setPayload(new TelemetryReported(readings))
                                .build());
            }
            case LONG_EVENT_ID ->
                    serializer.serialize(
                            DeviceEvent.newBuilder(event)
                                    .setEventId(event.getEventId() + "-".repeat(2_000))
                                    .build());
            case EVENT_TIME_AHEAD ->
                    serializer.serialize(
                            DeviceEvent.newBuilder(event)
                                    .setEventTime(
                                            event.getEventTime().plus(java.time.Duration.ofDays(1)))
                                    .build());
        };
    }
}
