package io.twinlog.schema;

import io.twinlog.schema.rules.RuleSet;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificDatumWriter;

/**
 * How a rules version is written into the event log (docs/RULES.md): a record in every partition
 * whose header {@link #HEADER} says {@link #RULES_ACTIVATED} and whose value is a {@link RuleSet}
 * in the Confluent wire format, under the subject {@link #SUBJECT} (the event log's own subject
 * holds DeviceEvent only). Defined once, for the publisher and for every reader of the log.
 */
public final class RulesMarkers {

    /** The header that marks a record of the event log as not a device event. */
    public static final String HEADER = "twinlog.record";

    public static final String RULES_ACTIVATED = "rules-activated";

    /** The subject of the RuleSet schema (RecordNameStrategy: the record's full name). */
    public static final String SUBJECT = RuleSet.getClassSchema().getFullName();

    /**
     * The compatibility of {@link #SUBJECT}: the job and the CLI of any release read any version.
     */
    public static final CompatibilityLevel COMPATIBILITY = CompatibilityLevel.FULL_TRANSITIVE;

    /** The record key of a marker: not a device id, so no device's events share it by accident. */
    public static final String KEY = "twinlog.rules";

    private RulesMarkers() {}

    /** Whether a record with this header value is a rules marker. */
    public static boolean isMarker(byte[] headerValue) {
        return headerValue != null
                && new String(headerValue, StandardCharsets.UTF_8).equals(RULES_ACTIVATED);
    }

    /**
     * A 64-bit identity of a rule set's content (SHA-256 of its Avro binary encoding, first 8
     * bytes; never 0, which stands for version 0, the job's rules file). Two markers of the same
     * version with different content get different fingerprints, so each event is evaluated with
     * exactly the content its own partition activated.
     */
    public static long fingerprint(RuleSet ruleSet) {
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            BinaryEncoder encoder = EncoderFactory.get().directBinaryEncoder(bytes, null);
            new SpecificDatumWriter<>(RuleSet.class).write(ruleSet, encoder);
            encoder.flush();
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(bytes.toByteArray());
            long fingerprint = ByteBuffer.wrap(digest).getLong();
            return fingerprint == 0 ? 1 : fingerprint;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
        }
    }
}
