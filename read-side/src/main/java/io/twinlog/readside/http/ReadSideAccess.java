package io.twinlog.readside.http;

import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import io.javalin.http.Cookie;
import io.javalin.http.SameSite;
import io.twinlog.http.BasicCredentials;
import io.twinlog.http.JettyConnectors;
import io.twinlog.readside.api.ApiRoute;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.eclipse.jetty.util.ssl.SslContextFactory;

/**
 * Who may reach the read side and what it sends back beside the answers (docs/SECURITY.md, "The
 * read side"):
 *
 * <ul>
 *   <li>the connector: plain HTTP, or TLS with a keystore; connections silent for {@value
 *       ReadSideServer#IDLE_TIMEOUT_MILLIS} ms are closed;
 *   <li>the Host header: only the names the service is reached by (localhost names by default), so
 *       a page elsewhere cannot read it through DNS rebinding;
 *   <li>authentication, when configured: HTTP Basic against a password file, or JWT bearer tokens,
 *       or a session cookie the console gets by logging in with either; every route but the
 *       liveness probe and the API's description needs a caller with the {@code read} scope;
 *   <li>security headers on every answer (CSP, nosniff, no framing, no referrer, no caching of
 *       answers).
 * </ul>
 */
public final class ReadSideAccess {

    static final String SESSION_COOKIE = "twinlog_session";
    private static final Duration SESSION_LIFE = Duration.ofHours(8);
    private static final int MAX_SESSIONS = 10_000;

    /** A request that is not served, with its status and the headers that say why. */
    public static final class Refused extends RuntimeException {
        private static final long serialVersionUID = 1L;
        private final int status;
        private final Map<String, String> challenge;

        Refused(int status, String message, Map<String, String> challenge) {
            super(message);
            this.status = status;
            this.challenge = challenge;
        }

        public int status() {
            return status;
        }

        public Map<String, String> challenge() {
            return challenge;
        }
    }

    /**
     * How callers prove who they are; null fields are not offered.
     *
     * @param passwords users for HTTP Basic
     * @param tokens the verifier of bearer tokens
     */
    public record Authentication(PasswordFile passwords, JwtVerifier tokens) {
        public static final Authentication NONE = new Authentication(null, null);

        public boolean none() {
            return passwords == null && tokens == null;
        }
    }

    /**
     * @param keystore a PKCS12 keystore with the server's key and certificate
     */
    public record Tls(Path keystore, String password) {}

    private final String host;
    private final int port;
    private final Set<String> hosts;
    private final Authentication authentication;
    private final Tls tls;
    private final Map<String, Caller> sessions = new ConcurrentHashMap<>();
    private final SecureRandom random = new SecureRandom();

    /**
     * @param hosts the names requests may address (their Host header), lower case; "*" for any
     */
    public ReadSideAccess(
            String host, int port, Set<String> hosts, Authentication authentication, Tls tls) {
        this.host = host;
        this.port = port;
        this.hosts = hosts;
        this.authentication = authentication;
        this.tls = tls;
    }

    /** No authentication, plain HTTP, localhost names (and the bound host) only. */
    public static ReadSideAccess open(String host) {
        return new ReadSideAccess(host, 0, localNames(host), Authentication.NONE, null);
    }

    /** The localhost names, and the host bound to when it is a name of its own. */
    public static Set<String> localNames(String host) {
        Set<String> names = new java.util.HashSet<>(Set.of("localhost", "127.0.0.1", "[::1]"));
        if (!host.equals("0.0.0.0") && !host.equals("::")) {
            names.add(host.toLowerCase(Locale.ROOT));
        }
        return names;
    }

    public boolean authenticates() {
        return !authentication.none();
    }

    public boolean tls() {
        return tls != null;
    }

    /** What this instance trusts when it asks another of its group: null on plain HTTP. */
    javax.net.ssl.SSLContext peerTrust() {
        return tls == null ? null : PeerTrust.of(tls);
    }

    ReadSideAccess bound(int actualPort) {
        return new ReadSideAccess(host, actualPort, hosts, authentication, tls);
    }

    void configure(JavalinConfig config) {
        config.jetty.addConnector(
                (server, http) -> {
                    SslContextFactory.Server ssl = null;
                    if (tls != null) {
                        ssl = new SslContextFactory.Server();
                        ssl.setKeyStorePath(tls.keystore().toString());
                        ssl.setKeyStorePassword(tls.password());
                        ssl.setKeyStoreType("PKCS12");
                    }
                    return JettyConnectors.connector(
                            server, http, host, port, ssl, ReadSideServer.IDLE_TIMEOUT_MILLIS);
                });
    }

    /** Refuses a request addressed to a name that is not the service's (421). */
    void checkHost(Context ctx) {
        if (hosts.contains("*")) {
            return;
        }
        String header = ctx.header("Host");
        String name = header == null ? "" : header.toLowerCase(Locale.ROOT);
        if (name.startsWith("[")) {
            name = name.substring(0, name.indexOf(']') + 1);
        } else if (name.contains(":")) {
            name = name.substring(0, name.indexOf(':'));
        }
        if (!hosts.contains(name)) {
            throw new Refused(
                    421,
                    "this service is not reached as "
                            + (header == null ? "(no Host)" : header)
                            + " (twinlog serve --allowed-hosts)",
                    Map.of());
        }
    }

    void securityHeaders(Context ctx) {
        ctx.header(
                "Content-Security-Policy",
                "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self';"
                        + " connect-src 'self'; frame-ancestors 'none'; base-uri 'none';"
                        + " form-action 'self'");
        ctx.header("X-Content-Type-Options", "nosniff");
        ctx.header("X-Frame-Options", "DENY");
        ctx.header("Referrer-Policy", "no-referrer");
        if (ctx.path().startsWith("/api") || ctx.path().equals("/metrics")) {
            ctx.header("Cache-Control", "no-store");
        }
        if (tls != null) {
            ctx.header("Strict-Transport-Security", "max-age=31536000");
        }
    }

    /** The request's caller if it may do what the scope needs; refuses it otherwise. */
    void check(Context ctx, ApiRoute.Scope scope) {
        if (scope == ApiRoute.Scope.PUBLIC || authentication.none()) {
            return;
        }
        Caller caller = caller(ctx);
        if (caller == null) {
            throw new Refused(
                    401,
                    "credentials needed (docs/SECURITY.md, \"The read side\")",
                    challenge(ctx));
        }
        if (!caller.scopes().contains(Caller.READ)) {
            throw new Refused(403, caller.name() + " may not read (scope read)", Map.of());
        }
    }

    private Caller caller(Context ctx) {
        String authorization = ctx.header("Authorization");
        if (authorization != null) {
            return fromHeader(authorization);
        }
        String session = ctx.cookie(SESSION_COOKIE);
        if (session != null) {
            Caller caller = sessions.get(session);
            if (caller != null && caller.expires().isAfter(Instant.now())) {
                return caller;
            }
            sessions.remove(session);
        }
        return null;
    }

    private Caller fromHeader(String authorization) {
        if (authorization.regionMatches(true, 0, "Bearer ", 0, 7)
                && authentication.tokens() != null) {
            return authentication.tokens().verify(authorization.substring(7).strip());
        }
        BasicCredentials basic = BasicCredentials.parse(authorization);
        if (basic != null && authentication.passwords() != null) {
            return authentication.passwords().check(basic.user(), basic.password());
        }
        return null;
    }

    private Map<String, String> challenge(Context ctx) {
        if (authentication.tokens() != null) {
            return Map.of("WWW-Authenticate", "Bearer realm=\"twinlog\"");
        }
        // The console asks with this header and shows its own login: a Basic challenge would make
        // the browser open its dialog over it.
        return "console".equals(ctx.header("X-Requested-By"))
                ? Map.of("WWW-Authenticate", "Login realm=\"twinlog\"")
                : Map.of("WWW-Authenticate", "Basic realm=\"twinlog\", charset=\"UTF-8\"");
    }

    /** What the console's login posts: a user and password, or a token. */
    public record Login(String username, String password, String token) {}

    public record Session(String caller, List<String> scopes, String expires) {}

    /** The console's login: credentials in the body, a session cookie back (never in a URL). */
    ApiRoute loginRoute() {
        return ApiRoute.posting(
                "/api/session",
                "login",
                "log in with a user's password or a token; the answer sets an HttpOnly session"
                        + " cookie for the console",
                Session.class,
                ApiRoute.Scope.PUBLIC,
                params -> {
                    Context ctx = params.request(Context.class);
                    if (authentication.none()) {
                        return new ApiRoute.Status(
                                404, new Session("anyone", List.of(Caller.READ), null));
                    }
                    Login login = ctx.bodyAsClass(Login.class);
                    Caller caller =
                            login.token() != null && authentication.tokens() != null
                                    ? authentication.tokens().verify(login.token())
                                    : login.username() != null && authentication.passwords() != null
                                            ? authentication
                                                    .passwords()
                                                    .check(
                                                            login.username(),
                                                            String.valueOf(login.password()))
                                            : null;
                    if (caller == null) {
                        throw new Refused(401, "not valid credentials", Map.of());
                    }
                    Instant expires = Instant.now().plus(SESSION_LIFE);
                    if (caller.expires() != null && caller.expires().isBefore(expires)) {
                        expires = caller.expires();
                    }
                    Caller session = new Caller(caller.name(), caller.scopes(), expires);
                    if (sessions.size() >= MAX_SESSIONS) {
                        sessions.values().removeIf(c -> c.expires().isBefore(Instant.now()));
                    }
                    if (sessions.size() >= MAX_SESSIONS) {
                        // Still full of live sessions: the one closest to its end goes.
                        sessions.entrySet().stream()
                                .min(
                                        Map.Entry.comparingByValue(
                                                java.util.Comparator.comparing(Caller::expires)))
                                .ifPresent(oldest -> sessions.remove(oldest.getKey()));
                    }
                    byte[] id = new byte[32];
                    random.nextBytes(id);
                    String cookie = Base64.getUrlEncoder().withoutPadding().encodeToString(id);
                    sessions.put(cookie, session);
                    Cookie set = new Cookie(SESSION_COOKIE, cookie);
                    set.setHttpOnly(true);
                    set.setSecure(tls != null);
                    set.setSameSite(SameSite.STRICT);
                    set.setPath("/");
                    set.setMaxAge((int) Duration.between(Instant.now(), expires).toSeconds());
                    ctx.cookie(set);
                    return new Session(
                            session.name(), List.copyOf(session.scopes()), expires.toString());
                });
    }
}
