package io.twinlog.http;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * The user and password of an HTTP Basic {@code Authorization} header (RFC 7617), for the services
 * twinlog serves (the development registry, the read side).
 */
public record BasicCredentials(String user, String password) {

    /** The header's value for {@code user:password}. */
    public static String header(String userInfo) {
        return "Basic "
                + Base64.getEncoder().encodeToString(userInfo.getBytes(StandardCharsets.UTF_8));
    }

    /** The credentials of the header, or null if it is not Basic or not well formed. */
    public static BasicCredentials parse(String authorization) {
        if (authorization == null || !authorization.regionMatches(true, 0, "Basic ", 0, 6)) {
            return null;
        }
        String decoded;
        try {
            decoded =
                    new String(
                            Base64.getDecoder().decode(authorization.substring(6).strip()),
                            StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return null;
        }
        int colon = decoded.indexOf(':');
        return colon < 0
                ? null
                : new BasicCredentials(decoded.substring(0, colon), decoded.substring(colon + 1));
    }

    @Override
    public String toString() {
        return "BasicCredentials[user=" + user + "]";
    }
}
