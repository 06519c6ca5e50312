package io.twinlog.readside.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * The OpenAPI 3.0 document of the read side's API, made from the route table: every route with its
 * parameters, and the schema of its answer made from the answer's record (Avro values, carried as
 * JSON, are described as objects). So the document cannot drift from the routes.
 */
public final class OpenApi {

    private OpenApi() {}

    public static ObjectNode of(List<ApiRoute> routes, String version) {
        ObjectNode doc = Answers.MAPPER.createObjectNode();
        doc.put("openapi", "3.0.3");
        doc.putObject("info")
                .put("title", "twinlog read side")
                .put("version", version)
                .put(
                        "description",
                        "The fleet, each device's history and its twin as of any time, and the"
                                + " alerts, answered from an index of the event log with the job's"
                                + " own fold (docs/READ-SIDE.md).");
        ObjectNode paths = doc.putObject("paths");
        Map<String, ObjectNode> schemas = new TreeMap<>();
        schema(Answers.ErrorAnswer.class, schemas);
        for (ApiRoute route : routes) {
            ObjectNode path =
                    paths.has(route.path())
                            ? (ObjectNode) paths.get(route.path())
                            : paths.putObject(route.path());
            ObjectNode get = path.putObject(route.method());
            get.put("operationId", route.operationId());
            get.put("summary", route.summary());
            if (route.scope() == ApiRoute.Scope.PUBLIC) {
                get.putArray("security"); // no credentials needed
            }
            ArrayNode parameters = get.putArray("parameters");
            for (ApiParam param : route.params()) {
                ObjectNode node = parameters.addObject();
                node.put("name", param.name());
                node.put("in", param.in().name().toLowerCase(Locale.ROOT));
                node.put("required", param.required());
                node.put("description", param.description());
                node.putObject("schema").put("type", param.type().name().toLowerCase(Locale.ROOT));
            }
            ObjectNode responses = get.putObject("responses");
            ObjectNode ok = responses.putObject("200").put("description", "the answer");
            ObjectNode content = ok.putObject("content").putObject(route.contentType());
            content.set(
                    "schema",
                    route.answer() == null
                            ? Answers.MAPPER.createObjectNode().put("type", "string")
                            : schema(route.answer(), schemas));
            responses
                    .putObject("default")
                    .put("description", "an error: bad parameters, unknown device, refused")
                    .putObject("content")
                    .putObject("application/json")
                    .putObject("schema")
                    .put("$ref", "#/components/schemas/ErrorAnswer");
        }
        ObjectNode components = doc.putObject("components");
        components.putObject("schemas").setAll(schemas);
        return doc;
    }

    /** The schema of a type, records added to the components by name. */
    private static ObjectNode schema(Type type, Map<String, ObjectNode> schemas) {
        ObjectNode node = Answers.MAPPER.createObjectNode();
        if (type instanceof ParameterizedType generic) {
            Class<?> raw = (Class<?>) generic.getRawType();
            if (List.class.isAssignableFrom(raw)) {
                node.put("type", "array");
                node.set("items", schema(generic.getActualTypeArguments()[0], schemas));
            } else {
                node.put("type", "object");
                node.set(
                        "additionalProperties",
                        schema(generic.getActualTypeArguments()[1], schemas));
            }
            return node;
        }
        Class<?> clazz = (Class<?>) type;
        if (clazz == String.class) {
            return node.put("type", "string");
        }
        if (clazz == int.class
                || clazz == long.class
                || clazz == Integer.class
                || clazz == Long.class) {
            return node.put("type", "integer");
        }
        if (clazz == boolean.class || clazz == Boolean.class) {
            return node.put("type", "boolean");
        }
        if (clazz.isEnum()) {
            node.put("type", "string");
            var symbols = node.putArray("enum");
            for (Object symbol : clazz.getEnumConstants()) {
                symbols.add(((Enum<?>) symbol).name());
            }
            return node;
        }
        if (JsonNode.class.isAssignableFrom(clazz)) {
            return node.put("description", "Avro records as JSON (docs/READ-SIDE.md)");
        }
        if (clazz.isRecord()) {
            String name = clazz.getSimpleName();
            if (!schemas.containsKey(name)) {
                ObjectNode record = Answers.MAPPER.createObjectNode().put("type", "object");
                schemas.put(name, record);
                ObjectNode properties = record.putObject("properties");
                for (RecordComponent component : clazz.getRecordComponents()) {
                    properties.set(
                            component.getName(), schema(component.getGenericType(), schemas));
                }
            }
            return node.put("$ref", "#/components/schemas/" + name);
        }
        throw new IllegalArgumentException("no schema for " + type);
    }
}
