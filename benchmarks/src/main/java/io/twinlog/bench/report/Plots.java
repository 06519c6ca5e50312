package io.twinlog.bench.report;

import com.fasterxml.jackson.databind.JsonNode;
import java.awt.BasicStroke;
import java.awt.Color;
import java.io.IOException;
import java.nio.file.Path;
import org.jfree.chart.ChartFactory;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.LogAxis;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/** The plots of docs/BENCHMARKS.md, drawn from the results file. */
final class Plots {

    private static final int WIDTH = 800;
    private static final int HEIGHT = 480;

    private Plots() {}

    /** Events per second of the job (and its checkpoint p99) against the number of devices. */
    static void throughputAgainstDevices(JsonNode scaleRuns, Path png) throws IOException {
        XYSeries throughput = new XYSeries("DeviceTwinJob, RocksDB, exactly-once (events/s)");
        for (JsonNode run : scaleRuns) {
            if (BenchmarksReport.failed(run)) {
                continue;
            }
            throughput.add(
                    run.path("devices").asDouble(),
                    run.path("events").asDouble() / run.path("seconds").asDouble());
        }
        JFreeChart chart =
                lineChart(
                        "Throughput against devices",
                        "devices",
                        "events per second",
                        new XYSeriesCollection(throughput));
        XYPlot plot = chart.getXYPlot();
        LogAxis devices = new LogAxis("devices (log scale)");
        devices.setBase(10);
        devices.setSmallestValue(1000);
        plot.setDomainAxis(devices);
        ((NumberAxis) plot.getRangeAxis()).setAutoRangeIncludesZero(true);
        style(plot);
        ChartUtils.saveChartAsPNG(png.toFile(), chart, WIDTH, HEIGHT);
    }

    /** Latency distribution (percentile against milliseconds) of each latency run. */
    static void latencyDistribution(JsonNode latencyRuns, Path png) throws IOException {
        XYSeriesCollection series = new XYSeriesCollection();
        for (JsonNode run : latencyRuns) {
            XYSeries distribution = new XYSeries(run.path("setup").path("name").asText(), false);
            JsonNode quantiles = run.path("quantiles");
            for (int q = 0; q < quantiles.size(); q++) {
                distribution.add(Math.max(1, quantiles.get(q).asDouble()), q);
            }
            series.addSeries(distribution);
        }
        JFreeChart chart =
                lineChart(
                        "End-to-end latency (event produced to record read)",
                        "milliseconds",
                        "percentile",
                        series);
        XYPlot plot = chart.getXYPlot();
        LogAxis millis = new LogAxis("milliseconds (log scale)");
        millis.setBase(10);
        millis.setSmallestValue(1);
        plot.setDomainAxis(millis);
        ((NumberAxis) plot.getRangeAxis()).setRange(0, 100);
        style(plot);
        ChartUtils.saveChartAsPNG(png.toFile(), chart, WIDTH, HEIGHT);
    }

    /** Events per second of each pass, one line per engine, against the round. */
    static void compareRounds(JsonNode runs, java.util.List<String> engines, Path png)
            throws IOException {
        XYSeriesCollection series = new XYSeriesCollection();
        for (String engine : engines) {
            XYSeries rates = new XYSeries(engine + " (events/s from submission)");
            XYSeries steady = new XYSeries(engine + " (steady events/s)");
            for (JsonNode run : runs) {
                if (run.path("engine").asText().equals(engine)) {
                    rates.add(run.path("round").asDouble(), CompareReport.rate(run));
                    steady.add(
                            run.path("round").asDouble(),
                            run.path("steadyEventsPerSecond").asDouble());
                }
            }
            series.addSeries(rates);
            series.addSeries(steady);
        }
        JFreeChart chart =
                lineChart(
                        "twinlog and Kafka Streams on the same log, pass by pass",
                        "round",
                        "events per second",
                        series);
        XYPlot plot = chart.getXYPlot();
        ((NumberAxis) plot.getRangeAxis()).setAutoRangeIncludesZero(true);
        NumberAxis rounds = (NumberAxis) plot.getDomainAxis();
        rounds.setStandardTickUnits(NumberAxis.createIntegerTickUnits());
        style(plot);
        ChartUtils.saveChartAsPNG(png.toFile(), chart, WIDTH, HEIGHT);
    }

    private static void style(XYPlot plot) {
        plot.setBackgroundPaint(Color.WHITE);
        plot.setDomainGridlinePaint(Color.LIGHT_GRAY);
        plot.setRangeGridlinePaint(Color.LIGHT_GRAY);
        XYLineAndShapeRenderer renderer = new XYLineAndShapeRenderer(true, true);
        for (int i = 0; i < plot.getDataset().getSeriesCount(); i++) {
            renderer.setSeriesStroke(i, new BasicStroke(2f));
        }
        plot.setRenderer(renderer);
    }

    /** A line chart with a legend, no tooltips and no links. */
    private static JFreeChart lineChart(
            String title, String x, String y, XYSeriesCollection series) {
        return ChartFactory.createXYLineChart(
                title, x, y, series, PlotOrientation.VERTICAL, true, false, false);
    }
}
