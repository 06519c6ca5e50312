package io.twinlog.jobs.kafka;

import io.twinlog.connect.RawRecords;
import io.twinlog.connect.RecordAdmission;
import io.twinlog.ingest.EventAdmission;
import io.twinlog.ingest.RetryBackoff;
import io.twinlog.jobs.serde.StrictRegistryAvroDeserializationSchema;
import io.twinlog.kernel.LogAdmission;
import io.twinlog.registry.RegistryUnavailableException;
import io.twinlog.schema.event.DeviceEvent;
import io.twinlog.schema.internal.IngestedRecord;
import io.twinlog.schema.rules.RuleSet;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.time.Duration;
import org.apache.flink.api.common.serialization.DeserializationSchema;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.connector.kafka.source.reader.deserializer.KafkaRecordDeserializationSchema;
import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;
import org.apache.flink.util.Collector;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decodes the event log in the source, so that watermarks can follow event time per partition.
 * Every record becomes an {@link IngestedRecord}: a valid event, a rules marker (a record with the
 * {@code twinlog.record: rules-activated} header, docs/RULES.md) or a dead letter. While the
 * registry cannot be reached, the source waits and retries (backpressure) instead of dead-lettering
 * good records.
 */
public final class DeviceEventRecordDeserializer
        implements KafkaRecordDeserializationSchema<IngestedRecord> {

    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(DeviceEventRecordDeserializer.class);
    private static final long LOG_EVERY_MILLIS = 30_000;

    private final EventAdmission admission;
    private final StrictRegistryAvroDeserializationSchema<DeviceEvent> values;
    private final StrictRegistryAvroDeserializationSchema<RuleSet> ruleSets;
    private transient RetryBackoff backoff;
    private transient LogAdmission kernel;

    public DeviceEventRecordDeserializer(
            EventAdmission admission,
            StrictRegistryAvroDeserializationSchema<DeviceEvent> values,
            StrictRegistryAvroDeserializationSchema<RuleSet> ruleSets) {
        this.admission = admission;
        this.values = values;
        this.ruleSets = ruleSets;
    }

    @Override
    public void open(DeserializationSchema.InitializationContext context) throws Exception {
        values.open(context);
        ruleSets.open(context);
    }

    @Override
    public void deserialize(ConsumerRecord<byte[], byte[]> record, Collector<IngestedRecord> out)
            throws IOException {
        var raw =
                RawRecords.of(
                        record.key(),
                        record.value(),
                        record.topic(),
                        record.partition(),
                        record.offset(),
                        record.timestamp());
        boolean marker = RecordAdmission.isMarker(record.headers());
        long unavailableSince = -1;
        long lastLogged = 0;
        while (true) {
            try {
                out.collect(RecordAdmission.admit(admission(), raw, marker));
                if (unavailableSince >= 0) {
                    LOG.info(
                            "Schema registry reachable again after {} ms; decoding resumes at {}-{}@{}",
                            System.currentTimeMillis() - unavailableSince,
                            record.topic(),
                            record.partition(),
                            record.offset());
                }
                return;
            } catch (RegistryUnavailableException e) {
                long now = System.currentTimeMillis();
                if (unavailableSince < 0) {
                    unavailableSince = now;
                    backoff().reset();
                }
                if (now - lastLogged >= LOG_EVERY_MILLIS) {
                    LOG.warn(
                            "Cannot decode {}-{}@{}: {}. Retrying until the registry answers (unavailable for {} ms).",
                            record.topic(),
                            record.partition(),
                            record.offset(),
                            e.getMessage(),
                            now - unavailableSince);
                    lastLogged = now;
                }
                sleep(backoff().nextDelayMillis());
            }
        }
    }

    /** The kernel's admission over this job's decoders. */
    private LogAdmission admission() {
        if (kernel == null) {
            kernel = new LogAdmission(admission, values::deserialize, ruleSets::deserialize);
        }
        return kernel;
    }

    private RetryBackoff backoff() {
        if (backoff == null) {
            backoff = new RetryBackoff(Duration.ofMillis(100), Duration.ofSeconds(5));
        }
        return backoff;
    }

    private static void sleep(long millis) throws InterruptedIOException {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while waiting for the schema registry");
        }
    }

    @Override
    public TypeInformation<IngestedRecord> getProducedType() {
        return new AvroTypeInfo<>(IngestedRecord.class);
    }
}
