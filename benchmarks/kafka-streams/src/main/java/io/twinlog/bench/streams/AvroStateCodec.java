package io.twinlog.bench.streams;

import io.twinlog.schema.state.DeviceState;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificDatumWriter;

/** A device's state as Avro binary, as Flink's Avro serializer keeps it. Not thread-safe. */
final class AvroStateCodec {

    private final SpecificDatumWriter<DeviceState> writer =
            new SpecificDatumWriter<>(DeviceState.class);
    private final SpecificDatumReader<DeviceState> reader =
            new SpecificDatumReader<>(DeviceState.class);
    private final ByteArrayOutputStream buffer = new ByteArrayOutputStream(512);
    private BinaryEncoder encoder;
    private BinaryDecoder decoder;

    byte[] encode(DeviceState state) {
        buffer.reset();
        encoder = EncoderFactory.get().directBinaryEncoder(buffer, encoder);
        try {
            writer.write(state, encoder);
            encoder.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return buffer.toByteArray();
    }

    DeviceState decode(byte[] bytes) {
        if (bytes == null) {
            return null;
        }
        decoder = DecoderFactory.get().binaryDecoder(bytes, decoder);
        try {
            return reader.read(null, decoder);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
