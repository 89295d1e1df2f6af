package dev.backendteam.orchestrator.service;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import dev.backendteam.contract.FileInput;
import dev.backendteam.contract.JobAnswer;
import dev.backendteam.contract.JobRequest;
import dev.backendteam.contract.Json;
import dev.backendteam.contract.QueryInput;
import dev.backendteam.contract.RelativePath;
import dev.backendteam.contract.WriteRate;
import dev.backendteam.orchestrator.config.TargetRegistry;
import dev.backendteam.orchestrator.engine.FlowCatalog;
import dev.backendteam.orchestrator.service.InvalidRequestException.Kind;
import dev.backendteam.orchestrator.service.InvalidRequestException.Violation;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Reads and checks request bodies (REST and jobs.requested alike): strict JSON, so a misspelt field or a value of
 * the wrong type is an error with its path; then the values: no NUL character anywhere (PostgreSQL cannot store it
 * in text or jsonb), a task, a known flow, a configured target, well-formed inputs, file paths that stay inside
 * the project ({@link RelativePath}); the query-optimizer's inputs: finite, non-negative frequencies and write rates
 * of tables with sane names, a pasted plan as EXPLAIN's text or its JSON format.
 */
public final class RequestReader {
    static final int MAX_TASK_CHARS = 20_000;
    static final int MAX_CORRELATION_ID_CHARS = 200;
    static final List<String> GRANT_MODELS = List.of("explicit", "legacy");
    /** A pasted plan (EXPLAIN's text, or its JSON format written out): a big plan of a big query fits, a dump not. */
    static final int MAX_EXPLAIN_CHARS = 256 * 1024;
    /** A table name, optionally schema-qualified: PostgreSQL identifiers as written unquoted (63 bytes at most). */
    private static final Pattern TABLE_NAME = Pattern.compile("[\\p{L}_][\\p{L}\\p{N}_$]{0,62}"
            + "(\\.[\\p{L}_][\\p{L}\\p{N}_$]{0,62})?");
    private static final String NOT_A_TABLE_NAME = "is not a table name: letters, digits, _ and $, not starting with "
            + "a digit, at most 63 characters, optionally schema-qualified (public.comments)";
    private static final Pattern COERCION_HINT = Pattern.compile("\\s*\\(but (could|might) if coercion[^)]*\\)");
    private static final ObjectMapper CANONICAL = Json.strict().copy()
            .configure(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS, true);

    private final FlowCatalog catalog;
    private final TargetRegistry targets;
    private final int maxBytes;

    public RequestReader(FlowCatalog catalog, TargetRegistry targets, int maxBytes) {
        this.catalog = catalog;
        this.targets = targets;
        this.maxBytes = maxBytes;
    }

    public JobRequest readRequest(byte[] body) {
        JsonNode tree = tree(body);
        JobRequest request = bind(tree, JobRequest.class);
        List<Violation> v = new ArrayList<>();
        if (request.task() == null || request.task().isBlank()) {
            v.add(new Violation("task", "is required: say what you want done"));
        } else if (request.task().length() > MAX_TASK_CHARS) {
            v.add(new Violation("task", "is longer than " + MAX_TASK_CHARS + " characters"));
        }
        checkFlow(request.flow(), v);
        if (request.correlationId() != null && (request.correlationId().isBlank()
                || request.correlationId().length() > MAX_CORRELATION_ID_CHARS)) {
            v.add(new Violation("correlationId", "must be 1 to " + MAX_CORRELATION_ID_CHARS + " characters"));
        }
        checkInputs(request.spec(), request.queries(), request.rowCounts(), request.files(), request.target(), v);
        checkOptimizerInputs(request.queries(), request.writeRates(), request.explain(), v);
        checkGrants(request.grants(), v);
        valid(request, v);
        return new JobRequest(request.task(), request.flow(), request.spec(), request.sql(), request.queries(),
                request.rowCounts(), request.logs(), DotEnvFiles.withoutValues(request.files()), request.target(),
                request.correlationId(), request.grants(), request.writeRates(), request.explain());
    }

    public JobAnswer readAnswer(byte[] body) {
        JsonNode tree = tree(body);
        JobAnswer answer = bind(tree, JobAnswer.class);
        List<Violation> v = new ArrayList<>();
        if (answer.answer() == null || answer.answer().isBlank()) {
            v.add(new Violation("answer", "is required"));
        }
        checkFlow(answer.flow(), v);
        checkInputs(answer.spec(), answer.queries(), answer.rowCounts(), answer.files(), answer.target(), v);
        checkOptimizerInputs(answer.queries(), answer.writeRates(), answer.explain(), v);
        checkGrants(answer.grants(), v);
        valid(answer, v);
        return new JobAnswer(answer.jobId(), answer.answer(), answer.flow(), answer.spec(), answer.sql(),
                answer.queries(), answer.rowCounts(), answer.logs(), DotEnvFiles.withoutValues(answer.files()),
                answer.target(), answer.grants(), answer.writeRates(), answer.explain());
    }

    /** The user's project's grant model: explicit (Supabase's default since 2026-10-30) or legacy auto-grants. */
    private static void checkGrants(String grants, List<Violation> v) {
        if (grants != null && !GRANT_MODELS.contains(grants)) {
            v.add(new Violation("grants", "must be one of " + String.join(", ", GRANT_MODELS) + " (explicit: new"
                    + " tables need a grant, Supabase's default since 2026-10-30; legacy: the older auto-grants)"));
        }
    }

    private void checkFlow(String flow, List<Violation> v) {
        if (flow != null && !catalog.knows(flow)) {
            v.add(new Violation("flow", "unknown flow '" + flow + "'; known: "
                    + catalog.flows().keySet().stream().sorted().collect(Collectors.joining(", "))));
        }
    }

    private void checkInputs(JsonNode spec, List<QueryInput> queries, Map<String, Long> rowCounts,
            List<FileInput> files, String target, List<Violation> v) {
        if (spec != null && !spec.isNull() && !spec.isObject()) {
            v.add(new Violation("spec", "must be an object (a domain spec with entities)"));
        }
        if (queries != null) {
            for (int i = 0; i < queries.size(); i++) {
                QueryInput q = queries.get(i);
                if (q == null || q.sql() == null || q.sql().isBlank()) {
                    v.add(new Violation("queries[" + i + "].sql", "is required"));
                }
            }
        }
        if (rowCounts != null) {
            rowCounts.forEach((table, count) -> {
                if (!TABLE_NAME.matcher(table).matches()) {
                    v.add(new Violation("rowCounts." + table, NOT_A_TABLE_NAME));
                } else if (count == null || count < 0) {
                    v.add(new Violation("rowCounts." + table, "must be a non-negative number"));
                }
            });
        }
        if (files != null) {
            for (int i = 0; i < files.size(); i++) {
                FileInput f = files.get(i);
                if (f == null || f.path() == null || f.path().isBlank()) {
                    v.add(new Violation("files[" + i + "].path", "is required"));
                    continue;
                }
                int index = i;
                RelativePath.problem(f.path()).ifPresent(problem -> v.add(new Violation("files[" + index + "].path",
                        "must be a relative, normalised path inside the project; it " + problem)));
                if (f.content() == null) {
                    v.add(new Violation("files[" + i + "].content", "is required"));
                }
            }
        }
        if (target != null && !targets.has(target)) {
            v.add(new Violation("target", "no target '" + target + "' is configured"
                    + (targets.names().isEmpty() ? " (none are: set BACKEND_TEAM_TARGET_<NAME>_URL)"
                            : "; configured: " + String.join(", ", targets.names()))));
        }
    }

    /**
     * What the query-optimizer weighs: how often each query runs (calls per minute), how often each table is written
     * (rows per second; an index costs every write) and a plan the user pasted. JSON numbers too large for a double
     * arrive as infinity, so finiteness is checked, not assumed.
     */
    private static void checkOptimizerInputs(List<QueryInput> queries, Map<String, WriteRate> writeRates,
            JsonNode explain, List<Violation> v) {
        if (queries != null) {
            for (int i = 0; i < queries.size(); i++) {
                QueryInput q = queries.get(i);
                if (q != null && q.frequency() != null) {
                    checkRate("queries[" + i + "].frequency", q.frequency(), "calls per minute", v);
                }
            }
        }
        if (writeRates != null) {
            writeRates.forEach((table, rate) -> {
                String field = "writeRates." + table;
                if (!TABLE_NAME.matcher(table).matches()) {
                    v.add(new Violation(field, NOT_A_TABLE_NAME));
                }
                if (rate == null) {
                    v.add(new Violation(field, "must be an object with inserts, updates and/or deletes (rows per"
                            + " second)"));
                    return;
                }
                checkRate(field + ".inserts", rate.inserts(), "rows per second", v);
                checkRate(field + ".updates", rate.updates(), "rows per second", v);
                checkRate(field + ".deletes", rate.deletes(), "rows per second", v);
            });
        }
        if (explain != null && !explain.isNull()) {
            checkExplain(explain, v);
        }
    }

    private static void checkRate(String field, Double value, String unit, List<Violation> v) {
        if (value != null && (!Double.isFinite(value) || value < 0)) {
            v.add(new Violation(field, "must be a finite number ≥ 0 (" + unit + ")"));
        }
    }

    /**
     * EXPLAIN's text output as a string, or its JSON format: the array {@code EXPLAIN (FORMAT JSON)} prints (one
     * object with a {@code Plan}) or that object.
     */
    private static void checkExplain(JsonNode explain, List<Violation> v) {
        if (explain.isTextual()) {
            if (explain.textValue().isBlank()) {
                v.add(new Violation("explain", "is blank: paste EXPLAIN's output, or leave it out"));
            } else if (explain.textValue().length() > MAX_EXPLAIN_CHARS) {
                v.add(new Violation("explain", "is longer than " + MAX_EXPLAIN_CHARS + " characters"));
            }
            return;
        }
        JsonNode plan = explain.isArray() && explain.size() == 1 ? explain.get(0) : explain;
        if (!plan.isObject() || !plan.path("Plan").isObject()) {
            v.add(new Violation("explain", "must be EXPLAIN's text output as a string, or its JSON format: "
                    + "[{\"Plan\": {…}}] as EXPLAIN (FORMAT JSON) prints it, or the object in it"));
        } else if (explain.toString().length() > MAX_EXPLAIN_CHARS) {
            v.add(new Violation("explain", "is longer than " + MAX_EXPLAIN_CHARS + " characters as JSON"));
        }
    }

    /**
     * Every string value and field name that holds a NUL or a UTF-16 surrogate without its pair, by its path
     * ({@code files[2].content}, {@code spec.entities[0].name}); in a path, a NUL of a field name is written as JSON
     * escapes it. Neither can be stored: PostgreSQL refuses NUL in text and jsonb, and a lone surrogate ({@code
     * "\\ud800"}, valid JSON escape, no character) would be written as {@code ?}, so the job would not hold what
     * was sent.
     */
    private static void findUnstorable(JsonNode node, String path, List<Violation> v) {
        if (node.isTextual()) {
            unstorable(node.textValue()).ifPresent(why -> v.add(new Violation(path, "contains " + why)));
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                findUnstorable(node.get(i), path + "[" + i + "]", v);
            }
        } else if (node.isObject()) {
            for (Map.Entry<String, JsonNode> field : node.properties()) {
                String child = (path.isEmpty() ? "" : path + ".") + field.getKey().replace("\0", "\\u0000");
                unstorable(field.getKey()).ifPresent(why -> v.add(new Violation(child, "is a field name with "
                        + why)));
                findUnstorable(field.getValue(), child, v);
            }
        }
    }

    private static Optional<String> unstorable(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\0') {
                return Optional.of("a NUL character (\\u0000), which cannot be stored; remove it");
            }
            if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                return Optional.of(String.format("an unpaired UTF-16 surrogate (\\u%04x) at character %d, "
                        + "which is not a character and cannot be stored; send valid Unicode", (int) c, i));
            }
        }
        return Optional.empty();
    }

    /** The body as a JSON object, refused whole (422) if any string or field name in it holds a NUL. */
    private JsonNode tree(byte[] body) {
        if (body == null || body.length == 0) {
            throw new InvalidRequestException(Kind.MALFORMED, "the request body is empty; send a JSON object",
                    List.of());
        }
        if (body.length > maxBytes) {
            throw new InvalidRequestException(Kind.TOO_LARGE, "the request body has " + body.length
                    + " bytes; the limit is " + maxBytes, List.of());
        }
        JsonNode tree;
        try {
            tree = Json.strict().readTree(body);
        } catch (JsonProcessingException e) {
            throw malformedJson(e);
        } catch (java.io.IOException e) {
            throw new InvalidRequestException(Kind.MALFORMED, "unreadable body: " + e.getMessage(), List.of());
        }
        if (tree == null || !tree.isObject()) {
            throw new InvalidRequestException(Kind.MALFORMED, "the request body must be a JSON object", List.of());
        }
        List<Violation> unstorable = new ArrayList<>();
        findUnstorable(tree, "", unstorable);
        return valid(tree, unstorable);
    }

    private static <T> T bind(JsonNode tree, Class<T> type) {
        try {
            return Json.strict().treeToValue(tree, type);
        } catch (UnrecognizedPropertyException e) {
            throw new InvalidRequestException(Kind.MALFORMED, "unknown field '" + e.getPropertyName() + "'",
                    List.of(new Violation(path(e), "unknown field; known fields: "
                            + e.getKnownPropertyIds().stream().map(Object::toString).sorted()
                                    .collect(Collectors.joining(", ")))));
        } catch (JsonMappingException e) {
            throw new InvalidRequestException(Kind.MALFORMED, "a field has the wrong type",
                    List.of(new Violation(path(e), withoutCoercionHint(e.getOriginalMessage()))));
        } catch (JsonProcessingException e) {
            throw malformedJson(e);
        }
    }

    /** Jackson suggests enabling its CoercionConfig: advice for this code, not for the caller. */
    private static String withoutCoercionHint(String message) {
        return message == null ? null : COERCION_HINT.matcher(message).replaceAll("");
    }

    private static InvalidRequestException malformedJson(JsonProcessingException e) {
        String where = e.getLocation() == null ? "" : " at line " + e.getLocation().getLineNr() + ", column "
                + e.getLocation().getColumnNr();
        return new InvalidRequestException(Kind.MALFORMED, "malformed JSON" + where + ": " + e.getOriginalMessage(),
                List.of());
    }

    private static String path(JsonMappingException e) {
        StringBuilder p = new StringBuilder();
        for (JsonMappingException.Reference r : e.getPath()) {
            if (r.getFieldName() != null) {
                p.append(p.length() == 0 ? "" : ".").append(r.getFieldName());
            } else if (r.getIndex() >= 0) {
                p.append('[').append(r.getIndex()).append(']');
            }
        }
        return p.length() == 0 ? "(body)" : p.toString();
    }

    private static <T> T valid(T value, List<Violation> v) {
        if (!v.isEmpty()) {
            throw new InvalidRequestException(Kind.UNPROCESSABLE, v.size() == 1 ? v.get(0).field() + " "
                    + v.get(0).message() : v.size() + " fields are not acceptable", v);
        }
        return value;
    }

    /** Hash of the request's meaning, not its bytes: key order and white space do not matter. */
    public static String fingerprint(JobRequest request) {
        try {
            Object plain = CANONICAL.convertValue(request, Object.class);
            byte[] canonical = CANONICAL.writeValueAsBytes(plain);
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(canonical));
        } catch (JsonProcessingException | NoSuchAlgorithmException e) {
            throw new IllegalStateException("cannot fingerprint the request", e);
        }
    }

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
