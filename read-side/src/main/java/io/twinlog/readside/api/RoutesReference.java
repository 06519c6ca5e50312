package io.twinlog.readside.api;

import java.util.List;
import java.util.stream.Collectors;

/**
 * The route table of docs/READ-SIDE.md, made from the routes the service serves, so the page cannot
 * drift from the code ({@code RoutesReferenceTest} compares them).
 */
public final class RoutesReference {

    /** The page's lines around the generated table. */
    public static final String BEGIN =
            "<!-- routes: generated from the route table, do not edit -->";

    public static final String END = "<!-- end of routes -->";

    private RoutesReference() {}

    public static String markdown(List<ApiRoute> routes) {
        StringBuilder table = new StringBuilder("| route | needs | answer |\n|---|---|---|\n");
        for (ApiRoute route : routes) {
            String query =
                    route.params().stream()
                            .filter(p -> p.in() == ApiParam.In.QUERY)
                            .map(p -> p.name() + "=")
                            .collect(Collectors.joining("&"));
            table.append("| `")
                    .append(route.method().toUpperCase(java.util.Locale.ROOT))
                    .append(' ')
                    .append(route.path())
                    .append(query.isEmpty() ? "" : "?" + query)
                    .append("` | ")
                    .append(route.scope() == ApiRoute.Scope.PUBLIC ? "nothing" : "scope `read`")
                    .append(" | ")
                    .append(route.summary().replace("|", "\\|"))
                    .append(" |\n");
        }
        return table.toString();
    }
}
