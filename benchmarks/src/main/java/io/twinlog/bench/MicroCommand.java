package io.twinlog.bench;

import io.twinlog.bench.micro.MicroRunner;
import io.twinlog.bench.report.BenchmarksReport;
import io.twinlog.bench.report.ResultsFile;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** Runs the JMH micro-benchmarks and records their scores. */
@Command(
        name = "micro",
        mixinStandardHelpOptions = true,
        description = "JMH: decode, fold, alert rules, encode (a few minutes; no stack needed)")
final class MicroCommand implements Callable<Integer> {

    @Mixin DocsOptions docs;

    @Override
    public Integer call() throws Exception {
        List<MicroRunner.Score> scores = MicroRunner.run();
        ResultsFile results = docs.benchmarkResults();
        results.put("micro", scores);
        BenchmarksReport.write(results, docs.benchmarksDocument());
        scores.forEach(
                s ->
                        System.out.printf(
                                "%-45s %,10.0f ns ± %,.0f%n",
                                s.benchmark(), s.nanosPerOperation(), s.error()));
        return 0;
    }
}
