package io.twinlog.bench.streams;

import io.twinlog.schema.state.SeenIdBucket;
import io.twinlog.twin.BucketedSeenEventIds;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.Map;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * The spilled buckets of a device's dedup memory in a key-value store shared by the devices of a
 * task, as DeviceTwinJob keeps them in a keyed map state: the key is the device id, length-prefixed
 * so that no device's keys run into another's, then the bucket number.
 */
final class StoreBuckets implements BucketedSeenEventIds.Buckets {

    private final KeyValueStore<String, byte[]> store;
    private final SpecificDatumWriter<SeenIdBucket> writer =
            new SpecificDatumWriter<>(SeenIdBucket.class);
    private final SpecificDatumReader<SeenIdBucket> reader =
            new SpecificDatumReader<>(SeenIdBucket.class);
    private String prefix;

    StoreBuckets(KeyValueStore<String, byte[]> store) {
        this.store = store;
    }

    StoreBuckets of(String deviceId) {
        prefix = deviceId.length() + ":" + deviceId + ":";
        return this;
    }

    @Override
    public Map<String, Long> get(int bucket) {
        byte[] bytes = store.get(prefix + bucket);
        if (bytes == null) {
            return new HashMap<>();
        }
        try {
            return new HashMap<>(
                    reader.read(null, DecoderFactory.get().binaryDecoder(bytes, null)).getIds());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void put(int bucket, Map<String, Long> ids) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        BinaryEncoder encoder = EncoderFactory.get().directBinaryEncoder(out, null);
        try {
            writer.write(new SeenIdBucket(new HashMap<>(ids)), encoder);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        store.put(prefix + bucket, out.toByteArray());
    }

    @Override
    public void remove(int bucket) {
        store.delete(prefix + bucket);
    }
}
