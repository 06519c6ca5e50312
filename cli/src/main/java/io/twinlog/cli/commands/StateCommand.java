package io.twinlog.cli.commands;

import io.twinlog.cli.kafka.LogBounds;
import io.twinlog.cli.options.Connection;
import io.twinlog.cli.options.JobOptionsMixin;
import io.twinlog.cli.options.RecordedOptions;
import io.twinlog.cli.output.CliException;
import io.twinlog.cli.output.OutputOption;
import io.twinlog.cli.output.RecordLines;
import io.twinlog.cli.output.Terminal;
import io.twinlog.ingest.EventAdmission;
import io.twinlog.jobs.state.DeviceSnapshot;
import io.twinlog.jobs.state.LogReplay;
import io.twinlog.jobs.state.SavepointContents;
import io.twinlog.jobs.state.StateComparison;
import io.twinlog.options.DeviceTwinJobOptions;
import io.twinlog.schema.event.DeviceEvent;
import io.twinlog.schema.rules.RuleSet;
import io.twinlog.schema.state.DeviceState;
import io.twinlog.serde.ConfluentAvroDeserializer;
import io.twinlog.twin.DeviceFold;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** Reads the twins in savepoints: inspect one, compare two, verify one against the log. */
@Command(
        name = "state",
        mixinStandardHelpOptions = true,
        description = "Read the twins held in savepoints.",
        subcommands = {
            StateCommand.Inspect.class,
            StateCommand.Diff.class,
            StateCommand.Verify.class
        })
public final class StateCommand {

    @Command(
            name = "inspect",
            mixinStandardHelpOptions = true,
            description = "Print the twins of a savepoint (or retained checkpoint).")
    static final class Inspect implements Callable<Integer> {

        @Mixin Terminal terminal;

        @Parameters(index = "0", paramLabel = "<savepoint>")
        String savepoint;

        @Option(names = "--device", paramLabel = "<id>", description = "only this device")
        String device;

        @Mixin OutputOption output;

        @Override
        public Integer call() throws Exception {
            Map<String, DeviceState> states = SavepointContents.deviceStates(savepoint);
            if (device != null && !states.containsKey(device)) {
                throw new CliException(
                        "no device "
                                + device
                                + " in "
                                + savepoint
                                + " ("
                                + states.size()
                                + " devices)");
            }
            for (DeviceState state : states.values()) {
                if (device == null || device.equals(state.getTwin().getDeviceId())) {
                    terminal.out()
                            .println(
                                    output.json()
                                            ? state.toString()
                                            : RecordLines.twin(state.getTwin()));
                }
            }
            if (!output.json()) {
                terminal.err().printf("%,d devices%n", device == null ? states.size() : 1);
            }
            return 0;
        }
    }

    @Command(
            name = "diff",
            mixinStandardHelpOptions = true,
            description =
                    "Report the devices whose state differs between two savepoints, field by field."
                            + " Exit status 1 when any differs.")
    static final class Diff implements Callable<Integer> {

        @Mixin Terminal terminal;

        @Parameters(index = "0", paramLabel = "<a>")
        String left;

        @Parameters(index = "1", paramLabel = "<b>")
        String right;

        @Option(
                names = "--max",
                defaultValue = "50",
                description = "print at most this many differences (default: ${DEFAULT-VALUE})")
        int max;

        @Override
        public Integer call() throws Exception {
            StateComparison comparison =
                    StateComparison.of(
                            SavepointContents.devices(left),
                            SavepointContents.devices(right),
                            "a",
                            "b");
            comparison.differences().stream().limit(max).forEach(terminal.out()::println);
            terminal.out()
                    .printf(
                            "%,d devices identical, %,d differ%n",
                            comparison.matched(), comparison.mismatched());
            return comparison.identical() ? 0 : 1;
        }
    }

    @Command(
            name = "verify",
            mixinStandardHelpOptions = true,
            description =
                    "Fold the event log, outside Flink, up to the offsets the savepoint covers and compare every"
                            + " device with the savepoint. Exit status 1 on any mismatch.",
            footer =
                    "The fold uses the semantic options recorded in the savepoint (rules, lateness, silence timeout,"
                            + " limits); options given after -- (or --rules) replace them, to check the state against other ones.")
    static final class Verify implements Callable<Integer> {

        @Mixin Terminal terminal;

        @Mixin Connection connection;

        @Mixin JobOptionsMixin job;

        @Parameters(index = "0", paramLabel = "<savepoint>")
        String savepoint;

        @Parameters(
                index = "1..*",
                paramLabel = "<job option>",
                description = "the live job's options, after --")
        List<String> jobOptions = new ArrayList<>();

        @Option(
                names = "--max",
                defaultValue = "20",
                description = "print at most this many mismatches (default: ${DEFAULT-VALUE})")
        int max;

        @Override
        public Integer call() throws Exception {
            DeviceTwinJobOptions options =
                    RecordedOptions.forSavepoint(savepoint, job, connection, jobOptions);
            long began = System.nanoTime();
            SavepointContents.Coverage coverage = SavepointContents.coverage(savepoint);
            Map<String, DeviceSnapshot> saved = SavepointContents.devices(savepoint);
            terminal.out()
                    .printf(
                            "savepoint: %,d devices, covering %s %s%n",
                            saved.size(),
                            coverage.topic(),
                            LogBounds.describe(coverage.nextOffsets()));
            LogReplay replay =
                    new LogReplay(
                            new EventAdmission(options.contract()),
                            new ConfluentAvroDeserializer<>(
                                    connection.registry(), DeviceEvent.class),
                            new ConfluentAvroDeserializer<>(connection.registry(), RuleSet.class),
                            new DeviceFold(options.foldSettings(), options.rules()));
            Map<String, DeviceSnapshot> folded;
            try (KafkaConsumer<byte[], byte[]> consumer = connection.kafka().committedReader()) {
                folded =
                        replay.fold(
                                consumer,
                                coverage.topic(),
                                coverage.nextOffsets(),
                                read ->
                                        terminal.err()
                                                .printf("  folded %,d records of the log%n", read));
            }
            StateComparison comparison =
                    StateComparison.of(saved, folded, "the savepoint", "the log");
            comparison.differences().stream().limit(max).forEach(terminal.out()::println);
            terminal.out()
                    .printf(
                            "%,d devices match the log, %,d mismatch (%.1f s)%n",
                            comparison.matched(),
                            comparison.mismatched(),
                            (System.nanoTime() - began) / 1e9);
            return comparison.identical() ? 0 : 1;
        }
    }
}
