package io.twinlog.readside.http;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.Javalin;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import io.javalin.http.staticfiles.Location;
import io.javalin.json.JavalinJackson;
import io.twinlog.readside.ReadSide;
import io.twinlog.readside.UnknownDeviceException;
import io.twinlog.readside.api.Answers;
import io.twinlog.readside.api.ApiParam;
import io.twinlog.readside.api.ApiRoute;
import io.twinlog.readside.api.OpenApi;
import io.twinlog.readside.api.Params;
import io.twinlog.readside.index.TooManyRecordsException;
import io.twinlog.readside.query.HistoryFold;
import io.twinlog.readside.query.SplitDeviceException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.eclipse.jetty.server.ServerConnector;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The read side over HTTP, on Javalin: the route table of {@link ReadSideRoutes} (JSON answers,
 * Prometheus metrics, the live alert stream), its OpenAPI document at {@code /api/openapi.json},
 * the web console's static files, errors mapped to status codes once, and {@link ReadSideAccess} in
 * front of every request (who may see what, which Host names are ours, the security headers).
 */
public final class ReadSideServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ReadSideServer.class);

    /** How long a connection may stay silent, reading a request or writing an answer. */
    static final long IDLE_TIMEOUT_MILLIS = 30_000;

    private final ReadSide readSide;
    private final ReadSideAccess access;
    private final ReadSideRoutes routeWork;
    private final PeerRouting peers;
    private final List<ApiRoute> routes;
    private final Javalin app;

    private ReadSideServer(ReadSide readSide, ReadSideAccess access) {
        this.readSide = readSide;
        this.access = access;
        this.routeWork =
                new ReadSideRoutes(
                        readSide,
                        readSide != null && readSide.owners().grouped()
                                ? access.peerTrust()
                                : null);
        this.peers = routeWork.peers();
        List<ApiRoute> table = new ArrayList<>(routeWork.all());
        table.add(access.loginRoute());
        ObjectNode openApi = OpenApi.of(withOpenApi(table, null), version());
        this.routes = withOpenApi(table, openApi);
        this.app = Javalin.create(this::configure);
    }

    /** Every route the service serves, for its documentation (no service behind the handlers). */
    public static List<ApiRoute> routeTable() {
        List<ApiRoute> table = new ArrayList<>(new ReadSideRoutes(null).all());
        table.add(ReadSideAccess.open("127.0.0.1").loginRoute());
        return withOpenApi(table, null);
    }

    /** The route table with the route of its own OpenAPI document. */
    private static List<ApiRoute> withOpenApi(List<ApiRoute> table, ObjectNode document) {
        List<ApiRoute> all = new ArrayList<>(table);
        all.add(
                ApiRoute.answering(
                        "/api/openapi.json",
                        "openApi",
                        "the OpenAPI 3.0 description of these routes",
                        List.of(),
                        null,
                        ReadSideRoutes.JSON,
                        ApiRoute.Scope.PUBLIC,
                        params -> document));
        return all;
    }

    /** Open, on plain HTTP, for localhost names: the development stack's read side. */
    public static ReadSideServer start(ReadSide readSide, String host, int port) {
        return start(
                readSide,
                new ReadSideAccess(
                        host,
                        port,
                        ReadSideAccess.localNames(host),
                        ReadSideAccess.Authentication.NONE,
                        null));
    }

    public static ReadSideServer start(ReadSide readSide, ReadSideAccess access) {
        ReadSideServer server = new ReadSideServer(readSide, access);
        server.app.start();
        return server;
    }

    public int port() {
        return ((ServerConnector) app.jettyServer().server().getConnectors()[0]).getLocalPort();
    }

    /** The routes served (with the OpenAPI document's own). */
    public List<ApiRoute> routes() {
        return routes;
    }

    /**
     * What Javalin serves, as {@code method path}, for holding the route table and the document to
     * each other.
     */
    public List<String> servedPaths() {
        return app.unsafe.internalRouter.allHttpHandlers().stream()
                .filter(e -> e.endpoint.method.isHttpMethod())
                .map(
                        e ->
                                e.endpoint.method.name().toLowerCase(java.util.Locale.ROOT)
                                        + " "
                                        + e.endpoint.path)
                .toList();
    }

    private void configure(JavalinConfig config) {
        config.jsonMapper(new JavalinJackson(Answers.MAPPER, false));
        config.startup.showJavalinBanner = false;
        // A request body (the console's login) is small; larger ones are refused (413).
        config.http.maxRequestSize = 64 * 1024;
        access.configure(config);
        config.staticFiles.add(
                files -> {
                    files.hostedPath = "/";
                    files.directory = "/console";
                    files.location = Location.CLASSPATH;
                    files.headers = Map.of("Cache-Control", "no-cache");
                });
        var api = config.routes;
        api.before(ctx -> ctx.attribute("began", System.nanoTime()));
        api.before(access::checkHost);
        api.after(access::securityHeaders);
        for (ApiRoute route : routes) {
            if (route.stream() != null) {
                api.before(
                        route.path(),
                        ctx -> {
                            access.check(ctx, route.scope());
                            routeWork.admitStream();
                        });
                api.sse(route.path(), route.stream());
                continue;
            }
            api.addHttpHandler(
                    route.method().equals("post") ? HandlerType.POST : HandlerType.GET,
                    route.path(),
                    ctx -> serve(ctx, route));
        }
        api.exception(IllegalArgumentException.class, (e, ctx) -> error(ctx, 400, e.getMessage()));
        api.exception(UnknownDeviceException.class, (e, ctx) -> error(ctx, 404, e.getMessage()));
        api.exception(SplitDeviceException.class, (e, ctx) -> error(ctx, 409, e.getMessage()));
        api.exception(TooManyRecordsException.class, (e, ctx) -> error(ctx, 413, e.getMessage()));
        api.exception(
                HistoryFold.TooLongException.class, (e, ctx) -> error(ctx, 503, e.getMessage()));
        api.exception(
                ReadSideAccess.Refused.class,
                (e, ctx) -> {
                    e.challenge().forEach(ctx::header);
                    error(ctx, e.status(), e.getMessage());
                });
        api.exception(
                Exception.class,
                (e, ctx) -> {
                    LOG.warn("{} failed", ctx.path(), e);
                    error(
                            ctx,
                            500,
                            "the read side failed to answer; its log says why ("
                                    + e.getClass().getSimpleName()
                                    + ")");
                });
        api.error(
                404,
                ctx -> {
                    if (ctx.attribute("route") == null) { // not one of the routes' own 404s
                        error(
                                ctx,
                                404,
                                (ctx.path().startsWith("/api/")
                                                ? "no such resource: "
                                                : "no such page: ")
                                        + ctx.path());
                    }
                });
        api.error(405, ctx -> error(ctx, 405, "not a method this path is served with"));
        api.after(
                ctx -> {
                    Long began = ctx.attribute("began");
                    if (began != null) {
                        readSide.metrics()
                                .request(
                                        routeName(ctx),
                                        ctx.statusCode(),
                                        System.nanoTime() - began);
                    }
                });
    }

    private void serve(Context ctx, ApiRoute route) throws Exception {
        ctx.attribute("route", route.path());
        access.check(ctx, route.scope());
        if (ReadSideRoutes.ROUTED_BY_DEVICE.contains(route.path())) {
            PeerRouting.Answer elsewhere = peers.route(ctx, ctx.pathParam("id"));
            if (readSide.owners().grouped()) {
                ctx.header(
                        PeerRouting.ANSWERED_BY,
                        elsewhere == null ? readSide.owners().self() : elsewhere.answeredBy());
            }
            if (elsewhere != null) {
                if (elsewhere.status() == 503) {
                    ctx.header("Retry-After", "1");
                }
                ctx.status(elsewhere.status())
                        .contentType(elsewhere.contentType())
                        .result(elsewhere.body());
                return;
            }
        }
        Map<String, ApiParam> declared =
                route.params().stream().collect(Collectors.toMap(ApiParam::name, p -> p));
        Function<String, String> path = ctx::pathParam;
        Object answer = route.handler().answer(new Params(declared, path, ctx::queryParam, ctx));
        int status = 200;
        if (answer instanceof ApiRoute.Status withStatus) {
            status = withStatus.status();
            answer = withStatus.body();
        }
        ctx.status(status);
        if (answer instanceof String text) {
            ctx.contentType(route.contentType()).result(text);
        } else {
            ctx.json(answer);
        }
    }

    private static String routeName(Context ctx) {
        String route = ctx.attribute("route");
        return route != null ? route : "static";
    }

    private void error(Context ctx, int status, String message) {
        ctx.status(status).json(Answers.error(status, message, readSide));
    }

    private static String version() {
        String version = ReadSideServer.class.getPackage().getImplementationVersion();
        return version == null ? "development" : version;
    }

    @Override
    public void close() {
        app.stop();
    }
}
