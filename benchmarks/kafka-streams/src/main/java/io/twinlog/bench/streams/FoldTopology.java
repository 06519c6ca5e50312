package io.twinlog.bench.streams;

import io.twinlog.options.DeviceTwinJobOptions;
import io.twinlog.schema.TopicNames;
import io.twinlog.schema.Topics;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.state.Stores;

/**
 * The event log, one processor that admits and folds each record, and a sink per output topic (plus
 * the event log itself, for silence observations; sinks are named by their topic, which the
 * processor forwards to). The log is partitioned by device id, so each device's events reach one
 * task in log order without a repartition.
 */
final class FoldTopology {

    static final String SOURCE = "source";
    static final String FOLD = "fold";
    static final String DEVICE_STATE = "device-state";
    static final String SEEN_ID_BUCKETS = "seen-id-buckets";
    static final String SILENCE_TIMERS = "silence-timers";

    private FoldTopology() {}

    static Topology build(DeviceTwinJobOptions options) {
        TopicNames topics = options.topics();
        Topology topology = new Topology();
        topology.addSource(
                SOURCE, new ByteArrayDeserializer(), new ByteArrayDeserializer(), topics.events());
        topology.addProcessor(FOLD, () -> new FoldProcessor(options), SOURCE);
        topology.addStateStore(
                Stores.keyValueStoreBuilder(
                                Stores.persistentKeyValueStore(DEVICE_STATE),
                                Serdes.String(),
                                Serdes.ByteArray())
                        .withCachingDisabled(),
                FOLD);
        topology.addStateStore(
                Stores.keyValueStoreBuilder(
                                Stores.persistentKeyValueStore(SEEN_ID_BUCKETS),
                                Serdes.String(),
                                Serdes.ByteArray())
                        .withCachingDisabled(),
                FOLD);
        topology.addStateStore(
                Stores.keyValueStoreBuilder(
                                Stores.persistentKeyValueStore(SILENCE_TIMERS),
                                Serdes.String(),
                                Serdes.String())
                        .withCachingDisabled(),
                FOLD);
        for (Topics.Topic<?> topic : Topics.ALL) {
            String name = topic.nameIn(topics);
            topology.addSink(
                    name, name, new ByteArraySerializer(), new ByteArraySerializer(), FOLD);
        }
        return topology;
    }
}
