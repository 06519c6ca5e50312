package io.twinlog.examples;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Writes DeviceEvents to twinlog's event log from Java, with nothing but kafka-clients and Avro:
 * the record key is the device id (the default partitioner, murmur2, then keeps a device on one
 * partition), the value Avro in the Confluent wire format (byte 0, the 4-byte schema id, the Avro
 * body) under the subject {@code device-events-value}.
 *
 * <pre>
 * java -cp 'examples/java/target/classes:...' io.twinlog.examples.SendEvents \
 *     localhost:9092 http://localhost:8085 thermo-1 10
 * </pre>
 */
public final class SendEvents {

    private static final Path SCHEMA = Path.of("schemas/src/main/avro/event/DeviceEvent.avsc");
    private static final ObjectMapper JSON = new ObjectMapper();

    public static void main(String[] args) throws Exception {
        String bootstrap = args.length > 0 ? args[0] : "localhost:9092";
        String registry = args.length > 1 ? args[1] : "http://localhost:8085";
        String device = args.length > 2 ? args[2] : "java-1";
        int count = args.length > 3 ? Integer.parseInt(args[3]) : 10;
        String topic = "device-events";

        String schemaText = Files.readString(SCHEMA);
        Schema schema = new Schema.Parser().parse(schemaText);
        int schemaId = register(registry, topic + "-value", schemaText);

        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        Instant start = Instant.now();
        try (KafkaProducer<byte[], byte[]> producer =
                new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer())) {
            for (int i = 0; i < count; i++) {
                Instant time = start.plusSeconds(30L * i);
                GenericRecord event = new GenericData.Record(schema);
                event.put("eventId", UUID.randomUUID().toString());
                event.put("deviceId", device);
                event.put("eventTime", time.toEpochMilli());
                event.put("payload", i == 0 ? registration(schema) : telemetry(schema, i));
                producer.send(
                                new ProducerRecord<>(
                                        topic,
                                        null,
                                        time.toEpochMilli(),
                                        device.getBytes(StandardCharsets.UTF_8),
                                        wireFormat(schema, schemaId, event)))
                        .get();
            }
        }
        System.out.printf(
                "sent %d events for %s to %s (schema id %d)%n", count, device, topic, schemaId);
    }

    private static GenericRecord registration(Schema schema) {
        GenericRecord payload = new GenericData.Record(branch(schema, "DeviceRegistered"));
        payload.put("model", "thermo-java");
        payload.put("firmwareVersion", "1.0");
        payload.put("tags", Map.of("site", "java"));
        return payload;
    }

    private static GenericRecord telemetry(Schema schema, int i) {
        GenericRecord payload = new GenericData.Record(branch(schema, "TelemetryReported"));
        payload.put("readings", Map.of("temperature", 20.0 + i % 10));
        return payload;
    }

    private static Schema branch(Schema schema, String name) {
        return schema.getField("payload").schema().getTypes().stream()
                .filter(type -> type.getName().equals(name))
                .findFirst()
                .orElseThrow();
    }

    private static byte[] wireFormat(Schema schema, int schemaId, GenericRecord event)
            throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(0);
        out.write(ByteBuffer.allocate(4).putInt(schemaId).array());
        BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(out, null);
        new GenericDatumWriter<GenericRecord>(schema).write(event, encoder);
        encoder.flush();
        return out.toByteArray();
    }

    /** Registers the schema (Confluent REST API) and returns its id. */
    private static int register(String registry, String subject, String schemaText)
            throws Exception {
        HttpResponse<String> response =
                HttpClient.newHttpClient()
                        .send(
                                HttpRequest.newBuilder(
                                                URI.create(
                                                        registry
                                                                + "/subjects/"
                                                                + subject
                                                                + "/versions"))
                                        .timeout(Duration.ofSeconds(10))
                                        .header(
                                                "Content-Type",
                                                "application/vnd.schemaregistry.v1+json")
                                        .POST(
                                                HttpRequest.BodyPublishers.ofString(
                                                        JSON.writeValueAsString(
                                                                new SchemaRequest(schemaText))))
                                        .build(),
                                HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IllegalStateException("the registry refused the schema: " + response.body());
        }
        return JSON.readValue(response.body(), SchemaId.class).id();
    }

    private record SchemaRequest(String schema) {}

    @JsonIgnoreProperties(ignoreUnknown = true)
    private record SchemaId(int id) {}
}
