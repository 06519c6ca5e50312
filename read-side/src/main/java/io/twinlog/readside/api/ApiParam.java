package io.twinlog.readside.api;

/**
 * A parameter of a route: where it goes, what type its text must parse as, and what it means. The
 * route's handler reads it through {@link Params}, which holds it to this declaration.
 */
public record ApiParam(String name, In in, Type type, boolean required, String description) {

    public enum In {
        PATH,
        QUERY
    }

    public enum Type {
        STRING,
        INTEGER
    }

    public static ApiParam path(String name, String description) {
        return new ApiParam(name, In.PATH, Type.STRING, true, description);
    }

    public static ApiParam query(String name, String description) {
        return new ApiParam(name, In.QUERY, Type.STRING, false, description);
    }

    public static ApiParam queryInteger(String name, String description) {
        return new ApiParam(name, In.QUERY, Type.INTEGER, false, description);
    }
}
