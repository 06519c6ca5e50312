package io.twinlog.cli.commands;

import io.twinlog.cli.kafka.AccessLayout;
import io.twinlog.cli.kafka.AccessLayout.Role;
import io.twinlog.cli.kafka.KafkaAccess;
import io.twinlog.cli.options.Connection;
import io.twinlog.cli.output.CliException;
import io.twinlog.cli.output.Terminal;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.acl.AclBinding;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(
        name = "acls",
        description = "Kafka ACLs for twinlog's principals.",
        mixinStandardHelpOptions = true,
        subcommands = {AclsCommand.Create.class})
public final class AclsCommand {

    @Command(
            name = "create",
            mixinStandardHelpOptions = true,
            description =
                    "Allow each given principal what its role needs and nothing more (idempotent):"
                            + " the job, device gateways, alerts consumers, the read side"
                            + " (docs/SECURITY.md). Run it as a principal that may alter ACLs.")
    static final class Create implements Callable<Integer> {

        @Mixin Terminal terminal;

        @Mixin Connection connection;

        @Option(names = "--job", paramLabel = "<principal>", description = "e.g. User:twinlog-job")
        String job;

        @Option(names = "--gateway", paramLabel = "<principal>", description = "writes the log")
        String gateway;

        @Option(
                names = "--alerts-consumer",
                paramLabel = "<principal>",
                description = "reads the alerts")
        String alertsConsumer;

        @Option(names = "--read-side", paramLabel = "<principal>", description = "the read side")
        String readSide;

        @Option(
                names = "--alerts-group-prefix",
                defaultValue = "alerts-",
                description =
                        "consumer groups the alerts consumer may use (default: ${DEFAULT-VALUE})")
        String alertsGroupPrefix;

        @Override
        public Integer call() {
            String jobName = connection.topicPrefix + "twinlog-device-twin";
            AccessLayout layout =
                    new AccessLayout(connection.topics(), jobName, jobName, alertsGroupPrefix);
            List<AclBinding> acls = new ArrayList<>();
            add(acls, layout, Role.JOB, job);
            add(acls, layout, Role.GATEWAY, gateway);
            add(acls, layout, Role.ALERTS_CONSUMER, alertsConsumer);
            add(acls, layout, Role.READ_SIDE, readSide);
            if (acls.isEmpty()) {
                throw new CliException(
                        "name at least one principal (--job, --gateway, --alerts-consumer, --read-side)");
            }
            KafkaAccess kafka = connection.kafka();
            try (Admin admin = kafka.admin()) {
                kafka.await(admin.createAcls(acls).all(), "create ACLs");
            }
            for (AclBinding acl : acls) {
                terminal.out()
                        .printf(
                                "allow %-24s %-16s %-16s %s %s%n",
                                acl.entry().principal(),
                                acl.entry().operation(),
                                acl.pattern().resourceType(),
                                acl.pattern().patternType()
                                                == org.apache.kafka.common.resource.PatternType
                                                        .PREFIXED
                                        ? "prefix"
                                        : "",
                                acl.pattern().name());
            }
            return 0;
        }

        private static void add(List<AclBinding> acls, AccessLayout layout, Role role, String who) {
            if (who != null) {
                if (!who.contains(":")) {
                    throw new CliException(
                            "a principal is type:name, e.g. User:" + who + " (got '" + who + "')");
                }
                acls.addAll(layout.bindings(role, who));
            }
        }
    }
}
