package dev.backendteam.dbarchitect.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.backendteam.contract.Evidence;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.parser.OpenAPIV3Parser;
import io.swagger.v3.parser.core.models.ParseOptions;
import io.swagger.v3.parser.core.models.SwaggerParseResult;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The OpenAPI 3.1 document of the Data API ({@value #FILE}): PostgREST's paths {@code /rest/v1/<table-or-view>}
 * (select, order, limit and the key filter a keyset page needs) and {@code /rest/v1/rpc/<function>} with their request
 * and response schemas, the {@code apikey} and bearer security schemes, and PostgREST's error shape
 * ({@code code, message, details, hint}) on every error response. {@link #validate} parses it with swagger-parser's
 * OpenAPI 3 parser (the maintained reference parser, which reads 3.1) and reports its messages.
 */
public final class OpenApiDocument {
    public static final String FILE = "supabase/api/openapi.json";
    public static final String CHECK = "openapi: " + FILE + " parsed as OpenAPI 3.1 by swagger-parser";
    private static final ObjectMapper JSON = new ObjectMapper();

    private OpenApiDocument() {
    }

    public static String render(ApiCatalog catalog, ApiDesign design) {
        ObjectNode doc = JSON.createObjectNode();
        doc.put("openapi", "3.1.0");
        ObjectNode info = doc.putObject("info");
        info.put("title", "Data API");
        info.put("version", "1.0.0");
        info.put("description", "The Supabase Data API (PostgREST) of this schema, as backend-team db-architect"
                + " derived and proved it: tables and views under /rest/v1, functions under /rest/v1/rpc. Row level"
                + " security decides the rows; a missing grant answers 401/403 with the error shape below.");
        ObjectNode server = doc.putArray("servers").addObject();
        server.put("url", "{project}");
        server.putObject("variables").putObject("project").put("default", "http://localhost:54321")
                .put("description", "the project URL");
        ObjectNode keys = doc.putArray("security").addObject();
        keys.putArray("apikey");
        keys.putArray("bearer");
        ObjectNode paths = doc.putObject("paths");
        ObjectNode components = doc.putObject("components");
        ObjectNode schemas = components.putObject("schemas");
        ObjectNode schemes = components.putObject("securitySchemes");
        schemes.putObject("apikey").put("type", "apiKey").put("in", "header").put("name", "apikey")
                .put("description", "the project's anon or service_role key");
        schemes.putObject("bearer").put("type", "http").put("scheme", "bearer").put("bearerFormat", "JWT")
                .put("description", "the user's access token (or the anon key when signed out)");
        ObjectNode error = schemas.putObject("Error");
        error.put("type", "object").put("description", "PostgREST's error: the SQLSTATE or PGRST code, the message,"
                + " and PostgreSQL's detail and hint");
        error.putArray("required").add("code").add("message");
        ObjectNode ep = error.putObject("properties");
        ep.putObject("code").put("type", "string").putArray("examples").add("42501");
        ep.putObject("message").put("type", "string");
        ep.putObject("details").putArray("type").add("string").add("null");
        ep.putObject("hint").putArray("type").add("string").add("null");
        ObjectNode responses = components.putObject("responses");
        responses.putObject("Error").put("description", "an error: missing grant, policy refusal, bad request")
                .putObject("content").putObject("application/json").putObject("schema")
                .put("$ref", "#/components/schemas/Error");

        for (ApiDesign.Exposed e : design.tables()) {
            ApiCatalog.Relation t = catalog.relation(e.table()).orElseThrow();
            // a sensitive column is left out of the documented row (api.table-sensitive-column says how to close it)
            List<ApiCatalog.Column> documented = t.columns().stream().filter(c -> !ApiDesign.sensitive(c.name()))
                    .toList();
            rowSchema(schemas, t.name(), documented, false);
            ObjectNode path = paths.putObject("/rest/v1/" + t.name());
            read(path.putObject("get"), t.name(), t.primaryKey(), "Rows of " + t.qualified() + " the caller may read",
                    e.readers());
            if (t.may("authenticated", "insert")) {
                ObjectNode post = path.putObject("post");
                post.put("operationId", "insert_" + t.name()).put("summary", "Insert rows into " + t.qualified());
                post.putObject("requestBody").put("required", true).putObject("content")
                        .putObject("application/json").putObject("schema").put("$ref", "#/components/schemas/"
                                + t.name());
                respond(post, "201", "the inserted rows (Prefer: return=representation)", arrayOf(t.name()));
            }
            if (t.may("authenticated", "update")) {
                ObjectNode patch = path.putObject("patch");
                patch.put("operationId", "update_" + t.name()).put("summary", "Update the rows of " + t.qualified()
                        + " the filters match and the policies allow (only the columns the grants name)");
                filters(patch, t.primaryKey());
                ObjectNode changes = patch.putObject("requestBody").put("required", true).putObject("content")
                        .putObject("application/json").putObject("schema").put("type", "object");
                ObjectNode props = changes.putObject("properties");
                documented.forEach(c -> props.set(c.name(), type(c.type(), !c.notNull())));
                respond(patch, "200", "the updated rows (Prefer: return=representation)", arrayOf(t.name()));
            }
            if (t.may("authenticated", "delete")) {
                ObjectNode del = path.putObject("delete");
                del.put("operationId", "delete_" + t.name()).put("summary", "Delete the rows of " + t.qualified()
                        + " the filters match and the policies allow");
                filters(del, t.primaryKey());
                respond(del, "204", "deleted", null);
            }
        }
        for (ApiDesign.ViewDef v : design.views()) {
            rowSchema(schemas, v.name(), v.columns(), true);
            read(paths.putObject("/rest/v1/" + v.name()).putObject("get"), v.name(), v.key(), "Rows of "
                    + v.table() + " shaped: " + v.why(), v.readers());
        }
        for (ApiDesign.Rpc r : design.rpcs()) {
            ObjectNode post = paths.putObject("/rest/v1/rpc/" + r.name()).putObject("post");
            post.put("operationId", r.name()).put("summary", ApiDesign.describe(r));
            ObjectNode body = post.putObject("requestBody").put("required", true).putObject("content")
                    .putObject("application/json").putObject("schema").put("type", "object");
            body.put("additionalProperties", false);
            ArrayNode required = JSON.createArrayNode();
            ObjectNode props = body.putObject("properties");
            for (ApiDesign.Param p : r.params()) {
                props.set(p.name(), type(p.type(), false));
                if (p.defaultSql() == null) {
                    required.add(p.name());
                }
            }
            if (!required.isEmpty()) {
                body.set("required", required);
            }
            String out = r.source().substring(r.source().indexOf('.') + 1);
            switch (r.kind()) {
                case SEARCH -> respond(post, "200", "a page of rows, by " + r.key(), arrayOf(out));
                case COUNT -> {
                    ObjectNode row = JSON.createObjectNode().put("type", "object");
                    row.putArray("required").add(r.column()).add("total");
                    row.putObject("properties").set(r.column(), type(r.keyType(), false));
                    ((ObjectNode) row.get("properties")).putObject("total").put("type", "integer");
                    ObjectNode arr = JSON.createObjectNode().put("type", "array");
                    arr.set("items", row);
                    respond(post, "200", "one row per " + r.column(), arr);
                }
                case CREATE_WITH -> respond(post, "200", "the new row", ref(out));
            }
        }
        return doc.toPrettyString() + "\n";
    }

    private static void read(ObjectNode get, String name, List<String> key, String summary, Set<String> readers) {
        get.put("operationId", "select_" + name).put("summary", summary + " (readable by " + String.join(", ",
                readers) + ")");
        ArrayNode params = get.putArray("parameters");
        param(params, "select", "query", "the columns to return" + (key.isEmpty() ? "" : ", e.g. "
                + String.join(",", key) + ",…"), "string");
        // without a primary key there is no key to page by (api.no-primary-key): order and limit only
        param(params, "order", "query", key.isEmpty() ? "e.g. <column>.asc (no primary key: no keyset pages)"
                : "e.g. " + key.get(0) + ".asc (keyset pages order by the key)", "string");
        param(params, "limit", "query", "rows per page", "integer");
        if (key.size() == 1) {
            param(params, key.get(0), "query", "keyset: gt.<the last " + key.get(0) + " of the previous page>",
                    "string");
        }
        respond(get, "200", "the rows the caller may read", arrayOf(name));
    }

    private static void filters(ObjectNode op, List<String> key) {
        ArrayNode params = op.putArray("parameters");
        for (String k : key) {
            param(params, k, "query", "eq.<" + k + ">", "string");
        }
    }

    private static void param(ArrayNode params, String name, String in, String description, String type) {
        ObjectNode p = params.addObject();
        p.put("name", name).put("in", in).put("required", false).put("description", description);
        p.putObject("schema").put("type", type);
    }

    private static void respond(ObjectNode op, String status, String description, ObjectNode schema) {
        ObjectNode responses = op.putObject("responses");
        ObjectNode ok = responses.putObject(status).put("description", description);
        if (schema != null) {
            ok.putObject("content").putObject("application/json").set("schema", schema);
        }
        responses.putObject("default").put("$ref", "#/components/responses/Error");
    }

    private static ObjectNode arrayOf(String name) {
        ObjectNode arr = JSON.createObjectNode().put("type", "array");
        arr.set("items", ref(name));
        return arr;
    }

    private static ObjectNode ref(String name) {
        return JSON.createObjectNode().put("$ref", "#/components/schemas/" + name);
    }

    private static void rowSchema(ObjectNode schemas, String name, List<ApiCatalog.Column> columns, boolean view) {
        ObjectNode s = schemas.putObject(name).put("type", "object");
        ObjectNode props = s.putObject("properties");
        ArrayNode required = JSON.createArrayNode();
        for (ApiCatalog.Column c : columns) {
            props.set(c.name(), type(c.type(), !c.notNull() || view));
            if (c.notNull() && !view) {
                required.add(c.name());
            }
        }
        if (!required.isEmpty()) {
            s.set("required", required);
        }
    }

    /** A column or argument type as JSON Schema (3.1: a nullable value is a type list with "null"). */
    static ObjectNode type(String sql, boolean nullable) {
        ObjectNode t = JSON.createObjectNode();
        boolean array = sql.endsWith("[]");
        String base = (array ? sql.substring(0, sql.length() - 2) : sql).replaceAll("\\(.*\\)", "").trim();
        ObjectNode item = JSON.createObjectNode();
        switch (base) {
            case "uuid" -> item.put("type", "string").put("format", "uuid");
            case "timestamp with time zone", "timestamp without time zone" -> item.put("type", "string")
                    .put("format", "date-time");
            case "date" -> item.put("type", "string").put("format", "date");
            case "smallint", "integer", "bigint" -> item.put("type", "integer");
            case "numeric", "real", "double precision" -> item.put("type", "number");
            case "boolean" -> item.put("type", "boolean");
            case "json", "jsonb" -> item.put("description", "any JSON value");
            default -> item.put("type", "string");
        }
        if (array) {
            t.put("type", "array");
            t.set("items", item);
        } else {
            t.setAll(item);
        }
        if (nullable && t.has("type")) {
            String one = t.get("type").asText();
            t.putArray("type").add(one).add("null");
        }
        return t;
    }

    /**
     * The document parsed by swagger-parser: passed when it reads as OpenAPI 3.1 with no message (every $ref
     * resolved); failed with the parser's messages otherwise.
     */
    public static Evidence validate(String json) {
        long started = System.nanoTime();
        ParseOptions options = new ParseOptions();
        options.setResolve(true);
        SwaggerParseResult result = new OpenAPIV3Parser().readContents(json, null, options);
        List<String> problems = new ArrayList<>(result.getMessages() == null ? List.of() : result.getMessages());
        OpenAPI api = result.getOpenAPI();
        if (api == null) {
            problems.add(0, "not an OpenAPI document");
        } else if (api.getSpecVersion() != io.swagger.v3.oas.models.SpecVersion.V31) {
            problems.add("read as " + api.getSpecVersion() + ", not OpenAPI 3.1 (openapi: " + api.getOpenapi() + ")");
        }
        String parser = "swagger-parser-v3 " + version();
        long millis = (System.nanoTime() - started) / 1_000_000;
        if (problems.isEmpty()) {
            return new Evidence(CHECK, true, parser + ": OpenAPI " + api.getOpenapi() + ", " + api.getPaths().size()
                    + " path(s), " + api.getComponents().getSchemas().size() + " schema(s), no message", millis);
        }
        return new Evidence(CHECK, false, parser + ": " + String.join("; ", problems.stream().limit(10).toList()),
                millis);
    }

    private static String version() {
        String v = OpenAPIV3Parser.class.getPackage().getImplementationVersion();
        return v == null ? "2.1.48" : v;
    }
}
