package io.twinlog.readside.api;

import java.util.Map;
import java.util.function.Function;

/**
 * A request's parameters, as the route declares them: asking for one it does not declare is a bug
 * of the route (an {@link IllegalStateException}); a value that does not parse as the declared type
 * is the caller's (an {@link IllegalArgumentException}, answered 400 with the parameter's name).
 */
public final class Params {

    private final Map<String, ApiParam> declared;
    private final Function<String, String> path;
    private final Function<String, String> query;
    private final Object request;

    /**
     * @param request what the engine knows of the request beyond its parameters (the server's
     *     context, for routes that set cookies), or null
     */
    public Params(
            Map<String, ApiParam> declared,
            Function<String, String> path,
            Function<String, String> query,
            Object request) {
        this.declared = declared;
        this.path = path;
        this.query = query;
        this.request = request;
    }

    /** The request as the engine has it (its type is the server's). */
    public <T> T request(Class<T> type) {
        return type.cast(request);
    }

    /** The parameter's text, or null when an optional one is absent or blank. */
    public String text(String name) {
        ApiParam param = declared.get(name);
        if (param == null) {
            throw new IllegalStateException("the route declares no parameter " + name);
        }
        String value = (param.in() == ApiParam.In.PATH ? path : query).apply(name);
        return value == null || value.isBlank() ? null : value;
    }

    /** An integer parameter in [min, max], or the fallback when absent. */
    public int integer(String name, int fallback, int min, int max) {
        String text = text(name);
        if (text == null) {
            return fallback;
        }
        try {
            int value = Integer.parseInt(text);
            if (value >= min && value <= max) {
                return value;
            }
        } catch (NumberFormatException e) {
            // the message below
        }
        throw new IllegalArgumentException(
                name + " must be a number from " + min + " to " + max + ", not '" + text + "'");
    }
}
