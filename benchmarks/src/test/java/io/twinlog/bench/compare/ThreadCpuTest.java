package io.twinlog.bench.compare;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class ThreadCpuTest {

    @Test
    void threadsAreGroupedByWhatTheyAreFor() {
        assertThat(ThreadCpu.group("Device twin fold -> twinlog outputs: Writer (2/2)#0"))
                .isEqualTo("task threads");
        assertThat(ThreadCpu.group("app-StreamThread-1")).isEqualTo("task threads");
        assertThat(ThreadCpu.group("Source Data Fetcher for Source: device-events (1/2)#0"))
                .isEqualTo("Kafka consumer");
        assertThat(ThreadCpu.group("rocksdb:low")).isEqualTo("RocksDB flush and compaction");
        assertThat(ThreadCpu.group("C2 CompilerThread0")).isEqualTo("JIT compiler");
        assertThat(ThreadCpu.group("G1 Conc#0")).isEqualTo("GC and safepoints");
        assertThat(ThreadCpu.group("kafka-producer-network-thread | producer-1"))
                .isEqualTo("Kafka producer I/O");
        assertThat(ThreadCpu.group("flink-pekko.actor.default-dispatcher-4")).isEqualTo("other");
    }

    @Test
    void cpuBetweenSnapshotsCountsThreadsBornInBetweenFromZero() {
        Map<Long, ThreadCpu.Thread> before = Map.of(1L, new ThreadCpu.Thread("rocksdb:low", 100));
        Map<Long, ThreadCpu.Thread> after =
                Map.of(
                        1L, new ThreadCpu.Thread("rocksdb:low", 150),
                        2L, new ThreadCpu.Thread("C1 CompilerThread0", 30));

        assertThat(ThreadCpu.secondsByGroup(before, after))
                .containsEntry("RocksDB flush and compaction", 0.5)
                .containsEntry("JIT compiler", 0.3);
    }
}
