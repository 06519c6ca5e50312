package io.twinlog.cli.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import io.twinlog.cli.kafka.AccessLayout.Role;
import io.twinlog.schema.TopicNames;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.kafka.common.acl.AclBinding;
import org.junit.jupiter.api.Test;

/** Each role's ACLs, literally: what it may do, and that it may do nothing else. */
public class AccessLayoutTest {

    private static final AccessLayout LAYOUT =
            new AccessLayout(
                    TopicNames.defaults(), "twinlog-device-twin", "twinlog-device-twin", "alerts-");

    private static Set<String> acls(Role role) {
        List<AclBinding> bindings = LAYOUT.bindings(role, "User:p");
        assertThat(bindings).allSatisfy(b -> assertThat(b.entry().principal()).isEqualTo("User:p"));
        return bindings.stream()
                .map(
                        b ->
                                b.pattern().resourceType()
                                        + " "
                                        + b.pattern().name()
                                        + (b.pattern().patternType().name().equals("PREFIXED")
                                                ? "*"
                                                : "")
                                        + " "
                                        + b.entry().operation())
                .collect(Collectors.toSet());
    }

    @Test
    void aGatewayMayOnlyAppendToTheLog() {
        assertThat(acls(Role.GATEWAY))
                .containsExactlyInAnyOrder(
                        "TOPIC device-events WRITE", "TOPIC device-events DESCRIBE");
    }

    @Test
    void anAlertsConsumerMayOnlyReadTheAlerts() {
        assertThat(acls(Role.ALERTS_CONSUMER))
                .containsExactlyInAnyOrder(
                        "TOPIC device-alerts READ",
                        "TOPIC device-alerts DESCRIBE",
                        "GROUP alerts-* READ");
    }

    @Test
    void theReadSideReadsTheLogTheTwinsAndTheAlerts() {
        assertThat(acls(Role.READ_SIDE))
                .containsExactlyInAnyOrder(
                        "TOPIC device-events READ",
                        "TOPIC device-events DESCRIBE",
                        "TOPIC device-twins READ",
                        "TOPIC device-twins DESCRIBE",
                        "TOPIC device-alerts READ",
                        "TOPIC device-alerts DESCRIBE",
                        "GROUP twinlog-read-side* READ");
    }

    @Test
    void theJobReadsAndAppendsToTheLogWritesItsOutputsAndUsesItsTransactionalIds() {
        Set<String> job = acls(Role.JOB);
        assertThat(job)
                .contains(
                        "TOPIC device-events READ",
                        "TOPIC device-events WRITE",
                        "TOPIC device-twins WRITE",
                        "TOPIC device-twin-events WRITE",
                        "TOPIC device-alerts WRITE",
                        "TOPIC device-events-late WRITE",
                        "TOPIC device-events-dlq WRITE",
                        "GROUP twinlog-device-twin READ",
                        "TRANSACTIONAL_ID twinlog-device-twin* WRITE",
                        "TRANSACTIONAL_ID twinlog-device-twin* DESCRIBE",
                        "CLUSTER kafka-cluster DESCRIBE_CONFIGS");
        assertThat(job).noneMatch(acl -> acl.startsWith("TOPIC device-twins READ"));
        assertThat(job).noneMatch(acl -> acl.endsWith(" ALL") || acl.endsWith(" ALTER"));
        // the log: READ, WRITE, DESCRIBE; five outputs: WRITE, DESCRIBE; six topics:
        // DESCRIBE_CONFIGS; the group; two on the transactional ids; one on the cluster
        assertThat(job).hasSize(3 + 5 * 2 + 6 + 1 + 2 + 1);
    }
}
