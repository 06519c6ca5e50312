package io.twinlog.readside;

import static io.twinlog.readside.TestEvents.registered;
import static io.twinlog.readside.TestEvents.temperature;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.twinlog.options.DeviceTwinJobOptions;
import io.twinlog.readside.api.Answers;
import io.twinlog.readside.group.GroupConfig;
import io.twinlog.readside.http.ReadSideServer;
import io.twinlog.readside.index.Position;
import io.twinlog.registry.CachingSchemaRegistry;
import io.twinlog.registry.RegistryRestClient;
import io.twinlog.registry.SchemaRegistry;
import io.twinlog.registry.server.DevSchemaRegistry;
import io.twinlog.schema.TopicNames;
import io.twinlog.schema.event.DeviceEvent;
import io.twinlog.schema.twin.DeviceTwin;
import io.twinlog.serde.ConfluentAvroSerializer;
import io.twinlog.testing.KafkaTestCluster;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Three read-side instances share a six-partition event log on a real broker: each indexes only the
 * partitions the group gave it, any of them answers for any device (its twin's partition, or asking
 * the others for a device without one), and when one of them dies without a word the other two take
 * its partitions; while that happens a question gets 503, never a wrong answer or a 404.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ReadSideGroupITCase {

    private static final TopicNames TOPICS = TopicNames.defaults();
    private static final int PARTITIONS = 6;
    private static final int DEVICES = 24;

    private final HttpClient http = HttpClient.newHttpClient();
    private KafkaTestCluster kafka;
    private DevSchemaRegistry registryServer;
    private SchemaRegistry registry;
    @TempDir Path dir;

    @BeforeAll
    void start() throws Exception {
        kafka = KafkaTestCluster.start();
        kafka.createTopics(TOPICS, PARTITIONS, 2);
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
    void everyDeviceIsAnsweredByAnyInstanceBeforeAndAfterOneDies() throws Exception {
        // Device i on partition i % 6, by the producer's choice (no assumption about Java's
        // partitioner), with i + 2 records.
        Map<String, Integer> records = new HashMap<>();
        List<ProducerRecord<byte[], byte[]>> log = new ArrayList<>();
        for (int i = 0; i < DEVICES; i++) {
            String device = String.format("dev-%02d", i);
            List<DeviceEvent> events = new ArrayList<>();
            events.add(registered(device + "-r", device, 0));
            for (int r = 0; r <= i; r++) {
                events.add(temperature(device + "-t" + r, device, 10 + r, 20 + r));
            }
            records.put(device, events.size());
            int partition = i % PARTITIONS;
            events.forEach(e -> log.add(record(e, partition)));
        }
        kafka.sendBatch(log);

        List<Instance> group = new ArrayList<>();
        for (int n = 0; n < 3; n++) {
            group.add(Instance.start(config(dir.resolve("i" + n)), freePort()));
        }
        try {
            await(
                    () ->
                            group.stream()
                                    .allMatch(
                                            g ->
                                                    g.side.owners().settled()
                                                            && new HashSet<>(
                                                                                    g.side.owners()
                                                                                            .claim()
                                                                                            .owners()
                                                                                            .values())
                                                                            .size()
                                                                    == 3));
            awaitAnswered(group, records);
            Map<Integer, String> owners = owners(group.get(0));
            assertThat(new HashSet<>(owners.values()))
                    .containsExactlyInAnyOrder(
                            group.get(0).url, group.get(1).url, group.get(2).url);
            for (Instance instance : group) {
                // each indexed only its own partitions: two of the six
                assertThat(instance.side.follower().positions(TOPICS.events())).hasSize(2);
            }
            for (int i = 0; i < DEVICES; i++) {
                String device = String.format("dev-%02d", i);
                for (Instance asked : group) {
                    HttpResponse<String> answer = get(asked, "/api/devices/" + device + "/history");
                    assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
                    assertThat(total(answer)).isEqualTo(records.get(device));
                    assertThat(answer.headers().firstValue("X-Twinlog-Answered-By"))
                            .contains(owners.get(i % PARTITIONS));
                }
            }
            assertThat(get(group.get(1), "/api/devices/nobody/history").statusCode())
                    .isEqualTo(404);

            // The twins the job would publish: the owners route by them from now on.
            for (int i = 0; i < DEVICES; i += 2) {
                String device = String.format("dev-%02d", i);
                Instance owner =
                        group.stream().filter(g -> g.side.answersHere(device)).findFirst().get();
                publishTwin(owner.side.asOf(device, (Position) null).twin());
            }
            await(() -> group.stream().allMatch(g -> g.side.fleet().size() == DEVICES / 2));
            JsonNode asOf =
                    Answers.MAPPER.readTree(
                            get(group.get(2), "/api/devices/dev-07/as-of?time=" + TestEvents.at(12))
                                    .body());
            assertThat(
                            asOf.path("twin")
                                    .path("readings")
                                    .path("temperature")
                                    .path("value")
                                    .asDouble())
                    .isEqualTo(22.0);

            // Each checks the devices of its own partitions; the one asked gathers the others'.
            JsonNode verified = Answers.MAPPER.readTree(get(group.get(1), "/api/verify").body());
            assertThat(verified.path("checked").asInt()).isEqualTo(DEVICES / 2);
            assertThat(verified.path("verdicts").path("MATCH").asInt()).isEqualTo(DEVICES / 2);
            assertThat(verified.path("indexedThrough")).hasSize(PARTITIONS);

            // One instance dies without leaving the group: its partitions move after the session
            // timeout, and no question gets a wrong answer meanwhile.
            Instance dead = group.remove(1);
            dead.kill();
            Set<Integer> refusals = new HashSet<>();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
            boolean allAnswered = false;
            while (!allAnswered) {
                assertThat(System.nanoTime()).as("answered again in time").isLessThan(deadline);
                allAnswered = true;
                for (int i = 0; i < DEVICES; i++) {
                    String device = String.format("dev-%02d", i);
                    for (Instance asked : group) {
                        HttpResponse<String> answer =
                                get(asked, "/api/devices/" + device + "/history");
                        if (answer.statusCode() == 503) {
                            refusals.add(i % PARTITIONS);
                            allAnswered = false;
                            continue;
                        }
                        assertThat(answer.statusCode())
                                .as(device + ": " + answer.body())
                                .isEqualTo(200);
                        assertThat(total(answer)).as(device).isEqualTo(records.get(device));
                    }
                }
                Thread.sleep(200);
            }
            Map<Integer, String> after = owners(group.get(0));
            assertThat(new HashSet<>(after.values()))
                    .containsExactlyInAnyOrder(group.get(0).url, group.get(1).url);
            assertThat(after).hasSize(PARTITIONS);
            // What the survivors had indexed stayed theirs; the dead one's two partitions moved.
            owners.forEach(
                    (partition, owner) -> {
                        if (!owner.equals(dead.url)) {
                            assertThat(after.get(partition)).isEqualTo(owner);
                        }
                    });
            assertThat(refusals).as("questions refused while the partitions moved").isNotEmpty();
        } finally {
            for (Instance instance : group) {
                instance.close();
            }
        }
    }

    /** One `twinlog serve` of the group, in this JVM. */
    private record Instance(ReadSide side, ReadSideServer server, String url) {
        static Instance start(ReadSideConfig config, int port) throws java.io.IOException {
            String url = "http://127.0.0.1:" + port;
            ReadSide side =
                    ReadSide.open(
                            config.inGroup(
                                    new GroupConfig("read-side-it", url, Duration.ofSeconds(6))));
            side.follow();
            return new Instance(side, ReadSideServer.start(side, "127.0.0.1", port), url);
        }

        /** As a crash: no goodbye to the group, which learns it from the missing heartbeats. */
        void kill() {
            server.close();
            side.close(false);
        }

        void close() {
            server.close();
            side.close();
        }
    }

    private void awaitAnswered(List<Instance> group, Map<String, Integer> records)
            throws Exception {
        await(
                () ->
                        records.entrySet().stream()
                                .allMatch(
                                        e -> {
                                            HttpResponse<String> answer =
                                                    get(
                                                            group.get(0),
                                                            "/api/devices/"
                                                                    + e.getKey()
                                                                    + "/history");
                                            return answer.statusCode() == 200
                                                    && total(answer) == e.getValue();
                                        }));
    }

    private Map<Integer, String> owners(Instance instance) throws Exception {
        JsonNode answer = Answers.MAPPER.readTree(get(instance, "/api/instances").body());
        assertThat(answer.path("settled").asBoolean()).isTrue();
        Map<Integer, String> owners = new HashMap<>();
        answer.path("partitions")
                .forEach(p -> owners.put(p.path("partition").asInt(), p.path("owner").asText()));
        return owners;
    }

    private HttpResponse<String> get(Instance instance, String path) {
        try {
            return http.send(
                    HttpRequest.newBuilder(URI.create(instance.url + path)).build(),
                    HttpResponse.BodyHandlers.ofString());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static int total(HttpResponse<String> answer) {
        try {
            return Answers.MAPPER.readTree(answer.body()).path("total").asInt(-1);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private ReadSideConfig config(Path index) throws Exception {
        DeviceTwinJobOptions options = DeviceTwinJobOptions.parse("--allowed.lateness", "1m");
        return new ReadSideConfig(
                () -> options,
                kafka.bootstrapServers(),
                registryServer.url(),
                Duration.ofSeconds(10),
                index,
                1_000);
    }

    private ProducerRecord<byte[], byte[]> record(DeviceEvent event, int partition) {
        ConfluentAvroSerializer<DeviceEvent> serializer =
                new ConfluentAvroSerializer<>(
                        registry, TopicNames.valueSubject(TOPICS.events()), DeviceEvent.class);
        try {
            return new ProducerRecord<>(
                    TOPICS.events(),
                    partition,
                    event.getEventTime().toEpochMilli() + 1_000,
                    event.getDeviceId().getBytes(StandardCharsets.UTF_8),
                    serializer.serialize(event));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
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

    private static int freePort() throws Exception {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private static void await(java.util.function.BooleanSupplier condition)
            throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("in time").isLessThan(deadline);
            Thread.sleep(200);
        }
    }
}
