package io.twinlog.cli.options;

import java.time.Duration;
import picocli.CommandLine.Option;

/** How a tail command reads: where it starts, what it shows, when it stops. */
public final class TailOptions {

    @Option(
            names = "--from-beginning",
            description = "read the topic from its start (default: only new records)")
    public boolean fromBeginning;

    @Option(names = "--device", paramLabel = "<id>", description = "only this device")
    public String device;

    @Option(names = "--json", description = "one JSON object per line instead of a readable line")
    public boolean json;

    @Option(names = "--max", paramLabel = "<n>", description = "stop after n records")
    public Long max;

    @Option(
            names = "--idle-exit",
            paramLabel = "<time>",
            converter = DurationConverter.class,
            description = "stop when no record came for this long (default: run until Ctrl-C)")
    public Duration idleExit;
}
