package io.twinlog.spec;

import java.nio.charset.StandardCharsets;
import java.util.UUID;

/**
 * The ids of docs/FOLD.md, written from the documented format: a name-based (version 3) UUID of
 * {@code twinlog} followed by each part as {@code |<length>:<part>}. The format is part of the
 * output contract: ids must not change between versions.
 */
final class SpecIds {

    private SpecIds() {}

    static String derived(String device, String kind, String causeEventId) {
        return uuid("derived", device, kind, causeEventId);
    }

    static String alert(String device, String ruleId, String openingEventId) {
        return uuid("alert", device, ruleId, openingEventId);
    }

    static String silenceObservation(String device, String lastEventId) {
        return uuid("silence", device, lastEventId);
    }

    private static String uuid(String... parts) {
        String name = "twinlog";
        for (String part : parts) {
            name += "|" + part.length() + ":" + part;
        }
        return UUID.nameUUIDFromBytes(name.getBytes(StandardCharsets.UTF_8)).toString();
    }
}
