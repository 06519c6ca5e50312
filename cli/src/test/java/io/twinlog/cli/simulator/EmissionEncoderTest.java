package io.twinlog.cli.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import io.twinlog.ingest.Admission;
import io.twinlog.ingest.DeadLetterReason;
import io.twinlog.ingest.EventAdmission;
import io.twinlog.options.DeviceTwinJobOptions;
import io.twinlog.registry.server.InMemorySchemaRegistry;
import io.twinlog.schema.event.DeviceEvent;
import io.twinlog.serde.ConfluentAvroDeserializer;
import io.twinlog.serde.ConfluentAvroSerializer;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Every kind of bad record the simulator and the drills send is a dead letter of the job, with the
 * reason expected.
 */
public class EmissionEncoderTest {

    @Test
    void everyMalformationIsADeadLetterWithItsReason() throws Exception {
        InMemorySchemaRegistry registry = new InMemorySchemaRegistry();
        EmissionEncoder encoder =
                new EmissionEncoder(
                        new ConfluentAvroSerializer<>(
                                registry, "device-events-value", DeviceEvent.class));
        EventAdmission admission = new EventAdmission(DeviceTwinJobOptions.parse().contract());
        ConfluentAvroDeserializer<DeviceEvent> decoder =
                new ConfluentAvroDeserializer<>(registry, DeviceEvent.class);
        DeviceSimulator simulator =
                new DeviceSimulator(
                        1, "dev-", 1, DeviceSimulator.Faults.none(), Duration.ofHours(2));
        long now = 1_767_225_600_000L;
        simulator.next(now); // the registration

        Map<DeviceSimulator.Malformation, String> reasons =
                new EnumMap<>(DeviceSimulator.Malformation.class);
        for (DeviceSimulator.Malformation malformation : DeviceSimulator.Malformation.values()) {
            DeviceEvent event = simulator.next(now + 1000).event();
            var emission =
                    new DeviceSimulator.Emission(
                            "dev-00000", DeviceSimulator.Kind.MALFORMED, event, malformation);
            Admission admitted =
                    admission.admit(
                            EmissionEncoder.key(emission),
                            encoder.value(emission),
                            now + 1000,
                            decoder::deserialize);
            reasons.put(
                    malformation,
                    admitted instanceof Admission.Refused refused
                            ? refused.reason().name()
                            : "ADMITTED");
        }

        assertThat(reasons)
                .containsExactlyInAnyOrderEntriesOf(
                        Map.ofEntries(
                                Map.entry(
                                        DeviceSimulator.Malformation.NOT_WIRE_FORMAT,
                                        DeadLetterReason.NOT_WIRE_FORMAT.name()),
                                Map.entry(
                                        DeviceSimulator.Malformation.WRONG_MAGIC_BYTE,
                                        DeadLetterReason.NOT_WIRE_FORMAT.name()),
                                Map.entry(
                                        DeviceSimulator.Malformation.GARBAGE,
                                        DeadLetterReason.NOT_WIRE_FORMAT.name()),
                                Map.entry(
                                        DeviceSimulator.Malformation.UNKNOWN_SCHEMA_ID,
                                        DeadLetterReason.UNKNOWN_SCHEMA_ID.name()),
                                Map.entry(
                                        DeviceSimulator.Malformation.TRUNCATED,
                                        DeadLetterReason.MALFORMED_AVRO.name()),
                                Map.entry(
                                        DeviceSimulator.Malformation.EMPTY_EVENT_ID,
                                        DeadLetterReason.CONTRACT_VIOLATION.name()),
                                Map.entry(
                                        DeviceSimulator.Malformation.HUGE_STRING_LENGTH,
                                        DeadLetterReason.MALFORMED_AVRO.name()),
                                Map.entry(
                                        DeviceSimulator.Malformation.HUGE_MAP_COUNT,
                                        DeadLetterReason.MALFORMED_AVRO.name()),
                                Map.entry(
                                        DeviceSimulator.Malformation.TOO_MANY_READINGS,
                                        DeadLetterReason.LIMIT_EXCEEDED.name()),
                                Map.entry(
                                        DeviceSimulator.Malformation.LONG_EVENT_ID,
                                        DeadLetterReason.LIMIT_EXCEEDED.name()),
                                Map.entry(
                                        DeviceSimulator.Malformation.EVENT_TIME_AHEAD,
                                        DeadLetterReason.EVENT_TIME_AHEAD.name())));
    }
}
