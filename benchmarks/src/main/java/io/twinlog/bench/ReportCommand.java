package io.twinlog.bench;

import io.twinlog.bench.report.BenchmarksReport;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** Regenerates docs/BENCHMARKS.md's measured part and the plots from the results file. */
@Command(
        name = "report",
        mixinStandardHelpOptions = true,
        description =
                "regenerate the tables of docs/BENCHMARKS.md and the plots from docs/benchmarks/results.json")
final class ReportCommand implements Callable<Integer> {

    @Mixin DocsOptions docs;

    @Override
    public Integer call() throws Exception {
        BenchmarksReport.write(docs.benchmarkResults(), docs.benchmarksDocument());
        System.out.println("wrote " + docs.benchmarksDocument());
        return 0;
    }
}
