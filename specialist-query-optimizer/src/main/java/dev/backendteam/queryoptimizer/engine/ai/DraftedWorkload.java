package dev.backendteam.queryoptimizer.engine.ai;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.backendteam.contract.Artifact;
import dev.backendteam.contract.ArtifactKind;
import dev.backendteam.contract.Json;
import dev.backendteam.contract.QueryInput;
import dev.backendteam.contract.Specialist;
import dev.backendteam.contract.llm.RepairLoop;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The workload a model drafted from the task's words: named read queries with {@code $n} parameters and, where the
 * task says how often, a frequency in calls per minute. Delivered as {@value #FILE} in the request's own
 * {@code queries} shape, so the user can review it and resubmit it without a model, and so the validation round
 * replays the same queries the index set was proven on.
 */
public record DraftedWorkload(List<QueryInput> queries) {
    public static final String FILE = "workload.json";
    public static final String SHAPE = "workload.shape";
    public static final String TOO_MANY = "workload.too-many";
    static final int MAX_QUERIES = 20;
    static final int MAX_SQL_CHARS = 8_000;
    private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9_]{0,62}");

    public DraftedWorkload {
        queries = List.copyOf(queries);
    }

    /** The queries of a model's answer that are well formed; what is malformed about the rest goes to {@code problems}. */
    public static DraftedWorkload read(JsonNode json, List<RepairLoop.Problem> problems) {
        JsonNode list = json == null ? null : json.get("queries");
        if (list == null || !list.isArray()) {
            problems.add(new RepairLoop.Problem(SHAPE, "/queries", "the answer needs a \"queries\" array"));
            return new DraftedWorkload(List.of());
        }
        if (list.size() > MAX_QUERIES) {
            problems.add(new RepairLoop.Problem(TOO_MANY, "/queries", list.size() + " queries: a workload holds at most "
                    + MAX_QUERIES + ", the ones the task says must be fast first"));
        }
        List<QueryInput> out = new ArrayList<>();
        Set<String> names = new HashSet<>();
        for (int i = 0; i < Math.min(list.size(), MAX_QUERIES); i++) {
            JsonNode q = list.get(i);
            String where = "/queries/" + i;
            String name = text(q, "name");
            String sql = text(q, "sql");
            JsonNode frequency = q == null ? null : q.get("frequency");
            if (name == null || !NAME.matcher(name).matches()) {
                problems.add(new RepairLoop.Problem(SHAPE, where + "/name", "each query needs a snake_case name of at"
                        + " most 63 characters (lower-case letters, digits, _)"));
            } else if (!names.add(name)) {
                problems.add(new RepairLoop.Problem(SHAPE, where + "/name", "the name " + name + " is used twice"));
            } else if (sql == null || sql.isBlank()) {
                problems.add(new RepairLoop.Problem(SHAPE, where + "/sql", "query " + name + " has no SQL"));
            } else if (sql.length() > MAX_SQL_CHARS) {
                problems.add(new RepairLoop.Problem(SHAPE, where + "/sql", "query " + name + " has " + sql.length()
                        + " characters; at most " + MAX_SQL_CHARS));
            } else if (frequency != null && !frequency.isNull() && !(frequency.isNumber() && frequency.asDouble() > 0)) {
                problems.add(new RepairLoop.Problem(SHAPE, where + "/frequency", "the frequency of " + name
                        + " must be a positive number of calls per minute, or left out"));
            } else {
                out.add(new QueryInput(name, sql.strip(), frequency == null || frequency.isNull() ? null
                        : frequency.asDouble()));
            }
        }
        return new DraftedWorkload(out);
    }

    /** The workload as the file delivered: {@code {"queries": [...]}}, the request's own field. */
    public Artifact artifact() {
        ObjectNode root = Json.events().createObjectNode();
        ArrayNode list = root.putArray("queries");
        queries.forEach(q -> list.add(Json.events().valueToTree(q)));
        return Artifact.file(FILE, root.toPrettyString() + "\n", Specialist.QUERY_OPTIMIZER);
    }

    /** The workload an earlier step of the job drafted (its {@value #FILE} in the bundle), the last one if several. */
    public static Optional<DraftedWorkload> delivered(List<Artifact> bundle) {
        Optional<DraftedWorkload> found = Optional.empty();
        for (Artifact a : bundle) {
            if (a.kind() == ArtifactKind.FILE && FILE.equals(a.name())
                    && Specialist.QUERY_OPTIMIZER.id().equals(a.producedBy()) && a.content() != null) {
                try {
                    found = Optional.of(read(Json.events().readTree(a.content()), new ArrayList<>()));
                } catch (JsonProcessingException e) {
                    throw new IllegalArgumentException("the bundle's " + FILE + " is not JSON: " + e.getMessage(), e);
                }
            }
        }
        return found;
    }

    private static String text(JsonNode node, String field) {
        JsonNode v = node == null ? null : node.get(field);
        return v != null && v.isTextual() ? v.asText() : null;
    }
}
