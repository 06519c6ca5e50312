package io.twinlog.readside.group;

import java.time.Duration;

/**
 * How an instance of the read side shares the event log with the others of its group.
 *
 * @param groupId the Kafka consumer group every instance joins
 * @param advertisedUrl where the other instances reach this one's HTTP API
 * @param sessionTimeout how long an instance may be silent before the others take its partitions
 */
public record GroupConfig(String groupId, String advertisedUrl, Duration sessionTimeout) {

    public static final Duration DEFAULT_SESSION_TIMEOUT = Duration.ofSeconds(10);

    public GroupConfig {
        if (groupId == null || groupId.isBlank()) {
            throw new IllegalArgumentException("a read-side group needs a group id");
        }
        if (advertisedUrl == null || !advertisedUrl.matches("https?://[^/]+/?")) {
            throw new IllegalArgumentException(
                    "a read-side group needs this instance's URL as http(s)://host:port, not '"
                            + advertisedUrl
                            + "'");
        }
        advertisedUrl = advertisedUrl.replaceAll("/$", "");
    }
}
