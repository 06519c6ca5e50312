package io.twinlog.readside.http;

import java.time.Instant;
import java.util.Set;

/**
 * Who made a request, and what they may do.
 *
 * @param scopes {@code read} (twins, history, alerts, metrics) and {@code operate} (the write
 *     routes later releases add; it implies nothing else)
 * @param expires when the credentials stop being valid (a token's expiry), or null
 */
public record Caller(String name, Set<String> scopes, Instant expires) {

    public static final String READ = "read";
    public static final String OPERATE = "operate";
}
