package io.twinlog.cli.commands;

import io.twinlog.cli.options.Connection;
import io.twinlog.cli.output.CliException;
import io.twinlog.schema.TopicNames;
import io.twinlog.schema.event.DeviceDecommissioned;
import io.twinlog.schema.event.DeviceEvent;
import io.twinlog.schema.event.DeviceRegistered;
import io.twinlog.schema.event.FirmwareUpdated;
import io.twinlog.schema.event.TelemetryReported;
import io.twinlog.serde.ConfluentAvroSerializer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** Writes one device event to the log, as a device or gateway would: for quick tries. */
@Command(
        name = "send",
        mixinStandardHelpOptions = true,
        description = {
            "Write one DeviceEvent for a device to the event log, keyed by the device id, in the"
                    + " Confluent wire format (what any producer must write, README: The event"
                    + " contract); prints where it landed.",
            "Example: twinlog send --device thermo-1 --telemetry temperature=21.5 --telemetry"
                    + " humidity=40"
        })
public final class SendCommand implements Callable<Integer> {

    @Mixin Connection connection;

    @Spec CommandSpec spec;

    @Option(names = "--device", required = true, description = "the device id (and record key)")
    String device;

    @ArgGroup(exclusive = true, multiplicity = "1")
    Payload payload;

    static final class Payload {
        @Option(
                names = "--telemetry",
                paramLabel = "<metric=value>",
                description = "a reading; repeat for several in one event")
        Map<String, Double> telemetry;

        @Option(
                names = "--register",
                paramLabel = "<model>",
                description = "a registration of a device of this model (with --firmware)")
        String model;

        @Option(
                names = "--firmware-update",
                paramLabel = "<version>",
                description = "a firmware update to this version")
        String firmwareUpdate;

        @Option(
                names = "--decommission",
                paramLabel = "<reason>",
                description = "a decommissioning, with its reason")
        String decommissionReason;
    }

    @Option(
            names = "--firmware",
            defaultValue = "1.0.0",
            description = "firmware of a registration (default: ${DEFAULT-VALUE})")
    String firmware;

    @Option(
            names = "--tag",
            paramLabel = "<name=value>",
            description = "a tag of a registration; repeat for several")
    Map<String, String> tags = new LinkedHashMap<>();

    @Option(
            names = "--event-id",
            description = "the event id (default: a random UUID); send one twice to see the dedup")
    String eventId;

    @Option(
            names = "--time",
            paramLabel = "<instant>",
            description = "the event time, e.g. 2026-12-07T10:15:30Z (default: now)")
    String time;

    @Override
    public Integer call() throws Exception {
        Instant eventTime;
        try {
            eventTime = time == null ? Instant.now() : Instant.parse(time);
        } catch (DateTimeParseException e) {
            throw new CliException("--time: not an instant like 2026-12-07T10:15:30Z: " + time);
        }
        DeviceEvent event =
                DeviceEvent.newBuilder()
                        .setEventId(eventId != null ? eventId : UUID.randomUUID().toString())
                        .setDeviceId(device)
                        .setEventTime(eventTime)
                        .setPayload(payload())
                        .build();
        TopicNames topics = connection.topics();
        byte[] value =
                new ConfluentAvroSerializer<>(
                                connection.registry(),
                                TopicNames.valueSubject(topics.events()),
                                DeviceEvent.class)
                        .serialize(event);
        RecordMetadata written;
        try (KafkaProducer<byte[], byte[]> producer = connection.kafka().producer()) {
            written =
                    producer.send(
                                    new ProducerRecord<>(
                                            topics.events(),
                                            device.getBytes(StandardCharsets.UTF_8),
                                            value))
                            .get();
        }
        spec.commandLine()
                .getOut()
                .println(
                        "sent "
                                + event.getPayload().getClass().getSimpleName()
                                + " "
                                + event.getEventId()
                                + " for "
                                + device
                                + " to "
                                + written.topic()
                                + " partition "
                                + written.partition()
                                + " offset "
                                + written.offset());
        return 0;
    }

    private Object payload() {
        if (payload.telemetry != null) {
            return new TelemetryReported(new LinkedHashMap<>(payload.telemetry));
        }
        if (payload.model != null) {
            return new DeviceRegistered(payload.model, firmware, new LinkedHashMap<>(tags));
        }
        if (payload.firmwareUpdate != null) {
            return new FirmwareUpdated(payload.firmwareUpdate);
        }
        return new DeviceDecommissioned(payload.decommissionReason);
    }
}
