package io.twinlog.cli.commands;

import io.twinlog.cli.options.DurationConverter;
import io.twinlog.cli.options.ServeAccessOptions;
import io.twinlog.cli.output.Terminal;
import io.twinlog.readside.ReadSide;
import io.twinlog.readside.SelfCheck;
import io.twinlog.readside.group.GroupConfig;
import io.twinlog.readside.http.Caller;
import io.twinlog.readside.http.PasswordFile;
import io.twinlog.readside.http.ReadSideAccess;
import io.twinlog.readside.http.ReadSideServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** The read-side service: follows the log and answers over HTTP, with the web console. */
@Command(
        name = "serve",
        mixinStandardHelpOptions = true,
        description = {
            "Run the read-side service: it follows the event log, the twins and the alerts"
                    + " (read_committed) into its index and answers over HTTP: the web console at /, the"
                    + " JSON API under /api (README: 'The read side'), live alerts as Server-Sent Events,"
                    + " /health, /ready and Prometheus /metrics. Runs until stopped."
        })
public final class ServeCommand extends ReadSideCommand implements Callable<Integer> {

    @Mixin Terminal terminal;

    @Parameters(
            index = "0..*",
            paramLabel = "<job option>",
            description = "the job's semantic options, after -- (as given to submit)")
    List<String> jobOptions = new ArrayList<>();

    @Override
    List<String> jobOptions() {
        return jobOptions;
    }

    public @Mixin ServeAccessOptions access;

    @Option(
            names = "--hash-password",
            paramLabel = "<name>",
            description =
                    "print a line of a --password-file for this user (scope read), the password read"
                            + " from the console or standard input, and exit")
    String hashPassword;

    @Option(
            names = "--host",
            defaultValue = "127.0.0.1",
            description = "interface to listen on (default: ${DEFAULT-VALUE}, this machine only)")
    String host;

    @Option(
            names = "--port",
            defaultValue = "${env:TWINLOG_READ_SIDE_PORT:-8090}",
            description = "HTTP port (default: ${DEFAULT-VALUE})")
    public int port;

    @Option(
            names = "--self-check-every",
            defaultValue = "30s",
            converter = DurationConverter.class,
            description =
                    "verify the next devices against their published twins this often (default: ${DEFAULT-VALUE})")
    Duration selfCheckEvery;

    @Option(
            names = "--group",
            paramLabel = "<id>",
            description =
                    "share the event log's partitions with the other instances of this group (a Kafka"
                            + " consumer group): each indexes its own, any answers for any device"
                            + " (docs/READ-SIDE.md, 'Several instances'); alone if not given")
    public String group;

    @Option(
            names = "--advertised-url",
            paramLabel = "<url>",
            description =
                    "where the group's other instances reach this one (default: this service's"
                            + " scheme, --host and --port)")
    public String advertisedUrl;

    @Option(
            names = "--group-session-timeout",
            defaultValue = "10s",
            converter = DurationConverter.class,
            description =
                    "how long an instance of the group may be silent before the others take its"
                            + " partitions (default: ${DEFAULT-VALUE})")
    Duration groupSessionTimeout;

    @Override
    public Integer call() throws Exception {
        if (hashPassword != null) {
            String password =
                    System.console() != null
                            ? new String(System.console().readPassword("password: "))
                            : new java.io.BufferedReader(
                                            new java.io.InputStreamReader(
                                                    System.in,
                                                    java.nio.charset.StandardCharsets.UTF_8))
                                    .readLine();
            terminal.out()
                    .println(
                            PasswordFile.line(
                                    hashPassword, java.util.Set.of(Caller.READ), password));
            return 0;
        }
        ReadSideAccess serverAccess = access.access(host, port);
        GroupConfig groupConfig =
                group == null
                        ? null
                        : new GroupConfig(
                                group,
                                advertisedUrl != null
                                        ? advertisedUrl
                                        : (serverAccess.tls() ? "https" : "http")
                                                + "://"
                                                + (host.equals("0.0.0.0") ? "localhost" : host)
                                                + ":"
                                                + port,
                                groupSessionTimeout);
        ReadSide side = open("serve", groupConfig);
        // An index that stopped following the log only gets older: exit, loudly, so that what
        // supervises the service (scripts/stack, Kubernetes) restarts it. From another thread,
        // because the shutdown hook waits for the follower's.
        side.follower()
                .onDeath(
                        () ->
                                new Thread(
                                                () -> {
                                                    terminal.err()
                                                            .println(
                                                                    "the read side stopped following the"
                                                                            + " log: "
                                                                            + side.follower()
                                                                                    .death()
                                                                            + "; exiting");
                                                    System.exit(1);
                                                },
                                                "read-side-exit")
                                        .start());
        side.follow();
        ReadSideServer server = ReadSideServer.start(side, serverAccess);
        SelfCheck selfCheck = new SelfCheck(side, 50).start(selfCheckEvery);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime()
                .addShutdownHook(
                        new Thread(
                                () -> {
                                    selfCheck.close();
                                    server.close();
                                    side.close();
                                    stopped.countDown();
                                }));
        terminal.out()
                .printf(
                        "read side serving %s://%s:%d/ (index %s%s%s)%n",
                        serverAccess.tls() ? "https" : "http",
                        host.equals("0.0.0.0") ? "localhost" : host,
                        server.port(),
                        side.config().indexDir(),
                        groupConfig == null
                                ? ""
                                : "; group " + group + " as " + groupConfig.advertisedUrl(),
                        serverAccess.authenticates() ? "; credentials required" : "");
        stopped.await();
        return 0;
    }
}
