package io.twinlog.bench.streams;

import static org.assertj.core.api.Assertions.assertThat;

import io.twinlog.options.DeviceTwinJobOptions;
import io.twinlog.registry.CachingSchemaRegistry;
import io.twinlog.registry.RegistryRestClient;
import io.twinlog.registry.SchemaRegistry;
import io.twinlog.registry.server.DevSchemaRegistry;
import io.twinlog.schema.TopicNames;
import io.twinlog.schema.alert.Alert;
import io.twinlog.schema.event.DeviceEvent;
import io.twinlog.schema.event.DeviceRegistered;
import io.twinlog.schema.event.TelemetryReported;
import io.twinlog.schema.twin.DeviceTwin;
import io.twinlog.serde.ConfluentAvroDeserializer;
import io.twinlog.serde.ConfluentAvroSerializer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The baseline must compute what DeviceTwinJob computes, or the comparison measures two different
 * things: a short history through the topology, against literal expectations from docs/FOLD.md.
 */
class FoldTopologyTest {

    private static final String RULES =
            """
            {"rules": [
              {"id": "temperature-high", "metric": "temperature", "high": 80, "deadband": 5}
            ]}""";
    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

    private static DevSchemaRegistry registry;
    private static SchemaRegistry client;

    @BeforeAll
    static void startRegistry() throws IOException {
        registry = DevSchemaRegistry.start("127.0.0.1", 0, null);
        client = new CachingSchemaRegistry(new RegistryRestClient(registry.url()));
    }

    @AfterAll
    static void stopRegistry() {
        registry.close();
    }

    @Test
    void foldsDedupsAndRaisesAndClearsAnAlert() throws IOException {
        DeviceTwinJobOptions options =
                DeviceTwinJobOptions.parse(
                        "--schema.registry.url", registry.url(), "--rules.json", RULES);
        TopicNames topics = options.topics();
        ConfluentAvroSerializer<DeviceEvent> events =
                new ConfluentAvroSerializer<>(
                        client, TopicNames.valueSubject(topics.events()), DeviceEvent.class);
        DeviceEvent hot = telemetry("e-2", 20, 95);

        try (TopologyTestDriver driver =
                new TopologyTestDriver(FoldTopology.build(options), properties())) {
            TestInputTopic<byte[], byte[]> log =
                    driver.createInputTopic(
                            topics.events(), new ByteArraySerializer(), new ByteArraySerializer());
            for (DeviceEvent event :
                    List.of(
                            event("e-1", 10, new DeviceRegistered("thermo", "1.0", Map.of())),
                            hot,
                            hot,
                            telemetry("e-3", 30, 78),
                            telemetry("e-4", 40, 74))) {
                log.pipeInput(key(), events.serialize(event), event.getEventTime());
            }

            List<DeviceTwin> twins = read(driver, topics.twins(), DeviceTwin.class);
            List<Alert> alerts = read(driver, topics.alerts(), Alert.class);

            assertThat(twins).hasSize(5);
            DeviceTwin last = twins.get(twins.size() - 1);
            assertThat(last.getCounters().getDuplicates()).isEqualTo(1);
            assertThat(last.getReadings().get("temperature").getValue()).isEqualTo(74.0);
            assertThat(alerts)
                    .extracting(a -> a.getStatus() + " " + a.getCause().getEventId())
                    .containsExactly("RAISED e-2", "CLEARED e-4");
            assertThat(alerts)
                    .extracting(Alert::getAlertId)
                    .containsOnly(nameUuid("alert", "d-1", "temperature-high", "e-2"));
        }
    }

    private static Properties properties() {
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "baseline-test");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        return props;
    }

    private static <T extends org.apache.avro.specific.SpecificRecord> List<T> read(
            TopologyTestDriver driver, String topic, Class<T> type) throws IOException {
        TestOutputTopic<byte[], byte[]> output =
                driver.createOutputTopic(
                        topic, new ByteArrayDeserializer(), new ByteArrayDeserializer());
        ConfluentAvroDeserializer<T> decoder = new ConfluentAvroDeserializer<>(client, type);
        List<T> records = new ArrayList<>();
        for (byte[] value : output.readValuesToList()) {
            records.add(decoder.deserialize(value));
        }
        return records;
    }

    /** The id format of docs/FOLD.md, "Ids", written here from the text. */
    private static String nameUuid(String... parts) {
        StringBuilder text = new StringBuilder("twinlog");
        for (String part : parts) {
            text.append('|').append(part.length()).append(':').append(part);
        }
        return UUID.nameUUIDFromBytes(text.toString().getBytes(StandardCharsets.UTF_8)).toString();
    }

    private static DeviceEvent telemetry(String id, long second, double temperature) {
        return event(id, second, new TelemetryReported(Map.of("temperature", temperature)));
    }

    private static DeviceEvent event(String id, long second, Object payload) {
        return DeviceEvent.newBuilder()
                .setEventId(id)
                .setDeviceId("d-1")
                .setEventTime(T0.plusSeconds(second))
                .setPayload(payload)
                .build();
    }

    private static byte[] key() {
        return "d-1".getBytes(StandardCharsets.UTF_8);
    }
}
