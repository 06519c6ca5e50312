package io.twinlog.bench.compare;

import static org.assertj.core.api.Assertions.assertThat;

import io.twinlog.bench.profile.StackParts;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProfilerTest {

    @TempDir Path dir;

    @Test
    void sharesAreOfAllSamplesWithNativeFramesAndThreadsCounted() throws Exception {
        Path collapsed =
                Files.writeString(
                        dir.resolve("p.collapsed"),
                        String.join(
                                "\n",
                                // a task thread reading state: the JNI call and RocksDB's C++ below
                                // it
                                "[Device twin fold (1/2)#0 tid=11];org/apache/flink/streaming/runtime/tasks/StreamTask.run;"
                                        + "io/twinlog/jobs/functions/KeyedDeviceState.fold;"
                                        + "org/apache/flink/contrib/streaming/state/RocksDBValueState.value;"
                                        + "org/rocksdb/RocksDB.get;Java_org_rocksdb_RocksDB_get__J_3BIIJ;rocksdb::DBImpl::Get 40",
                                // the same thread encoding an output
                                "[Device twin fold (1/2)#0 tid=11];io/twinlog/jobs/kafka/OutputRecordEncoder.encode;"
                                        + "org/apache/avro/specific/SpecificDatumWriter.write 20",
                                // RocksDB compacting, in its own native thread
                                "[rocksdb:low tid=12];rocksdb::CompactionJob::Run;snappy::RawCompress 30",
                                "[C2 CompilerThread0 tid=13];Compile::Compile 10",
                                ""));

        Profiler.Result result = Profiler.read(collapsed);

        assertThat(result.samples()).isEqualTo(100);
        assertThat(asMap(result.byThread()))
                .containsEntry("task threads", 60.0)
                .containsEntry("RocksDB flush and compaction", 30.0)
                .containsEntry("JIT compiler", 10.0);
        assertThat(asMap(result.taskThreadsByPart()))
                .containsEntry("keyed state: read (RocksDB get, deserialize)", 40.0)
                .containsEntry("sink: encode outputs", 20.0);
        assertThat(result.nativeRocksDb()).isEqualTo(70.0);
        assertThat(result.compression()).isEqualTo(30.0);
    }

    private static Map<String, Double> asMap(java.util.List<StackParts.Share> shares) {
        return shares.stream()
                .collect(Collectors.toMap(StackParts.Share::part, StackParts.Share::percent));
    }
}
