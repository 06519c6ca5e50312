package io.twinlog.jobs.serde;

import static io.twinlog.twin.DeviceEvents.firmware;
import static io.twinlog.twin.DeviceEvents.seconds;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.twinlog.registry.CachingSchemaRegistry;
import io.twinlog.registry.server.InMemorySchemaRegistry;
import io.twinlog.schema.event.DeviceEvent;
import io.twinlog.serde.ConfluentAvroSerializer;
import io.twinlog.serde.MalformedAvroException;
import io.twinlog.serde.WireFormatException;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * Regression test for the reason this class exists: with flink-avro's
 * RegistryAvroDeserializationSchema the sequence valid, malformed, valid, valid decodes as VALID,
 * FAILED, FAILED, FAILED (FLINK-31951).
 */
class StrictRegistryAvroDeserializationSchemaTest {

    private final CachingSchemaRegistry registry =
            new CachingSchemaRegistry(new InMemorySchemaRegistry());
    private final ConfluentSchemaCoder coder =
            new ConfluentSchemaCoder(registry, "device-events-value");
    private final StrictRegistryAvroDeserializationSchema<DeviceEvent> schema =
            new StrictRegistryAvroDeserializationSchema<>(DeviceEvent.class, () -> coder);

    @Test
    void badRecordsDoNotPoisonTheRecordsAfterThem() throws Exception {
        ConfluentAvroSerializer<DeviceEvent> serializer =
                new ConfluentAvroSerializer<>(registry, "device-events-value", DeviceEvent.class);
        DeviceEvent event = firmware("e-1", "d-1", seconds(0), "1.0");
        byte[] good = serializer.serialize(event);
        byte[] badUnion = Arrays.copyOf(good, good.length);
        badUnion[5 + 14] = 0x7f;
        byte[] trailing = Arrays.copyOf(good, good.length + 6);

        assertThat(schema.deserialize(good)).isEqualTo(event);
        assertThatThrownBy(() -> schema.deserialize(badUnion))
                .isInstanceOf(MalformedAvroException.class);
        assertThat(schema.deserialize(good)).isEqualTo(event);
        assertThatThrownBy(() -> schema.deserialize(trailing))
                .isInstanceOf(MalformedAvroException.class);
        assertThat(schema.deserialize(good)).isEqualTo(event);
        assertThatThrownBy(() -> schema.deserialize(new byte[] {1, 2}))
                .isInstanceOf(WireFormatException.class);
        assertThat(schema.deserialize(good)).isEqualTo(event);
    }
}
