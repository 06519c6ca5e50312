package io.twinlog.cli.kafka;

import io.twinlog.schema.TopicNames;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;

/**
 * The ACLs each of twinlog's principals needs, and nothing more, derived from the topic layout and
 * the job's group and transactional id prefix (docs/SECURITY.md has the table):
 *
 * <ul>
 *   <li>the job reads the log, appends silence observations to it, writes the five output topics,
 *       commits its group's offsets (monitoring), uses transactional ids under its prefix, and its
 *       preflight check reads topic and broker configs;
 *   <li>a device gateway may only append to the log;
 *   <li>an alerts consumer may only read the alerts (with groups under its prefix);
 *   <li>the read side reads the log, the twins and the alerts, and its instances join groups named
 *       {@value #READ_SIDE_GROUPS}... (docs/READ-SIDE.md, "Several instances").
 * </ul>
 */
public record AccessLayout(
        TopicNames topics,
        String jobGroup,
        String transactionalIdPrefix,
        String alertsGroupPrefix) {

    /** The prefix of the read-side groups' names ({@code twinlog serve --group}). */
    public static final String READ_SIDE_GROUPS = "twinlog-read-side";

    public enum Role {
        JOB,
        GATEWAY,
        ALERTS_CONSUMER,
        READ_SIDE
    }

    public List<AclBinding> bindings(Role role, String principal) {
        List<AclBinding> acls = new ArrayList<>();
        switch (role) {
            case JOB -> {
                topic(acls, principal, topics.events(), AclOperation.READ, AclOperation.WRITE);
                for (String output :
                        List.of(
                                topics.twins(),
                                topics.twinEvents(),
                                topics.alerts(),
                                topics.late(),
                                topics.deadLetters())) {
                    topic(acls, principal, output, AclOperation.WRITE);
                }
                for (String topic : topics.all()) {
                    allow(
                            acls,
                            principal,
                            new ResourcePattern(ResourceType.TOPIC, topic, PatternType.LITERAL),
                            AclOperation.DESCRIBE_CONFIGS);
                }
                allow(
                        acls,
                        principal,
                        new ResourcePattern(ResourceType.GROUP, jobGroup, PatternType.LITERAL),
                        AclOperation.READ);
                allow(
                        acls,
                        principal,
                        new ResourcePattern(
                                ResourceType.TRANSACTIONAL_ID,
                                transactionalIdPrefix,
                                PatternType.PREFIXED),
                        AclOperation.WRITE,
                        AclOperation.DESCRIBE);
                allow(
                        acls,
                        principal,
                        new ResourcePattern(
                                ResourceType.CLUSTER, "kafka-cluster", PatternType.LITERAL),
                        AclOperation.DESCRIBE_CONFIGS);
            }
            case GATEWAY -> topic(acls, principal, topics.events(), AclOperation.WRITE);
            case ALERTS_CONSUMER -> {
                topic(acls, principal, topics.alerts(), AclOperation.READ);
                allow(
                        acls,
                        principal,
                        new ResourcePattern(
                                ResourceType.GROUP, alertsGroupPrefix, PatternType.PREFIXED),
                        AclOperation.READ);
            }
            case READ_SIDE -> {
                for (String topic : List.of(topics.events(), topics.twins(), topics.alerts())) {
                    topic(acls, principal, topic, AclOperation.READ);
                }
                allow(
                        acls,
                        principal,
                        new ResourcePattern(
                                ResourceType.GROUP, READ_SIDE_GROUPS, PatternType.PREFIXED),
                        AclOperation.READ);
            }
        }
        return acls;
    }

    /** The operation on the topic, and DESCRIBE (clients look topics up before using them). */
    private static void topic(
            List<AclBinding> acls, String principal, String topic, AclOperation... operations) {
        ResourcePattern pattern =
                new ResourcePattern(ResourceType.TOPIC, topic, PatternType.LITERAL);
        allow(acls, principal, pattern, operations);
        allow(acls, principal, pattern, AclOperation.DESCRIBE);
    }

    private static void allow(
            List<AclBinding> acls,
            String principal,
            ResourcePattern pattern,
            AclOperation... operations) {
        for (AclOperation operation : operations) {
            acls.add(
                    new AclBinding(
                            pattern,
                            new AccessControlEntry(
                                    principal, "*", operation, AclPermissionType.ALLOW)));
        }
    }
}
