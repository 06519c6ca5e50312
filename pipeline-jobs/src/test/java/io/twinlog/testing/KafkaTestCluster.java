package io.twinlog.testing;

import io.twinlog.schema.TopicNames;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.TestKitNodes;

/**
 * A real single-node KRaft broker inside the test JVM, with the settings an exactly-once job needs.
 */
public final class KafkaTestCluster implements AutoCloseable {

    private final KafkaClusterTestKit kit;
    private final KafkaProducer<byte[], byte[]> producer;
    private KafkaProducer<byte[], byte[]> plainProducer;

    private KafkaTestCluster(KafkaClusterTestKit kit) {
        this.kit = kit;
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kit.bootstrapServers());
        props.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "test-producer-" + System.nanoTime());
        this.producer =
                new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer());
        producer.initTransactions();
    }

    public static KafkaTestCluster start() throws Exception {
        KafkaClusterTestKit kit =
                new KafkaClusterTestKit.Builder(
                                new TestKitNodes.Builder()
                                        .setCombined(true)
                                        .setNumBrokerNodes(1)
                                        .setNumControllerNodes(1)
                                        .build())
                        .setConfigProp("offsets.topic.replication.factor", "1")
                        .setConfigProp("offsets.topic.num.partitions", "2")
                        .setConfigProp("transaction.state.log.replication.factor", "1")
                        .setConfigProp("transaction.state.log.min.isr", "1")
                        .setConfigProp("transaction.state.log.num.partitions", "2")
                        .setConfigProp("group.initial.rebalance.delay.ms", "0")
                        .setConfigProp("auto.create.topics.enable", "false")
                        .build();
        kit.format();
        kit.startup();
        kit.waitForReadyBrokers();
        return new KafkaTestCluster(kit);
    }

    public String bootstrapServers() {
        return kit.bootstrapServers();
    }

    /**
     * Creates the topics. All of them keep every record, the twins too (compacted in production):
     * the tests compare every record the job wrote, which compaction would thin out at its own
     * pace.
     */
    public void createTopics(TopicNames topics, int eventPartitions, int outputPartitions)
            throws Exception {
        List<NewTopic> newTopics = new ArrayList<>();
        newTopics.add(new NewTopic(topics.events(), eventPartitions, (short) 1));
        for (String output :
                List.of(
                        topics.twins(),
                        topics.twinEvents(),
                        topics.alerts(),
                        topics.late(),
                        topics.deadLetters())) {
            newTopics.add(new NewTopic(output, outputPartitions, (short) 1));
        }
        try (Admin admin = admin()) {
            admin.createTopics(newTopics).all().get(30, TimeUnit.SECONDS);
        }
    }

    public Admin admin() {
        Properties props = new Properties();
        props.put("bootstrap.servers", bootstrapServers());
        return Admin.create(props);
    }

    /**
     * Appends the records in one transaction: a read_committed reader (the job) sees all of them or
     * none, so nothing the job writes to the same topic can land in between.
     */
    public List<RecordMetadata> sendBatch(List<ProducerRecord<byte[], byte[]>> records)
            throws Exception {
        producer.beginTransaction();
        List<java.util.concurrent.Future<RecordMetadata>> sent = new ArrayList<>();
        for (ProducerRecord<byte[], byte[]> record : records) {
            sent.add(producer.send(record));
        }
        producer.commitTransaction();
        List<RecordMetadata> metadata = new ArrayList<>();
        for (var future : sent) {
            metadata.add(future.get(30, TimeUnit.SECONDS));
        }
        return metadata;
    }

    /**
     * Appends the records one by one without a transaction: no commit markers, so the offsets are
     * 0, 1, 2... per partition, and producing the same records again gives the same offsets.
     */
    public List<RecordMetadata> sendPlain(List<ProducerRecord<byte[], byte[]>> records)
            throws Exception {
        if (plainProducer == null) {
            Properties props = new Properties();
            props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kit.bootstrapServers());
            props.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 1);
            plainProducer =
                    new KafkaProducer<>(
                            props, new ByteArraySerializer(), new ByteArraySerializer());
        }
        List<RecordMetadata> metadata = new ArrayList<>();
        for (ProducerRecord<byte[], byte[]> record : records) {
            metadata.add(plainProducer.send(record).get(30, TimeUnit.SECONDS));
        }
        return metadata;
    }

    /**
     * Everything in the topic up to its current end, as a reader with this isolation level sees it.
     */
    public List<ConsumerRecord<byte[], byte[]>> readAll(String topic, String isolationLevel) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, isolationLevel);
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> consumer =
                new KafkaConsumer<>(
                        props, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions =
                    consumer.partitionsFor(topic, Duration.ofSeconds(10)).stream()
                            .map(p -> new TopicPartition(topic, p.partition()))
                            .toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            long deadline = System.currentTimeMillis() + 30_000;
            while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
                if (System.currentTimeMillis() > deadline) {
                    throw new IllegalStateException(
                            "could not read " + topic + " to its end " + end);
                }
                consumer.poll(Duration.ofMillis(200)).forEach(records::add);
            }
        }
        return records;
    }

    @Override
    public void close() throws Exception {
        producer.close(Duration.ofSeconds(5));
        if (plainProducer != null) {
            plainProducer.close(Duration.ofSeconds(5));
        }
        kit.close();
    }
}
