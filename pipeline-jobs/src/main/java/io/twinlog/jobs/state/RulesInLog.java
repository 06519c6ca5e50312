package io.twinlog.jobs.state;

import io.twinlog.alerts.RuleCatalog;
import io.twinlog.alerts.RuleVersions;
import io.twinlog.connect.RecordAdmission;
import io.twinlog.ingest.EventAdmission;
import io.twinlog.kernel.LogAdmission;
import io.twinlog.kernel.LogRecord;
import io.twinlog.kernel.LogRouter;
import io.twinlog.options.DeviceTwinJobOptions;
import io.twinlog.options.SourceOptions;
import io.twinlog.registry.CachingSchemaRegistry;
import io.twinlog.registry.RegistryRestClient;
import io.twinlog.schema.rules.RuleSet;
import io.twinlog.serde.ConfluentAvroDeserializer;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * The rules markers of the log up to a rebuild's end, read before the rebuild runs: the State
 * Processor API folds in batch mode, key by key, so a rules version cannot be announced to the fold
 * ahead of its events as the live job does; the rebuild gets every version up front and writes the
 * routing operator's per-partition versions into the savepoint (docs/RULES.md).
 */
public record RulesInLog(List<RuleSet> published, List<RuleVersions.Activated> activated) {

    public static RulesInLog read(DeviceTwinJobOptions options, Map<Integer, Long> until)
            throws IOException {
        Properties properties = options.kafkaProperties();
        properties.put(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                options.get(SourceOptions.BOOTSTRAP_SERVERS));
        properties.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        properties.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        ConfluentAvroDeserializer<RuleSet> ruleSets =
                new ConfluentAvroDeserializer<>(
                        new CachingSchemaRegistry(
                                new RegistryRestClient(
                                        options.get(SourceOptions.REGISTRY_URL),
                                        options.get(SourceOptions.REGISTRY_TIMEOUT),
                                        options.registryAuth())),
                        RuleSet.class);
        // Markers only: the events wait for the rebuild itself.
        LogAdmission admission =
                new LogAdmission(
                        new EventAdmission(options.contract()),
                        value -> {
                            throw new IllegalStateException("not a marker");
                        },
                        ruleSets::deserialize);
        LogRouter router = new LogRouter();
        RuleCatalog catalog = new RuleCatalog(options.rules());
        String topic = options.topics().events();
        try (KafkaConsumer<byte[], byte[]> consumer =
                new KafkaConsumer<>(
                        properties, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions =
                    until.keySet().stream().map(p -> new TopicPartition(topic, p)).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            while (partitions.stream()
                    .anyMatch(p -> consumer.position(p) < until.get(p.partition()))) {
                for (ConsumerRecord<byte[], byte[]> record :
                        consumer.poll(Duration.ofMillis(200))) {
                    if (record.offset() >= until.get(record.partition())
                            || !RecordAdmission.isMarker(record.headers())) {
                        continue;
                    }
                    LogRecord marker = RecordAdmission.logRecord(record);
                    if (router.route(admission.admit(marker), marker.position())
                            instanceof LogRouter.Activated activated) {
                        catalog.add(activated.ruleSet());
                    }
                }
                for (TopicPartition partition : partitions) {
                    if (consumer.position(partition) >= until.get(partition.partition())) {
                        consumer.pause(List.of(partition));
                    }
                }
            }
        }
        return new RulesInLog(catalog.published(), router.versions().all());
    }
}
