package io.twinlog.readside.api;

import io.javalin.http.sse.SseClient;
import java.util.List;
import java.util.function.Consumer;

/**
 * One route of the read side's HTTP API, declared once: the server registers it, the OpenAPI
 * document describes it, and a test holds the two to each other.
 *
 * @param method {@code get} or {@code post}
 * @param path Javalin's form, {@code /api/devices/{id}}
 * @param answer the record its 200 answer is; null for answers that are not JSON (text, a stream)
 * @param contentType the content type of its 200 answer
 * @param scope what the caller must be allowed to do (docs/SECURITY.md, "The read side")
 * @param handler the work of a route with a JSON or text answer (it may return a {@link Status})
 * @param stream the work of a route that streams events; exactly one of the two is set
 */
public record ApiRoute(
        String method,
        String path,
        String operationId,
        String summary,
        List<ApiParam> params,
        Class<?> answer,
        String contentType,
        Scope scope,
        RouteHandler handler,
        Consumer<SseClient> stream) {

    /** A route with a JSON or text answer. */
    public static ApiRoute answering(
            String path,
            String operationId,
            String summary,
            List<ApiParam> params,
            Class<?> answer,
            String contentType,
            Scope scope,
            RouteHandler handler) {
        return new ApiRoute(
                "get",
                path,
                operationId,
                summary,
                params,
                answer,
                contentType,
                scope,
                handler,
                null);
    }

    /** A route that takes a JSON body (its params may be the body's fields). */
    public static ApiRoute posting(
            String path,
            String operationId,
            String summary,
            Class<?> answer,
            Scope scope,
            RouteHandler handler) {
        return new ApiRoute(
                "post",
                path,
                operationId,
                summary,
                List.of(),
                answer,
                "application/json",
                scope,
                handler,
                null);
    }

    /** A route answering with a stream of Server-Sent Events. */
    public static ApiRoute streaming(
            String path,
            String operationId,
            String summary,
            Scope scope,
            Consumer<SseClient> stream) {
        return new ApiRoute(
                "get",
                path,
                operationId,
                summary,
                List.of(),
                null,
                "text/event-stream",
                scope,
                null,
                stream);
    }

    /** An answer with another status than 200. */
    public record Status(int status, Object body) {}

    /** What a caller needs a grant for. */
    public enum Scope {
        /** Probes: open to anyone who can reach the port. */
        PUBLIC,
        /** Reading twins, history, alerts, metrics. */
        READ
    }

    /** The work of a route, given its declared parameters. */
    @FunctionalInterface
    public interface RouteHandler {
        Object answer(Params params) throws Exception;
    }
}
