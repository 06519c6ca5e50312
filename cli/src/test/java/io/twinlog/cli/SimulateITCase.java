package io.twinlog.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.twinlog.cli.commands.SimulateCommand;
import io.twinlog.registry.CachingSchemaRegistry;
import io.twinlog.registry.RegistryRestClient;
import io.twinlog.registry.server.DevSchemaRegistry;
import io.twinlog.schema.TopicNames;
import io.twinlog.schema.event.DeviceEvent;
import io.twinlog.serde.ConfluentAvroDeserializer;
import io.twinlog.testing.KafkaTestCluster;
import java.util.HashSet;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.errors.TimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code simulate} run twice with its defaults sent the same event ids twice (a fixed seed), so the
 * second run was all duplicates while it reported success.
 */
public class SimulateITCase {

    private KafkaTestCluster kafka;
    private DevSchemaRegistry registry;
    private final TopicNames topics = TopicNames.defaults();

    @BeforeEach
    void start() throws Exception {
        kafka = KafkaTestCluster.start();
        kafka.createTopics(topics, 2, 1);
        registry = DevSchemaRegistry.start("127.0.0.1", 0, null);
    }

    @AfterEach
    void stop() throws Exception {
        registry.close();
        kafka.close();
    }

    @Test
    void eachRunWithTheDefaultsSendsNewEventIdsAndSaysItsSeed() throws Exception {
        CliRun first = simulate();
        CliRun second = simulate();
        assertThat(first.exit()).as(first.err()).isZero();
        assertThat(second.exit()).as(second.err()).isZero();
        assertThat(seed(first)).isNotEqualTo(seed(second));

        Set<String> ids = new HashSet<>();
        int records = 0;
        ConfluentAvroDeserializer<DeviceEvent> events =
                new ConfluentAvroDeserializer<>(
                        new CachingSchemaRegistry(new RegistryRestClient(registry.url())),
                        DeviceEvent.class);
        for (ConsumerRecord<byte[], byte[]> record :
                kafka.readAll(topics.events(), "read_committed")) {
            ids.add(events.deserialize(record.value()).getEventId());
            records++;
        }
        assertThat(records).isEqualTo(80);
        assertThat(ids).as("no id of the first run again in the second").hasSize(80);

        CliRun repeated = simulate("--seed", Long.toString(seed(first)));
        assertThat(repeated.exit()).isZero();
        assertThat(repeated.err())
                .contains("--seed " + seed(first) + " repeats the event ids of every earlier run");
    }

    @Test
    void anOutageIsNotReportedAsARefusal() {
        String message =
                SimulateCommand.sendFailure(
                        new TimeoutException(
                                "Expiring 12 record(s) for device-events-0:120001 ms has passed"),
                        340,
                        "localhost:9092");
        assertThat(message)
                .isEqualTo(
                        "Kafka did not acknowledge records in time (delivery.timeout.ms): is the"
                                + " broker up? (scripts/stack status; localhost:9092); 340 records"
                                + " were acknowledged before")
                .doesNotContain("refused");
    }

    private CliRun simulate(String... more) {
        String[] base = {
            "simulate",
            "--devices",
            "10",
            "--count",
            "40",
            "--rate",
            "1000",
            "--quiet",
            "--bootstrap-servers",
            kafka.bootstrapServers(),
            "--registry-url",
            registry.url()
        };
        String[] args = java.util.Arrays.copyOf(base, base.length + more.length);
        System.arraycopy(more, 0, args, base.length, more.length);
        return CliRun.of(args);
    }

    private static long seed(CliRun run) {
        Matcher seed = Pattern.compile("^seed (-?\\d+) ", Pattern.MULTILINE).matcher(run.out());
        assertThat(seed.find()).as(run.out()).isTrue();
        return Long.parseLong(seed.group(1));
    }
}
