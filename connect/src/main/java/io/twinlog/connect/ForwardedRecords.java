package io.twinlog.connect;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.record.AbstractRecords;
import org.apache.kafka.common.record.CompressionType;
import org.apache.kafka.common.record.RecordBatch;

/**
 * Late events and dead letters as written: the original key and bytes with twinlog's headers. A
 * record of the log can be as large as the broker allows, and the headers make it larger, so the
 * forwarded copy may not fit the producer's {@code max.request.size}; the send would fail, the job
 * restart and fail again on the same record, forever. When the copy would not fit, its value (and
 * if need be its key) is left out and replaced by headers with its size and SHA-256: the original
 * stays in the log at the position the headers name, so nothing is lost, and the record always
 * fits.
 */
public final class ForwardedRecords {

    /** Which parts were left out: {@code value}, {@code key} or {@code key,value}. */
    public static final String OMITTED = "twinlog.omitted";

    public static final String OMITTED_VALUE_BYTES = "twinlog.omitted.value.bytes";
    public static final String OMITTED_VALUE_SHA256 = "twinlog.omitted.value.sha256";
    public static final String OMITTED_KEY_BYTES = "twinlog.omitted.key.bytes";
    public static final String OMITTED_KEY_SHA256 = "twinlog.omitted.key.sha256";

    private ForwardedRecords() {}

    /**
     * The record to write: the original if it fits in {@code maxBytes} as the producer counts, else
     * its digest.
     */
    public static ProducerRecord<byte[], byte[]> fitted(
            String topic, byte[] key, byte[] value, List<Header> headers, int maxBytes) {
        if (size(key, value, headers) <= maxBytes) {
            return new ProducerRecord<>(topic, null, null, key, value, headers);
        }
        List<Header> digests = new ArrayList<>(headers);
        if (value != null) {
            digests.add(header(OMITTED_VALUE_BYTES, Integer.toString(value.length)));
            digests.add(header(OMITTED_VALUE_SHA256, sha256(value)));
            List<Header> valueOmitted = new ArrayList<>(digests);
            valueOmitted.add(header(OMITTED, "value"));
            if (size(key, null, valueOmitted) <= maxBytes) {
                return new ProducerRecord<>(topic, null, null, key, null, valueOmitted);
            }
        }
        digests.add(header(OMITTED_KEY_BYTES, Integer.toString(key.length)));
        digests.add(header(OMITTED_KEY_SHA256, sha256(key)));
        digests.add(header(OMITTED, value == null ? "key" : "key,value"));
        return new ProducerRecord<>(topic, null, null, null, null, digests);
    }

    /** What KafkaProducer checks against max.request.size before sending. */
    public static int size(byte[] key, byte[] value, List<Header> headers) {
        return AbstractRecords.estimateSizeInBytesUpperBound(
                RecordBatch.CURRENT_MAGIC_VALUE,
                CompressionType.NONE,
                key,
                value,
                headers.toArray(Header[]::new));
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }

    private static Header header(String key, String value) {
        return new RecordHeader(key, value.getBytes(StandardCharsets.UTF_8));
    }
}
