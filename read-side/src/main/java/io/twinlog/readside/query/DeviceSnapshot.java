package io.twinlog.readside.query;

import io.twinlog.readside.index.Position;
import io.twinlog.schema.state.DeviceState;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.TreeMap;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificDatumWriter;

/**
 * What the fold of one device held right after one of its records: everything a fold needs to go on
 * from there as if it had started at the device's first record (docs/READ-SIDE.md, "Snapshots").
 *
 * @param position the record folded last
 * @param records how many of the device's records were folded, that one included
 * @param state the job's state of the device, or null while the device is not known yet
 * @param spilled the dedup memory's spilled buckets (the part of it outside the state)
 * @param setters the position of the record that set each field the provenance names ({@code
 *     status}, {@code online}, {@code firmware}, {@code readings.<metric>}, {@code lastEvent})
 */
public record DeviceSnapshot(
        Position position,
        long records,
        DeviceState state,
        Map<Integer, Map<String, Long>> spilled,
        Map<String, Position> setters) {

    private static final int FORMAT = 1;

    /** The device's clock at the snapshot (epoch ms), or {@link Long#MIN_VALUE} if none yet. */
    public long lastSeen() {
        return state == null || state.getTwin().getLastSeen() == null
                ? Long.MIN_VALUE
                : state.getTwin().getLastSeen().toEpochMilli();
    }

    /** The state in the job's Avro schema (DeviceState), the rest in a fixed binary layout. */
    public byte[] encode() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(1024);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeByte(FORMAT);
            out.writeInt(position.partition());
            out.writeLong(position.offset());
            out.writeLong(records);
            if (state == null) {
                out.writeInt(-1);
            } else {
                ByteArrayOutputStream avro = new ByteArrayOutputStream(512);
                BinaryEncoder encoder = EncoderFactory.get().directBinaryEncoder(avro, null);
                new SpecificDatumWriter<>(DeviceState.class).write(state, encoder);
                encoder.flush();
                out.writeInt(avro.size());
                avro.writeTo(out);
            }
            out.writeInt(spilled.size());
            for (Map.Entry<Integer, Map<String, Long>> bucket : spilled.entrySet()) {
                out.writeInt(bucket.getKey());
                out.writeInt(bucket.getValue().size());
                for (Map.Entry<String, Long> id : bucket.getValue().entrySet()) {
                    text(out, id.getKey());
                    out.writeLong(id.getValue());
                }
            }
            out.writeInt(setters.size());
            for (Map.Entry<String, Position> setter : setters.entrySet()) {
                text(out, setter.getKey());
                out.writeInt(setter.getValue().partition());
                out.writeLong(setter.getValue().offset());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    public static DeviceSnapshot decode(byte[] bytes) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes))) {
            int format = in.readByte();
            if (format != FORMAT) {
                throw new IllegalStateException("a snapshot of format " + format);
            }
            Position position = new Position(in.readInt(), in.readLong());
            long records = in.readLong();
            int stateLength = in.readInt();
            DeviceState state = null;
            if (stateLength >= 0) {
                byte[] avro = in.readNBytes(stateLength);
                BinaryDecoder decoder = DecoderFactory.get().binaryDecoder(avro, null);
                state = new SpecificDatumReader<>(DeviceState.class).read(null, decoder);
            }
            Map<Integer, Map<String, Long>> spilled = new TreeMap<>();
            for (int buckets = in.readInt(); buckets > 0; buckets--) {
                int bucket = in.readInt();
                Map<String, Long> ids = new TreeMap<>();
                for (int n = in.readInt(); n > 0; n--) {
                    ids.put(text(in), in.readLong());
                }
                spilled.put(bucket, ids);
            }
            Map<String, Position> setters = new TreeMap<>();
            for (int n = in.readInt(); n > 0; n--) {
                setters.put(text(in), new Position(in.readInt(), in.readLong()));
            }
            return new DeviceSnapshot(position, records, state, spilled, setters);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void text(DataOutputStream out, String text) throws IOException {
        byte[] utf8 = text.getBytes(StandardCharsets.UTF_8);
        out.writeInt(utf8.length);
        out.write(utf8);
    }

    private static String text(DataInputStream in) throws IOException {
        return new String(in.readNBytes(in.readInt()), StandardCharsets.UTF_8);
    }
}
