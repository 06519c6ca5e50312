package io.twinlog.jobs.kafka;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.twinlog.options.DeviceTwinJobOptions;
import io.twinlog.registry.server.DevSchemaRegistry;
import io.twinlog.schema.TopicNames;
import io.twinlog.testing.KafkaTestCluster;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** Misconfigurations fail at submission with a message that says what to change. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PreflightITCase {

    private static final Preflight PREFLIGHT = new Preflight(Duration.ofSeconds(3));
    private static final TopicNames TOPICS =
            new TopicNames(
                    "pf-events", "pf-twins", "pf-twin-events", "pf-alerts", "pf-late", "pf-dlq");

    private KafkaTestCluster kafka;
    private DevSchemaRegistry registry;

    @BeforeAll
    void start() throws Exception {
        kafka = KafkaTestCluster.start();
        registry = DevSchemaRegistry.start("127.0.0.1", 0, null);
        kafka.createTopics(TOPICS, 2, 1);
    }

    @AfterAll
    void stop() throws Exception {
        kafka.close();
        registry.close();
    }

    @Test
    void aCorrectSetupPasses() {
        assertThatCode(() -> PREFLIGHT.run(options(), false)).doesNotThrowAnyException();
    }

    @Test
    void anUnreachableBrokerIsNamed() throws Exception {
        String dead = "127.0.0.1:" + freePort();
        assertThatThrownBy(() -> PREFLIGHT.run(options("--bootstrap.servers", dead), false))
                .hasMessageContaining("cannot reach Kafka at " + dead)
                .hasMessageContaining("--bootstrap.servers");
    }

    @Test
    void anUnreachableRegistryIsNamed() throws Exception {
        String dead = "http://127.0.0.1:" + freePort();
        assertThatThrownBy(() -> PREFLIGHT.run(options("--schema.registry.url", dead), false))
                .hasMessageContaining("cannot reach the schema registry")
                .hasMessageContaining(dead)
                .hasMessageContaining("--schema.registry.url");
    }

    @Test
    void missingTopicsAreListed() {
        assertThatThrownBy(() -> PREFLIGHT.run(options("--topic.alerts", "no-such-alerts"), false))
                .hasMessageContaining("[no-such-alerts] do not exist")
                .hasMessageContaining("topics create");
    }

    @Test
    void aTransactionTimeoutAboveTheBrokersMaximumIsRefused() {
        assertThatThrownBy(() -> PREFLIGHT.run(options("--transaction.timeout", "20m"), false))
                .hasMessageContaining("--transaction.timeout is 1200000 ms")
                .hasMessageContaining("transaction.max.timeout.ms=900000");
    }

    @Test
    void aTransactionalIdPrefixInUseIsRefusedUnlessRestoring() {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        props.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "taken-0-7");
        try (KafkaProducer<byte[], byte[]> other =
                new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer())) {
            other.initTransactions();
            other.beginTransaction();
            other.send(new ProducerRecord<>(TOPICS.twins(), new byte[] {1}));
            other.flush();

            assertThatThrownBy(
                            () ->
                                    PREFLIGHT.run(
                                            options("--transactional.id.prefix", "taken"), false))
                    .hasMessageContaining(
                            "transactional id prefix 'taken' has open transactions [taken-0-7]")
                    .hasMessageContaining("--transactional.id.prefix");
            assertThatCode(() -> PREFLIGHT.run(options("--transactional.id.prefix", "taken"), true))
                    .as("a restored job aborts what its previous run left open")
                    .doesNotThrowAnyException();
            assertThatCode(() -> PREFLIGHT.run(options("--transactional.id.prefix", "tak"), false))
                    .as("only the prefix followed by '-' counts")
                    .doesNotThrowAnyException();
            other.abortTransaction();
        }
    }

    private DeviceTwinJobOptions options(String... overrides) throws Exception {
        List<String> args =
                new ArrayList<>(
                        List.of(
                                "--bootstrap.servers",
                                kafka.bootstrapServers(),
                                "--schema.registry.url",
                                registry.url(),
                                "--topic.events",
                                TOPICS.events(),
                                "--topic.twins",
                                TOPICS.twins(),
                                "--topic.twin-events",
                                TOPICS.twinEvents(),
                                "--topic.alerts",
                                TOPICS.alerts(),
                                "--topic.late",
                                TOPICS.late(),
                                "--topic.dlq",
                                TOPICS.deadLetters()));
        args.addAll(List.of(overrides));
        return DeviceTwinJobOptions.parse(args.toArray(String[]::new));
    }

    private static int freePort() throws Exception {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
