package io.twinlog.bench;

import io.twinlog.bench.report.ResultsFile;
import java.io.IOException;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** Where results and documents go (the repo's docs/ by default). */
public final class DocsOptions {

    @Option(
            names = "--docs",
            paramLabel = "<dir>",
            defaultValue = "${env:TWINLOG_ROOT:-.}/docs",
            description = "documentation folder to write to (default: ${DEFAULT-VALUE})")
    Path docs;

    public ResultsFile benchmarkResults() throws IOException {
        return ResultsFile.open(docs.resolve("benchmarks").resolve("results.json"));
    }

    public Path benchmarksDocument() {
        return docs.resolve("BENCHMARKS.md");
    }

    public Path docs() {
        return docs;
    }
}
