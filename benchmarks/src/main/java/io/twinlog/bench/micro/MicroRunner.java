package io.twinlog.bench.micro;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * Runs the JMH benchmarks of this package, all with the same settings (average time per operation,
 * one fork, 3 x 2 s warm-up, 5 x 2 s measurement), and returns one line per benchmark method.
 */
public final class MicroRunner {

    /** Average time of one operation, with JMH's 99.9 % confidence half-width. */
    public record Score(String benchmark, double nanosPerOperation, double error) {}

    private MicroRunner() {}

    public static List<Score> run() throws RunnerException {
        Collection<RunResult> results =
                new Runner(
                                new OptionsBuilder()
                                        .include(MicroRunner.class.getPackageName() + ".*Benchmark")
                                        .mode(Mode.AverageTime)
                                        .timeUnit(TimeUnit.NANOSECONDS)
                                        .warmupIterations(3)
                                        .warmupTime(TimeValue.seconds(2))
                                        .measurementIterations(5)
                                        .measurementTime(TimeValue.seconds(2))
                                        .forks(1)
                                        .jvmArgsAppend("-Xms512m", "-Xmx512m")
                                        .build())
                        .run();
        List<Score> scores = new ArrayList<>();
        for (RunResult result : results) {
            var primary = result.getPrimaryResult();
            var params = result.getParams();
            String benchmark = params.getBenchmark();
            StringBuilder label =
                    new StringBuilder(
                            benchmark.substring(
                                    benchmark.lastIndexOf('.', benchmark.lastIndexOf('.') - 1)
                                            + 1));
            for (String key : params.getParamsKeys()) {
                label.append(" (").append(key).append('=').append(params.getParam(key)).append(')');
            }
            scores.add(new Score(label.toString(), primary.getScore(), primary.getScoreError()));
        }
        return scores;
    }
}
