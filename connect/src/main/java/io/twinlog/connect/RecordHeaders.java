package io.twinlog.connect;

import io.twinlog.schema.internal.DeadLetter;
import io.twinlog.schema.internal.LateEvent;
import io.twinlog.schema.internal.RawRecord;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeader;

/**
 * Headers of the records twinlog forwards unchanged. Dead letters carry Kafka Connect's error
 * headers, so tools written for Connect's dead-letter queues read them as they are.
 */
public final class RecordHeaders {

    public static final String ERRORS_TOPIC = "__connect.errors.topic";
    public static final String ERRORS_PARTITION = "__connect.errors.partition";
    public static final String ERRORS_OFFSET = "__connect.errors.offset";
    public static final String ERRORS_EXCEPTION_CLASS = "__connect.errors.exception.class.name";
    public static final String ERRORS_EXCEPTION_MESSAGE = "__connect.errors.exception.message";

    /** twinlog's own classification of the error: a DeadLetterReason name. */
    public static final String ERRORS_REASON = "twinlog.errors.reason";

    public static final String SOURCE_TOPIC = "twinlog.source.topic";
    public static final String SOURCE_PARTITION = "twinlog.source.partition";
    public static final String SOURCE_OFFSET = "twinlog.source.offset";

    /** The Kafka timestamp of the original record (forwarded records are stamped when written). */
    public static final String SOURCE_TIMESTAMP = "twinlog.source.timestamp";

    public static final String LATE_DEVICE_LAST_SEEN = "twinlog.late.device-last-seen";

    private RecordHeaders() {}

    public static List<Header> deadLetter(DeadLetter deadLetter) {
        RawRecord raw = deadLetter.getRaw();
        List<Header> headers = new ArrayList<>(7);
        headers.add(header(ERRORS_TOPIC, raw.getPosition().getTopic()));
        headers.add(header(ERRORS_PARTITION, Integer.toString(raw.getPosition().getPartition())));
        headers.add(header(ERRORS_OFFSET, Long.toString(raw.getPosition().getOffset())));
        headers.add(header(ERRORS_EXCEPTION_CLASS, deadLetter.getErrorClass()));
        headers.add(header(ERRORS_EXCEPTION_MESSAGE, deadLetter.getErrorMessage()));
        headers.add(header(ERRORS_REASON, deadLetter.getReason()));
        headers.add(header(SOURCE_TIMESTAMP, Long.toString(raw.getTimestamp())));
        return headers;
    }

    public static List<Header> late(LateEvent late) {
        RawRecord raw = late.getRaw();
        return List.of(
                header(SOURCE_TOPIC, raw.getPosition().getTopic()),
                header(SOURCE_PARTITION, Integer.toString(raw.getPosition().getPartition())),
                header(SOURCE_OFFSET, Long.toString(raw.getPosition().getOffset())),
                header(SOURCE_TIMESTAMP, Long.toString(raw.getTimestamp())),
                header(LATE_DEVICE_LAST_SEEN, Long.toString(late.getDeviceLastSeen())));
    }

    private static Header header(String key, String value) {
        return new RecordHeader(key, value.getBytes(StandardCharsets.UTF_8));
    }
}
