package io.twinlog.readside;

import static io.twinlog.readside.TestEvents.registered;
import static io.twinlog.readside.TestEvents.temperature;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.twinlog.options.DeviceTwinJobOptions;
import io.twinlog.readside.api.Answers;
import io.twinlog.readside.http.ReadSideServer;
import io.twinlog.readside.index.LogGap;
import io.twinlog.readside.index.Position;
import io.twinlog.readside.query.StateCheck;
import io.twinlog.registry.CachingSchemaRegistry;
import io.twinlog.registry.RegistryRestClient;
import io.twinlog.registry.SchemaRegistry;
import io.twinlog.registry.server.DevSchemaRegistry;
import io.twinlog.schema.TopicNames;
import io.twinlog.schema.alert.Alert;
import io.twinlog.schema.alert.AlertStatus;
import io.twinlog.schema.alert.Severity;
import io.twinlog.schema.common.EventRef;
import io.twinlog.schema.common.LogPosition;
import io.twinlog.schema.event.DeviceEvent;
import io.twinlog.schema.twin.DeviceTwin;
import io.twinlog.serde.ConfluentAvroSerializer;
import io.twinlog.testing.KafkaTestCluster;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.HttpURLConnection;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.RecordsToDelete;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The read side on a real broker: it follows the log and the outputs read_committed, answers over
 * HTTP with the documented errors, streams alerts as they are committed, and resumes after a
 * restart from the positions it stored, without indexing a record twice.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ReadSideITCase {

    private static final String RULES =
            "{\"rules\":[{\"id\":\"temperature-high\",\"metric\":\"temperature\",\"high\":80,"
                    + "\"deadband\":5,\"severity\":\"WARNING\"}]}";
    private static final TopicNames TOPICS = TopicNames.defaults();

    private final HttpClient http = HttpClient.newHttpClient();
    private KafkaTestCluster kafka;
    private DevSchemaRegistry registryServer;
    private SchemaRegistry registry;
    @TempDir Path dir;

    @BeforeAll
    void start() throws Exception {
        kafka = KafkaTestCluster.start();
        kafka.createTopics(TOPICS, 2, 2);
        registryServer = DevSchemaRegistry.start("127.0.0.1", 0, null);
        registry =
                new CachingSchemaRegistry(
                        new RegistryRestClient(registryServer.url(), Duration.ofSeconds(10)));
    }

    @AfterAll
    void stop() throws Exception {
        registryServer.close();
        kafka.close();
    }

    @Test
    void answersFollowsRestartsAndStreams() throws Exception {
        List<DeviceEvent> d1 =
                List.of(
                        registered("e0", "d1", 0),
                        temperature("e1", "d1", 10, 20),
                        temperature("e2", "d1", 20, 85),
                        temperature("e1", "d1", 10, 20));
        sendEvents(d1);
        kafka.sendBatch(
                List.of(
                        new ProducerRecord<>(
                                TOPICS.events(),
                                "d1".getBytes(StandardCharsets.UTF_8),
                                new byte[] {1, 2, 3})));
        sendEvents(List.of(registered("f0", "d2", 0)));

        Path index = dir.resolve("index");
        ReadSide side = ReadSide.open(config(index));
        assertThat(side.lagging()).as("before it has read the log").isTrue();
        side.follow();
        ReadSideServer server = ReadSideServer.start(side, "127.0.0.1", 0);
        String base = "http://127.0.0.1:" + server.port();
        awaitReady(base);

        JsonNode history = get(base + "/api/devices/d1/history?limit=3", 200);
        assertThat(history.path("lagging").asBoolean()).isFalse();
        assertThat(history.path("total").asInt()).isEqualTo(5);
        assertThat(outcomes(history)).containsExactly("APPLIED", "APPLIED", "APPLIED");
        JsonNode rest =
                get(
                        base
                                + "/api/devices/d1/history?limit=3&cursor="
                                + history.path("next").asText(),
                        200);
        assertThat(outcomes(rest)).containsExactly("DUPLICATE", "DEAD_LETTER");
        assertThat(rest.path("next").isNull()).isTrue();

        JsonNode asOf = get(base + "/api/devices/d1/as-of?time=" + TestEvents.at(15), 200);
        assertThat(asOf.path("twin").path("readings").path("temperature").path("value").asDouble())
                .isEqualTo(20.0);
        assertThat(asOf.path("provenance").path("readings.temperature").path("eventId").asText())
                .isEqualTo("e1");
        JsonNode byPosition =
                get(
                        base
                                + "/api/devices/d1/as-of?position="
                                + rest.path("entries").get(0).path("position").asText(),
                        200);
        assertThat(byPosition.path("twin").path("activeAlerts").get(0).asText())
                .isEqualTo("temperature-high");
        assertThat(byPosition.path("twin").path("counters").path("duplicates").asInt())
                .isEqualTo(1);

        assertThat(get(base + "/api/devices/nobody", 404).path("error").asText())
                .contains("nobody");
        assertThat(get(base + "/api/devices/d1/as-of?time=noon", 400).path("error").asText())
                .contains("is not a time");
        assertThat(get(base + "/api/devices/d1/as-of?position=x:1", 400).path("error").asText())
                .contains("partition:offset");
        assertThat(
                        get(base + "/api/devices/d1/as-of?time=" + TestEvents.at(-60), 404)
                                .path("error")
                                .asText())
                .contains("no state yet");
        assertThat(get(base + "/api/devices/d1/history?limit=0", 400).path("error").asText())
                .contains("limit");
        assertThat(get(base + "/api/fleet?status=HAPPY", 400).path("error").asText())
                .contains("status must be");
        assertThat(get(base + "/no-such-page.html", 404).path("error").asText())
                .contains("no such page");

        // The twins and alerts the job would publish: d1's as the fold has it, d2's with a wrong
        // reading.
        DeviceTwin d1Twin = side.asOf("d1", (Position) null).twin();
        DeviceTwin d2Twin = side.asOf("d2", (Position) null).twin();
        DeviceTwin wrong = DeviceTwin.newBuilder(d2Twin).setModel("not-what-it-registered").build();
        publishTwin(d1Twin);
        publishTwin(wrong);
        await(
                () ->
                        side.fleet().size() == 2
                                && "not-what-it-registered".equals(side.fleet().get("d2").model()));
        JsonNode fleet = get(base + "/api/fleet?q=d1", 200);
        assertThat(fleet.path("devices")).hasSize(1);
        assertThat(fleet.path("counts").path("TOTAL").asInt()).isEqualTo(2);
        assertThat(get(base + "/api/devices/d1", 200).path("twin").path("deviceId").asText())
                .isEqualTo("d1");
        assertThat(side.verify("d1")).isEqualTo(StateCheck.Verdict.MATCH);
        assertThat(side.verify("d2")).isEqualTo(StateCheck.Verdict.MISMATCH);
        assertThat(metric(base, "twinlog_readside_verify_mismatches_total")).isEqualTo(1);
        JsonNode verified = get(base + "/api/verify", 200);
        assertThat(verified.path("devices").asInt()).isEqualTo(2);
        assertThat(verified.path("checked").asInt()).isEqualTo(2);
        assertThat(verified.path("verdicts").path("MATCH").asInt()).isEqualTo(1);
        assertThat(verified.path("verdicts").path("MISMATCH").asInt()).isEqualTo(1);
        assertThat(verified.path("mismatches"))
                .singleElement()
                .satisfies(d -> assertThat(d.asText()).isEqualTo("d2"));
        assertThat(get(base + "/api/verify?sample=1", 200).path("checked").asInt())
                .as("a sample of one checks one device")
                .isEqualTo(1);
        assertThat(get(base + "/api/verify?max=0", 400).path("error").asText()).contains("max");

        // A live alert: the stream sends what is committed after it opened.
        CompletableFuture<String> streamed =
                CompletableFuture.supplyAsync(() -> firstAlertOnStream(base));
        Thread.sleep(500);
        publishAlert(alert("a-1", "d1", AlertStatus.RAISED));
        assertThat(streamed.get(30, TimeUnit.SECONDS)).contains("\"alertId\":\"a-1\"");
        await(() -> side.alertBoard().openCount() == 1);
        assertThat(
                        get(base + "/api/alerts?state=open", 200)
                                .path("alerts")
                                .get(0)
                                .path("alertId")
                                .asText())
                .isEqualTo("a-1");
        assertThat(get(base + "/api/devices/d1/alerts", 200).path("alerts")).hasSize(1);

        // Both alert lists come in pages of at most limit, with the total and the next cursor.
        publishAlert(alert("a-2", "d1", AlertStatus.RAISED));
        publishAlert(alert("a-3", "d1", AlertStatus.RAISED));
        await(() -> side.alertBoard().openCount() == 3);
        for (String list : List.of("/api/alerts?state=open", "/api/devices/d1/alerts?x=")) {
            JsonNode first = get(base + list + "&limit=2", 200);
            assertThat(first.path("alerts")).as(list).hasSize(2);
            assertThat(first.path("total").asInt()).as(list).isEqualTo(3);
            String next = first.path("next").asText();
            JsonNode second =
                    get(base + list + "&limit=2&cursor=" + URLEncoder.encode(next, UTF_8), 200);
            assertThat(second.path("alerts")).as(list).hasSize(1);
            assertThat(second.path("next").isNull()).as(list).isTrue();
            Set<String> ids = new TreeSet<>();
            first.path("alerts").forEach(a -> ids.add(a.path("alertId").asText()));
            second.path("alerts").forEach(a -> ids.add(a.path("alertId").asText()));
            assertThat(ids).as(list).containsExactly("a-1", "a-2", "a-3");
        }
        publishAlert(alert("a-2", "d1", AlertStatus.CLEARED));
        publishAlert(alert("a-3", "d1", AlertStatus.CLEARED));
        await(() -> side.alertBoard().openCount() == 1);

        server.close();
        side.close();

        // Records written while it is down are read once after the restart, from the stored
        // positions.
        sendEvents(List.of(temperature("e3", "d1", 30, 70), temperature("e4", "d1", 40, 71)));
        publishAlert(alert("a-1", "d1", AlertStatus.CLEARED));
        try (ReadSide again = ReadSide.open(config(index))) {
            assertThat(again.fleet().size()).as("the views come back from the index").isEqualTo(2);
            assertThat(again.alertBoard().openCount()).isEqualTo(1);
            again.catchUp(Duration.ofSeconds(60));
            assertThat(again.recordCount("d1")).isEqualTo(7);
            assertThat(again.asOf("d1", (Position) null).twin().getActiveAlerts()).isEmpty();
            assertThat(again.alertBoard().openCount()).isZero();
            assertThat(again.lagging()).isFalse();
        }
    }

    /**
     * What a hostile device can do to the read side: flood one device (answered page by page, and
     * from snapshots once a fold has passed them) and send records whose key cannot be a device
     * (counted, not indexed).
     */
    @Test
    void aFloodingDeviceIsAnsweredFromSnapshotsAndKeysThatCannotBeDevicesAreCounted()
            throws Exception {
        List<DeviceEvent> flood = new ArrayList<>();
        flood.add(registered("flood-0", "flood", 0));
        for (int i = 1; i <= 2_500; i++) {
            flood.add(temperature("flood-" + i, "flood", i, 20 + i % 7));
        }
        sendEvents(flood);
        byte[] anyValue = {0, 0, 0, 0, 1};
        kafka.sendBatch(
                List.of(
                        new ProducerRecord<>(TOPICS.events(), new byte[2_048], anyValue),
                        new ProducerRecord<>(TOPICS.events(), null, anyValue)));

        try (ReadSide side = ReadSide.open(config(dir.resolve("flood")))) {
            side.catchUp(Duration.ofSeconds(60));
            ReadSideServer server = ReadSideServer.start(side, "127.0.0.1", 0);
            try {
                String base = "http://127.0.0.1:" + server.port();
                JsonNode history = get(base + "/api/devices/flood/history", 200);
                assertThat(history.path("total").asLong()).isEqualTo(2_501);
                assertThat(history.path("entries").size()).isEqualTo(100);
                assertThat(metric(base, "twinlog_readside_snapshots_kept_total")).isZero();

                JsonNode end =
                        get(base + "/api/devices/flood/as-of?time=" + TestEvents.at(3_000), 200);
                assertThat(end.path("recordsFolded").asLong()).isEqualTo(2_501);
                assertThat(metric(base, "twinlog_readside_snapshots_kept_total"))
                        .as("every 1,000 records of the fold")
                        .isEqualTo(2);
                String last = end.path("position").asText();
                JsonNode again = get(base + "/api/devices/flood/as-of?position=" + last, 200);
                assertThat(again.path("twin")).isEqualTo(end.path("twin"));
                assertThat(again.path("provenance")).isEqualTo(end.path("provenance"));
                assertThat(again.path("events")).isEqualTo(end.path("events"));
                assertThat(again.path("recordsFolded").asLong()).isEqualTo(2_501);
                JsonNode middle =
                        get(base + "/api/devices/flood/as-of?time=" + TestEvents.at(1_500), 200);
                assertThat(middle.path("recordsFolded").asLong()).isEqualTo(1_501);
                assertThat(middle.path("provenance").path("lastEvent").path("eventId").asText())
                        .isEqualTo("flood-1500");
                assertThat(metric(base, "twinlog_readside_snapshots_kept_total")).isEqualTo(2);
                assertThat(metric(base, "twinlog_readside_unattributed_records_total"))
                        .isEqualTo(2);
                assertThat(get(base + "/health", 200).path("status").asText()).isEqualTo("UP");
            } finally {
                server.close();
            }
        }
    }

    @Test
    void theServiceKeepsSnapshotsOfBusyDevicesBeforeAnyoneAsks() throws Exception {
        List<DeviceEvent> busy = new ArrayList<>();
        busy.add(registered("busy-0", "busy", 0));
        for (int i = 1; i < 2_100; i++) {
            busy.add(temperature("busy-" + i, "busy", i, 20 + i % 5));
        }
        sendEvents(busy);
        try (ReadSide side = ReadSide.open(config(dir.resolve("busy")))) {
            side.follow();
            ReadSideServer server = ReadSideServer.start(side, "127.0.0.1", 0);
            try {
                String base = "http://127.0.0.1:" + server.port();
                awaitReady(base);
                // Other tests' devices share the topics: the busy one is at least two snapshots.
                await(
                        () -> {
                            try {
                                return metric(base, "twinlog_readside_snapshots_kept_total") >= 2
                                        && metric(base, "twinlog_readside_snapshots_waiting") == 0;
                            } catch (Exception e) {
                                return false;
                            }
                        });
                long kept = metric(base, "twinlog_readside_snapshots_kept_total");
                JsonNode end =
                        get(base + "/api/devices/busy/as-of?time=" + TestEvents.at(5_000), 200);
                assertThat(end.path("recordsFolded").asLong()).isEqualTo(2_100);
                assertThat(metric(base, "twinlog_readside_snapshots_kept_total"))
                        .as("the answer started from a snapshot the service kept")
                        .isEqualTo(kept);
            } finally {
                server.close();
            }
        }
    }

    @Test
    void aDeviceWithRecordsOnTwoPartitionsIsReportedNotAnswered() throws Exception {
        // A Java producer (murmur2) and another client (librdkafka's CRC32) disagree on the
        // device's
        // partition.
        sendEvents(List.of(registered("s0", "split", 0), temperature("s1", "split", 10, 20)), 0);
        sendEvents(List.of(temperature("s2", "split", 20, 21)), 1);

        try (ReadSide side = ReadSide.open(config(dir.resolve("split")))) {
            side.catchUp(Duration.ofSeconds(60));
            assertThat(side.verify("split")).isEqualTo(StateCheck.Verdict.SPLIT);
            ReadSideServer server = ReadSideServer.start(side, "127.0.0.1", 0);
            try {
                String base = "http://127.0.0.1:" + server.port();
                JsonNode history = get(base + "/api/devices/split/history", 409);
                assertThat(history.path("error").asText())
                        .startsWith(
                                "device split has records on partitions [0, 1] of device-events");
                get(base + "/api/devices/split/as-of?time=" + TestEvents.at(15), 409);
                assertThat(metric(base, "twinlog_readside_verify_split_total")).isEqualTo(1);
            } finally {
                server.close();
            }
        }
    }

    @Test
    void recordsTheLogLostBeforeTheIndexReadThemAreSaid() throws Exception {
        // On partition 1, which the other tests' devices leave alone except the split one.
        sendEvents(List.of(registered("g0", "gappy", 0), temperature("g1", "gappy", 10, 20)), 1);
        Path indexDir = dir.resolve("gaps");
        long indexedThrough;
        try (ReadSide side = ReadSide.open(config(indexDir))) {
            side.catchUp(Duration.ofSeconds(60));
            indexedThrough = side.follower().positions(TOPICS.events()).get(1);
            assertThat(side.gapsBefore("gappy", null)).isEmpty();
        }
        // While the read side is down, retention deletes records it has not read yet.
        var sent =
                sendEvents(
                        List.of(
                                temperature("g2", "gappy", 20, 30),
                                temperature("g3", "gappy", 30, 40),
                                temperature("g4", "gappy", 40, 50)),
                        1);
        long cut = sent.get(2).offset();
        TopicPartition partition = new TopicPartition(TOPICS.events(), 1);
        try (var admin = kafka.admin()) {
            admin.deleteRecords(Map.of(partition, RecordsToDelete.beforeOffset(cut)))
                    .all()
                    .get(30, TimeUnit.SECONDS);
        }

        try (ReadSide side = ReadSide.open(config(indexDir))) {
            side.catchUp(Duration.ofSeconds(60));
            assertThat(side.gapsBefore("gappy", null))
                    .containsExactly(new LogGap(TOPICS.events(), 1, indexedThrough, cut));
            ReadSideServer server = ReadSideServer.start(side, "127.0.0.1", 0);
            try {
                String base = "http://127.0.0.1:" + server.port();
                assertThat(metric(base, "twinlog_readside_lost_records_total"))
                        .isEqualTo(cut - indexedThrough);
                JsonNode history = get(base + "/api/devices/gappy/history", 200);
                List<String> ids = new ArrayList<>();
                history.path("entries").forEach(entry -> ids.add(entry.path("eventId").asText()));
                assertThat(ids).containsExactly("g0", "g1", "g4");
                assertThat(history.path("gaps").get(0).path("from").asLong())
                        .isEqualTo(indexedThrough);
                assertThat(history.path("gaps").get(0).path("to").asLong()).isEqualTo(cut);
                JsonNode before =
                        get(
                                base
                                        + "/api/devices/gappy/as-of?position=1:"
                                        + (indexedThrough - 1),
                                200);
                assertThat(before.path("gaps").size()).as("nothing lost before it").isZero();
                JsonNode after =
                        get(base + "/api/devices/gappy/as-of?time=" + TestEvents.at(45), 200);
                assertThat(after.path("gaps").size()).isEqualTo(1);
            } finally {
                server.close();
            }
        }
        // An index built after the deletion never saw what came before the log's start either.
        try (ReadSide fresh = ReadSide.open(config(dir.resolve("gaps-fresh")))) {
            fresh.catchUp(Duration.ofSeconds(60));
            assertThat(fresh.gapsBefore("gappy", null))
                    .containsExactly(new LogGap(TOPICS.events(), 1, 0, cut));
        }
    }

    private ReadSideConfig config(Path index) throws Exception {
        DeviceTwinJobOptions options =
                DeviceTwinJobOptions.parse("--rules.json", RULES, "--allowed.lateness", "1m");
        return new ReadSideConfig(
                () -> options,
                kafka.bootstrapServers(),
                registryServer.url(),
                Duration.ofSeconds(10),
                index,
                1_000);
    }

    private void sendEvents(List<DeviceEvent> events) throws Exception {
        sendEvents(events, null);
    }

    private List<org.apache.kafka.clients.producer.RecordMetadata> sendEvents(
            List<DeviceEvent> events, Integer partition) throws Exception {
        ConfluentAvroSerializer<DeviceEvent> serializer =
                new ConfluentAvroSerializer<>(
                        registry, TopicNames.valueSubject(TOPICS.events()), DeviceEvent.class);
        List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>();
        for (DeviceEvent event : events) {
            records.add(
                    new ProducerRecord<>(
                            TOPICS.events(),
                            partition,
                            event.getEventTime().toEpochMilli() + 1_000,
                            event.getDeviceId().getBytes(StandardCharsets.UTF_8),
                            serializer.serialize(event)));
        }
        return kafka.sendBatch(records);
    }

    private void publishTwin(DeviceTwin twin) throws Exception {
        ConfluentAvroSerializer<DeviceTwin> serializer =
                new ConfluentAvroSerializer<>(
                        registry, TopicNames.valueSubject(TOPICS.twins()), DeviceTwin.class);
        kafka.sendBatch(
                List.of(
                        new ProducerRecord<>(
                                TOPICS.twins(),
                                twin.getDeviceId().getBytes(StandardCharsets.UTF_8),
                                serializer.serialize(twin))));
    }

    private void publishAlert(Alert alert) throws Exception {
        ConfluentAvroSerializer<Alert> serializer =
                new ConfluentAvroSerializer<>(
                        registry, TopicNames.valueSubject(TOPICS.alerts()), Alert.class);
        kafka.sendBatch(
                List.of(
                        new ProducerRecord<>(
                                TOPICS.alerts(),
                                alert.getDeviceId().getBytes(StandardCharsets.UTF_8),
                                serializer.serialize(alert))));
    }

    private static Alert alert(String id, String device, AlertStatus status) {
        return Alert.newBuilder()
                .setAlertId(id)
                .setDeviceId(device)
                .setRuleId("temperature-high")
                .setStatus(status)
                .setSeverity(Severity.WARNING)
                .setMetric("temperature")
                .setValue(85.0)
                .setThreshold(80.0)
                .setRaisedAt(TestEvents.at(20))
                .setEventTime(TestEvents.at(status == AlertStatus.RAISED ? 20 : 30))
                .setCause(new EventRef("e2", new LogPosition(TOPICS.events(), 0, 2L)))
                .setMessage("hot")
                .build();
    }

    private String firstAlertOnStream(String base) {
        try {
            HttpURLConnection connection =
                    (HttpURLConnection)
                            URI.create(base + "/api/alerts/stream").toURL().openConnection();
            connection.setReadTimeout(30_000);
            connection.setRequestProperty("Accept", "text/event-stream"); // as EventSource asks
            try (BufferedReader reader =
                    new BufferedReader(
                            new InputStreamReader(
                                    connection.getInputStream(), StandardCharsets.UTF_8))) {
                assertThat(connection.getContentType()).startsWith("text/event-stream");
                String line;
                boolean alertEvent = false;
                while ((line = reader.readLine()) != null) {
                    if (line.equals("event: alert")) {
                        alertEvent = true;
                    } else if (alertEvent && line.startsWith("data: ")) {
                        return line.substring(6);
                    }
                }
                return "";
            } finally {
                connection.disconnect();
            }
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private JsonNode get(String url, int status) throws Exception {
        HttpResponse<String> response =
                http.send(
                        HttpRequest.newBuilder(URI.create(url)).build(),
                        HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(url + ": " + response.body()).isEqualTo(status);
        return Answers.MAPPER.readTree(response.body());
    }

    private long metric(String base, String name) throws Exception {
        String text =
                http.send(
                                HttpRequest.newBuilder(URI.create(base + "/metrics")).build(),
                                HttpResponse.BodyHandlers.ofString())
                        .body();
        return text.lines()
                .filter(l -> l.startsWith(name + " "))
                .mapToLong(l -> (long) Double.parseDouble(l.substring(name.length() + 1).trim()))
                .findFirst()
                .orElseThrow();
    }

    private void awaitReady(String base) throws Exception {
        await(
                () -> {
                    try {
                        return http.send(
                                                HttpRequest.newBuilder(URI.create(base + "/ready"))
                                                        .build(),
                                                HttpResponse.BodyHandlers.ofString())
                                        .statusCode()
                                == 200;
                    } catch (Exception e) {
                        return false;
                    }
                });
    }

    private static void await(java.util.function.BooleanSupplier condition)
            throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("in time").isLessThan(deadline);
            Thread.sleep(100);
        }
    }

    private static List<String> outcomes(JsonNode history) {
        List<String> outcomes = new ArrayList<>();
        history.path("entries").forEach(e -> outcomes.add(e.path("outcome").asText()));
        return outcomes;
    }
}
