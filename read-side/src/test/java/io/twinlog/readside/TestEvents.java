package io.twinlog.readside;

import io.twinlog.readside.index.Position;
import io.twinlog.readside.index.StoredRecord;
import io.twinlog.registry.CachingSchemaRegistry;
import io.twinlog.registry.SchemaRegistry;
import io.twinlog.registry.server.InMemorySchemaRegistry;
import io.twinlog.schema.TopicNames;
import io.twinlog.schema.event.DeviceEvent;
import io.twinlog.schema.event.DeviceRegistered;
import io.twinlog.schema.event.TelemetryReported;
import io.twinlog.serde.ConfluentAvroSerializer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.Map;

/** Events of the tests, encoded as the broker holds them. */
public final class TestEvents {

    public static final Instant T0 = Instant.parse("2026-11-30T10:00:00Z");

    public final SchemaRegistry registry = new CachingSchemaRegistry(new InMemorySchemaRegistry());
    private final ConfluentAvroSerializer<DeviceEvent> serializer =
            new ConfluentAvroSerializer<>(
                    registry, TopicNames.valueSubject(TopicNames.DEVICE_EVENTS), DeviceEvent.class);

    public static Instant at(long seconds) {
        return T0.plusSeconds(seconds);
    }

    public static DeviceEvent registered(String id, String device, long seconds) {
        return event(
                id,
                device,
                seconds,
                new DeviceRegistered("thermo-3", "1.0.0", Map.of("site", "berlin")));
    }

    public static DeviceEvent temperature(String id, String device, long seconds, double value) {
        return event(id, device, seconds, new TelemetryReported(Map.of("temperature", value)));
    }

    public static DeviceEvent event(String id, String device, long seconds, Object payload) {
        return DeviceEvent.newBuilder()
                .setEventId(id)
                .setDeviceId(device)
                .setEventTime(at(seconds))
                .setPayload(payload)
                .build();
    }

    public byte[] encode(DeviceEvent event) {
        try {
            return serializer.serialize(event);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The record at offset {@code offset} of partition 0, stamped a second after the event. */
    public StoredRecord stored(long offset, DeviceEvent event) {
        return new StoredRecord(
                new Position(0, offset),
                event.getEventTime().toEpochMilli() + 1_000,
                encode(event));
    }

    public static StoredRecord raw(long offset, long seconds, byte[] value) {
        return new StoredRecord(new Position(0, offset), at(seconds).toEpochMilli(), value);
    }
}
