package io.twinlog.connect;

import static org.assertj.core.api.Assertions.assertThat;

import io.twinlog.options.OutputSizes;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.junit.jupiter.api.Test;

class ForwardedRecordsTest {

    private static final int MAX = OutputSizes.DEFAULT_MAX_RECORD_BYTES;

    /**
     * About what a dead letter carries: Connect's error headers with a message of a few hundred
     * bytes.
     */
    private static final List<Header> HEADERS =
            List.of(
                    header("__connect.errors.topic", "device-events"),
                    header("__connect.errors.partition", "3"),
                    header("__connect.errors.offset", "123456"),
                    header(
                            "__connect.errors.exception.class.name",
                            "io.twinlog.serde.MalformedAvroException"),
                    header("__connect.errors.exception.message", "x".repeat(400)),
                    header("twinlog.errors.reason", "MALFORMED_AVRO"),
                    header("twinlog.source.timestamp", "1767225600000"));

    @Test
    void aRecordThatFitsIsForwardedUnchanged() {
        byte[] value = new byte[1000];
        ProducerRecord<byte[], byte[]> record =
                ForwardedRecords.fitted("dlq", key("d-1"), value, HEADERS, MAX);

        assertThat(record.value()).isSameAs(value);
        assertThat(record.key()).isEqualTo(key("d-1"));
        assertThat(headers(record)).doesNotContainKey(ForwardedRecords.OMITTED);
    }

    @Test
    void aValueTheBrokerAcceptedButTheHeadersPushOverTheLimitIsReplacedByItsDigest()
            throws Exception {
        // The broker's default max.message.bytes lets a 1,048,400-byte value in; with the headers
        // the
        // copy no longer passes the producer's max.request.size.
        byte[] value = new byte[1_048_400];
        value[7] = 42;
        assertThat(ForwardedRecords.size(key("d-1"), value, HEADERS)).isGreaterThan(MAX);

        ProducerRecord<byte[], byte[]> record =
                ForwardedRecords.fitted("dlq", key("d-1"), value, HEADERS, MAX);

        assertThat(record.value()).isNull();
        assertThat(record.key()).isEqualTo(key("d-1"));
        assertThat(headers(record))
                .containsEntry(ForwardedRecords.OMITTED, "value")
                .containsEntry(ForwardedRecords.OMITTED_VALUE_BYTES, "1048400")
                .containsEntry(ForwardedRecords.OMITTED_VALUE_SHA256, sha256(value))
                .containsEntry("__connect.errors.offset", "123456");
        assertThat(
                        ForwardedRecords.size(
                                record.key(), record.value(), List.of(record.headers().toArray())))
                .isLessThanOrEqualTo(MAX);
    }

    @Test
    void aHugeKeyIsLeftOutToo() throws Exception {
        byte[] key = new byte[1_048_000];
        ProducerRecord<byte[], byte[]> withValue =
                ForwardedRecords.fitted("dlq", key, new byte[100_000], HEADERS, MAX);
        ProducerRecord<byte[], byte[]> tombstone =
                ForwardedRecords.fitted("dlq", key, null, HEADERS, MAX);

        assertThat(withValue.key()).isNull();
        assertThat(withValue.value()).isNull();
        assertThat(headers(withValue))
                .containsEntry(ForwardedRecords.OMITTED, "key,value")
                .containsEntry(ForwardedRecords.OMITTED_KEY_BYTES, "1048000")
                .containsEntry(ForwardedRecords.OMITTED_KEY_SHA256, sha256(key))
                .containsEntry(ForwardedRecords.OMITTED_VALUE_BYTES, "100000");
        assertThat(tombstone.key()).isNull();
        assertThat(headers(tombstone))
                .containsEntry(ForwardedRecords.OMITTED, "key")
                .doesNotContainKey(ForwardedRecords.OMITTED_VALUE_BYTES);
    }

    @Test
    void theBoundIsExactlyTheProducers() {
        byte[] key = key("d-1");
        int fits = MAX - ForwardedRecords.size(key, new byte[0], HEADERS);
        // The size of the length prefix grows with the value; search the largest value that fits.
        while (ForwardedRecords.size(key, new byte[fits + 1], HEADERS) <= MAX) {
            fits++;
        }
        while (ForwardedRecords.size(key, new byte[fits], HEADERS) > MAX) {
            fits--;
        }

        assertThat(ForwardedRecords.fitted("dlq", key, new byte[fits], HEADERS, MAX).value())
                .isNotNull();
        assertThat(ForwardedRecords.fitted("dlq", key, new byte[fits + 1], HEADERS, MAX).value())
                .isNull();
    }

    private static Map<String, String> headers(ProducerRecord<byte[], byte[]> record) {
        Map<String, String> headers = new HashMap<>();
        record.headers()
                .forEach(h -> headers.put(h.key(), new String(h.value(), StandardCharsets.UTF_8)));
        return headers;
    }

    private static String sha256(byte[] bytes) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }

    private static byte[] key(String key) {
        return key.getBytes(StandardCharsets.UTF_8);
    }

    private static Header header(String key, String value) {
        return new RecordHeader(key, value.getBytes(StandardCharsets.UTF_8));
    }
}
