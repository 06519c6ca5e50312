package io.twinlog.twin;

import java.nio.charset.StandardCharsets;
import java.util.UUID;

/**
 * Ids of everything twinlog concludes, as name-based UUIDs of what caused it, so that a replay of
 * the log produces the same ids as the live run. Each part is length-prefixed, so no choice of
 * device or event ids can make two different inputs collide by concatenation.
 */
public final class DeterministicIds {

    private DeterministicIds() {}

    /** A derived event of this kind caused by the event with this id. */
    public static String derivedEvent(String deviceId, String kind, String causeEventId) {
        return uuid("derived", deviceId, kind, causeEventId);
    }

    /** The alert episode of this rule opened by the event with this id. */
    public static String alert(String deviceId, String ruleId, String openingEventId) {
        return uuid("alert", deviceId, ruleId, openingEventId);
    }

    /** The silence observation written to the log after the event with this id. */
    public static String silenceObservation(String deviceId, String lastEventId) {
        return uuid("silence", deviceId, lastEventId);
    }

    private static String uuid(String... parts) {
        StringBuilder name = new StringBuilder("twinlog");
        for (String part : parts) {
            name.append('|').append(part.length()).append(':').append(part);
        }
        return UUID.nameUUIDFromBytes(name.toString().getBytes(StandardCharsets.UTF_8)).toString();
    }
}
