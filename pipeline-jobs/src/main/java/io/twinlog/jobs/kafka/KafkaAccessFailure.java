package io.twinlog.jobs.kafka;

import java.util.Optional;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.ClusterAuthorizationException;
import org.apache.kafka.common.errors.GroupAuthorizationException;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.errors.SslAuthenticationException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.errors.TransactionalIdAuthorizationException;

/**
 * Says in one sentence why a secured Kafka cluster refused a client, from the exception Kafka's
 * clients raise (often wrapped), instead of the exception's class name.
 */
public final class KafkaAccessFailure {

    /** Where the job's credentials are set. */
    public static final String JOB_HINT =
            "--properties.sasl.jaas.config and --properties.security.protocol";

    private KafkaAccessFailure() {}

    /**
     * @param hint where the client's credentials are set, for the message
     * @return the explanation, or empty when the failure is not about security
     */
    public static Optional<String> of(Throwable failure, String hint) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof SslAuthenticationException) {
                return Optional.of(
                        "the TLS handshake with Kafka failed ("
                                + t.getMessage()
                                + "): check ssl.truststore.location ("
                                + hint
                                + ")");
            }
            if (t instanceof SaslAuthenticationException) {
                return Optional.of(
                        "Kafka refused the credentials: "
                                + t.getMessage()
                                + " (check "
                                + hint
                                + ")");
            }
            if (t instanceof TopicAuthorizationException topics) {
                return Optional.of(
                        "this principal may not use the topics "
                                + topics.unauthorizedTopics()
                                + " (Kafka's ACLs; docs/SECURITY.md lists what each principal needs)");
            }
            if (t instanceof GroupAuthorizationException group) {
                return Optional.of(
                        "this principal may not use the consumer group "
                                + group.groupId()
                                + " (Kafka's ACLs; docs/SECURITY.md)");
            }
            if (t instanceof TransactionalIdAuthorizationException) {
                return Optional.of(
                        "this principal may not use the transactional ids it needs (Kafka's ACLs:"
                                + " WRITE and DESCRIBE on the transactional id prefix; docs/SECURITY.md)");
            }
            if (t instanceof ClusterAuthorizationException) {
                return Optional.of(
                        "this principal may not do this on the cluster: "
                                + t.getMessage()
                                + " (Kafka's ACLs; docs/SECURITY.md)");
            }
            if (t instanceof AuthorizationException) {
                return Optional.of(
                        "Kafka refused: " + t.getMessage() + " (Kafka's ACLs; docs/SECURITY.md)");
            }
        }
        return Optional.empty();
    }
}
