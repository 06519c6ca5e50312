package io.twinlog.testing;

import io.twinlog.schema.state.DeviceState;
import io.twinlog.schema.state.SeenIdBucket;
import io.twinlog.twin.BucketedSeenEventIds;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import org.apache.flink.api.common.serialization.SerializerConfigImpl;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;

/**
 * A device's state as the job stores it: written and read back through the serializers of the job's
 * own state descriptors, so a test of the fold sees the objects RocksDB hands back (Avro's {@code
 * GenericData.Array} for lists, for one), not the ones the fold built on the heap.
 */
public final class StoredStates {

    private final TypeSerializer<DeviceState> states;
    private final TypeSerializer<SeenIdBucket> buckets;

    public StoredStates() {
        SerializerConfigImpl config = new SerializerConfigImpl();
        config.setGenericTypes(false);
        this.states = new AvroTypeInfo<>(DeviceState.class).createSerializer(config);
        this.buckets = new AvroTypeInfo<>(SeenIdBucket.class).createSerializer(config);
    }

    /** The state as the next event of the device reads it back from the store. */
    public DeviceState reloaded(DeviceState state) {
        return state == null ? null : read(states, write(states, state));
    }

    /** Spilled buckets kept as the bytes the job's map state would hold. */
    public BucketedSeenEventIds.Buckets newBuckets() {
        return new SerializedBuckets(this);
    }

    private static <T> byte[] write(TypeSerializer<T> serializer, T value) {
        DataOutputSerializer out = new DataOutputSerializer(256);
        try {
            serializer.serialize(value, out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.getCopyOfBuffer();
    }

    private static <T> T read(TypeSerializer<T> serializer, byte[] bytes) {
        try {
            return serializer.deserialize(new DataInputDeserializer(bytes));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** One device's buckets, each stored serialized and handed out as the map state would. */
    private static final class SerializedBuckets implements BucketedSeenEventIds.Buckets {

        private final StoredStates serializers;
        private final Map<Integer, byte[]> stored = new TreeMap<>();

        SerializedBuckets(StoredStates serializers) {
            this.serializers = serializers;
        }

        @Override
        public Map<String, Long> get(int bucket) {
            byte[] bytes = stored.get(bucket);
            return bytes == null
                    ? new HashMap<>()
                    : new HashMap<>(read(serializers.buckets, bytes).getIds());
        }

        @Override
        public void put(int bucket, Map<String, Long> ids) {
            stored.put(bucket, write(serializers.buckets, new SeenIdBucket(new HashMap<>(ids))));
        }

        @Override
        public void remove(int bucket) {
            stored.remove(bucket);
        }
    }
}
