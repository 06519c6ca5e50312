package io.twinlog.bench.micro;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.OptionsBuilder;

/** Runs the JMH benchmarks of this package and returns one line per benchmark method. */
public final class MicroRunner {

    /** Average time of one operation, with JMH's 99.9 % confidence half-width. */
    public record Score(String benchmark, double nanosPerOperation, double error) {}

    private MicroRunner() {}

    public static List<Score> run() throws RunnerException {
        Collection<RunResult> results = new Runner(new OptionsBuilder()
                .include(MicroRunner.class.getPackageName() + ".*Benchmark")
                .build()).run();
        List<Score> scores = new ArrayList<>();
        for (RunResult result : results) {
            var primary = result.getPrimaryResult();
            var params = result.getParams();
            String benchmark = params.getBenchmark();
            StringBuilder label = new StringBuilder(benchmark.substring(benchmark.lastIndexOf('.', benchmark.lastIndexOf('.') - 1) + 1));
            for (String key : params.getParamsKeys()) {
                label.append(" (").append(key).append('=').append(params.getParam(key)).append(')');
            }
            scores.add(new Score(label.toString(), primary.getScore(), primary.getScoreError()));
        }
        return scores;
    }
}
