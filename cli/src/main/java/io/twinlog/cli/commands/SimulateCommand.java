package io.twinlog.cli.commands;

import io.twinlog.cli.options.Connection;
import io.twinlog.cli.options.DurationConverter;
import io.twinlog.cli.output.CliException;
import io.twinlog.cli.output.Terminal;
import io.twinlog.cli.simulator.DeviceSimulator;
import io.twinlog.cli.simulator.EmissionEncoder;
import io.twinlog.jobs.kafka.KafkaAccessFailure;
import io.twinlog.schema.TopicNames;
import io.twinlog.schema.event.DeviceEvent;
import io.twinlog.serde.ConfluentAvroSerializer;
import java.io.IOException;
import java.io.PrintWriter;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** Streams simulated device events into the event log at a steady rate, with faults mixed in. */
@Command(
        name = "simulate",
        mixinStandardHelpOptions = true,
        description =
                "Register N devices and stream their telemetry to the event log at a given rate,"
                        + " with faults in chosen proportions; prints progress and a summary of what it sent.")
public final class SimulateCommand implements Callable<Integer> {

    @Mixin Terminal terminal;

    @Mixin Connection connection;

    @Option(
            names = "--devices",
            defaultValue = "1000",
            description = "number of devices (default: ${DEFAULT-VALUE})")
    int devices;

    @Option(
            names = "--rate",
            defaultValue = "500",
            description = "records per second (default: ${DEFAULT-VALUE})")
    int rate;

    @Option(
            names = "--duration",
            defaultValue = "60s",
            paramLabel = "<time>",
            description = "how long to send, e.g. 30s, 5m (default: ${DEFAULT-VALUE})",
            converter = DurationConverter.class)
    Duration duration;

    @Option(
            names = "--count",
            description = "stop after this many records instead of after --duration")
    Long count;

    @Option(names = "--duplicates", defaultValue = "0", description = "share of records sent twice")
    double duplicates;

    @Option(
            names = "--out-of-order",
            defaultValue = "0",
            description = "share sent up to a minute older than the device's last")
    double outOfOrder;

    @Option(names = "--late", defaultValue = "0", description = "share sent older than --late-by")
    double late;

    @Option(
            names = "--late-by",
            defaultValue = "2h",
            converter = DurationConverter.class,
            description =
                    "age of late events (default: ${DEFAULT-VALUE}; the job's allowed lateness is 1h)")
    Duration lateBy;

    @Option(
            names = "--malformed",
            defaultValue = "0",
            description =
                    "share of bad records (not wire format, unknown schema, truncated, empty id)")
    double malformed;

    @Option(
            names = "--firmware-updates",
            defaultValue = "0",
            description = "share of firmware updates")
    double firmwareUpdates;

    @Option(
            names = "--decommissions",
            defaultValue = "0",
            description = "share of decommissionings (the device then sends 2 more records)")
    double decommissions;

    @Option(
            names = "--silent",
            defaultValue = "0",
            description = "per record, chance that its device falls silent for good")
    double silent;

    @Option(
            names = "--device-prefix",
            defaultValue = "dev-",
            description = "device ids are <prefix><number> (default: ${DEFAULT-VALUE})")
    String devicePrefix;

    @Option(
            names = "--seed",
            description =
                    "random seed: the same seed sends the same records, event ids included"
                            + " (default: a new one each run, printed)")
    Long seed;

    @Option(names = "--quiet", description = "no progress line")
    boolean quiet;

    @Spec CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        if (rate < 1) {
            throw new CliException("--rate must be at least 1");
        }
        DeviceSimulator.Faults faults;
        try {
            faults =
                    new DeviceSimulator.Faults(
                            duplicates,
                            outOfOrder,
                            late,
                            malformed,
                            firmwareUpdates,
                            decommissions,
                            silent);
        } catch (IllegalArgumentException e) {
            throw new CliException(e.getMessage());
        }
        long chosen = seed != null ? seed : new SecureRandom().nextLong();
        PrintWriter out = spec.commandLine().getOut();
        if (seed == null) {
            out.println("seed " + chosen + " (--seed " + chosen + " sends these records again)");
        } else {
            spec.commandLine()
                    .getErr()
                    .println(
                            "note: --seed "
                                    + chosen
                                    + " repeats the event ids of every earlier run with it; the"
                                    + " job drops repeats within dedup.window as duplicates");
        }
        out.flush();
        DeviceSimulator simulator =
                new DeviceSimulator(devices, devicePrefix, chosen, faults, lateBy);
        TopicNames topics = connection.topics();
        ConfluentAvroSerializer<DeviceEvent> serializer =
                new ConfluentAvroSerializer<>(
                        connection.registry(),
                        TopicNames.valueSubject(topics.events()),
                        DeviceEvent.class);
        registerSchema(serializer);
        EmissionEncoder encoder = new EmissionEncoder(serializer);
        AtomicLong acknowledged = new AtomicLong();
        AtomicReference<Exception> sendError = new AtomicReference<>();
        long limit = count != null ? count : Long.MAX_VALUE;
        long startNanos = System.nanoTime();
        long endNanos = count != null ? Long.MAX_VALUE : startNanos + duration.toNanos();
        Progress progress = new Progress(quiet, terminal.out());

        try (KafkaProducer<byte[], byte[]> producer = connection.kafka().producer()) {
            long sent = 0;
            while (sent < limit && System.nanoTime() < endNanos && sendError.get() == null) {
                // Steady rate: record n goes out at start + n / rate.
                long due = startNanos + sent * 1_000_000_000L / rate;
                long wait = due - System.nanoTime();
                if (wait > 0) {
                    Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
                }
                DeviceSimulator.Emission emission = simulator.next(System.currentTimeMillis());
                if (emission == null) {
                    terminal.out()
                            .println("every device is silent or decommissioned: stopping early");
                    break;
                }
                producer.send(
                        new ProducerRecord<>(
                                topics.events(),
                                EmissionEncoder.key(emission),
                                encoder.value(emission)),
                        (metadata, error) -> {
                            if (error != null) {
                                sendError.compareAndSet(null, error);
                            } else {
                                acknowledged.incrementAndGet();
                            }
                        });
                sent++;
                progress.maybePrint(sent, acknowledged.get(), startNanos);
            }
            producer.flush();
        }
        progress.done();
        if (sendError.get() != null) {
            throw new CliException(
                    sendFailure(sendError.get(), acknowledged.get(), connection.bootstrapServers));
        }
        printSummary(
                simulator,
                acknowledged.get(),
                (System.nanoTime() - startNanos) / 1e9,
                topics.events());
        return 0;
    }

    /** Why sending stopped: an outage is not a refusal. */
    public static String sendFailure(Exception error, long acknowledged, String bootstrapServers) {
        if (error instanceof org.apache.kafka.common.errors.TimeoutException) {
            return "Kafka did not acknowledge records in time (delivery.timeout.ms): is the broker"
                    + " up? (scripts/stack status; "
                    + bootstrapServers
                    + "); "
                    + acknowledged
                    + " records were acknowledged before";
        }
        return "Kafka refused a record: "
                + KafkaAccessFailure.of(error, "--command-config").orElse(error.getMessage());
    }

    private void registerSchema(ConfluentAvroSerializer<DeviceEvent> serializer) {
        try {
            serializer.schemaId();
        } catch (io.twinlog.registry.RegistryUnavailableException e) {
            throw new CliException(
                    "cannot reach the schema registry at "
                            + connection.registryUrl
                            + " (is the stack up? scripts/stack status; or check --registry-url)");
        } catch (IOException e) {
            throw new CliException(
                    "the registry refused the DeviceEvent schema: " + e.getMessage());
        }
    }

    private void printSummary(
            DeviceSimulator simulator, long acknowledged, double seconds, String topic) {
        terminal.out()
                .printf(
                        "sent %,d records to %s in %.1f s (%,.0f/s), all acknowledged: %s%n",
                        simulator.emitted(),
                        topic,
                        seconds,
                        simulator.emitted() / Math.max(seconds, 0.001),
                        acknowledged == simulator.emitted() ? "yes" : "no (" + acknowledged + ")");
        StringBuilder kinds = new StringBuilder();
        simulator
                .counts()
                .forEach(
                        (kind, n) -> {
                            if (n > 0) {
                                kinds.append(
                                        String.format(
                                                "  %-22s %,10d%n",
                                                kind.name().toLowerCase().replace('_', ' '), n));
                            }
                        });
        terminal.out().print(kinds);
        if (simulator.silentDevices() > 0) {
            terminal.out()
                    .printf("  %-22s %,10d%n", "devices gone silent", simulator.silentDevices());
        }
    }

    /** One progress line per second on a terminal, one per 10 s otherwise. */
    private static final class Progress {
        private final boolean quiet;
        private final boolean interactive = System.console() != null;
        private final PrintWriter out;
        private long lastPrint = System.nanoTime();

        Progress(boolean quiet, PrintWriter out) {
            this.quiet = quiet;
            this.out = out;
        }

        void maybePrint(long sent, long acknowledged, long startNanos) {
            long now = System.nanoTime();
            if (quiet || now - lastPrint < (interactive ? 1_000_000_000L : 10_000_000_000L)) {
                return;
            }
            lastPrint = now;
            double seconds = (now - startNanos) / 1e9;
            String line =
                    String.format(
                            "sent %,d records (%,.0f/s), %,d acknowledged, %.0f s",
                            sent, sent / seconds, acknowledged, seconds);
            out.print(interactive ? "\r" + line : line + "\n");
            out.flush();
        }

        void done() {
            if (interactive && !quiet) {
                out.println();
            }
        }
    }
}
