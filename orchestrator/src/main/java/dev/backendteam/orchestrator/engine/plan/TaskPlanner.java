package dev.backendteam.orchestrator.engine.plan;

import com.fasterxml.jackson.databind.JsonNode;
import dev.backendteam.contract.Clarification;
import dev.backendteam.contract.JobInputs;
import dev.backendteam.contract.QueryInput;
import dev.backendteam.contract.llm.ModelSession;
import dev.backendteam.contract.llm.RepairLoop;
import dev.backendteam.contract.llm.StructuredDraft;
import dev.backendteam.contract.llm.Untrusted;
import dev.backendteam.orchestrator.engine.FlowCatalog;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The AI planner (BRIEF §6a): a model reads the task's words and answers with a plan — the flow, or a question when
 * the task is ambiguous, and the structured inputs it could lift out of the words (a domain spec, the queries that must
 * be fast, row counts). The plan is data the engine checks: only the keys of the plan, a flow of the catalogue, a spec
 * that passes the spec's JSON Schema and read-only queries pass; anything else goes back to the model (at most twice)
 * and is never applied. What the user gave wins over what the model lifted.
 */
public final class TaskPlanner {
    public static final String PURPOSE = "orchestrator: plan the job";
    private static final Set<String> KEYS = Set.of("flow", "question", "spec", "queries", "rowCounts", "summary");
    private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9_]{0,62}");
    private static final Pattern READ_ONLY = Pattern.compile("(?is)^\\s*(select|with)\\b.*");
    private static final Pattern WRITES = Pattern.compile(
            "(?i)\\b(insert|update|delete|merge|drop|alter|create|truncate|grant|revoke|copy|call|do)\\b");

    /** What the planner decided. Exactly one of {@code flow} and {@code question} is set. */
    public record Plan(String flow, String question, JsonNode spec, List<QueryInput> queries,
            Map<String, Long> rowCounts, String summary) {

        /** What {@link #into} adds to {@code inputs}, in words. */
        public List<String> lifted(JobInputs inputs) {
            List<String> what = new ArrayList<>();
            if (spec != null && !inputs.hasSpec()) {
                what.add("a domain spec");
            }
            if (!queries.isEmpty() && !inputs.hasQueries()) {
                what.add(queries.size() + (queries.size() == 1 ? " query" : " queries"));
            }
            if (!rowCounts.isEmpty() && inputs.rowCounts().isEmpty()) {
                what.add("row counts of " + rowCounts.size() + (rowCounts.size() == 1 ? " table" : " tables"));
            }
            return what;
        }

        /** The job's inputs with what the plan lifted, where the user gave nothing of that kind. */
        public JobInputs into(JobInputs inputs) {
            boolean addSpec = spec != null && !inputs.hasSpec();
            boolean addQueries = !queries.isEmpty() && !inputs.hasQueries();
            boolean addRows = !rowCounts.isEmpty() && inputs.rowCounts().isEmpty();
            List<String> drafted = new ArrayList<>();
            if (addSpec) {
                drafted.add(JobInputs.SPEC);
            }
            if (addQueries) {
                drafted.add(JobInputs.QUERIES);
            }
            if (addRows) {
                drafted.add(JobInputs.ROW_COUNTS);
            }
            JobInputs lifted = new JobInputs(addSpec ? spec : null, null, addQueries ? queries : List.of(),
                    addRows ? rowCounts : Map.of(), null, null, null, null, null, null, null, drafted);
            return inputs.merge(lifted, null);
        }
    }

    /** The plan, or why the model gave none that passed. */
    public record Outcome(Plan plan, String failure, int drafts) {
    }

    private final ModelSession model;
    private final FlowCatalog catalog;
    private final SpecSchema specSchema;
    private final String system;

    public TaskPlanner(ModelSession model, FlowCatalog catalog, SpecSchema specSchema) {
        this.model = model;
        this.catalog = catalog;
        this.specSchema = specSchema;
        this.system = resource("/prompts/planner.txt").replace("{{flows}}", catalog.flows().entrySet().stream()
                .map(f -> "- " + f.getKey() + ": " + f.getValue().description()).collect(Collectors.joining("\n")))
                + "\n\n" + Untrusted.RULE;
    }

    public String provider() {
        return model.provider() + " " + model.modelName();
    }

    /** Plans the job; a flow the request forced is kept whatever the model says. */
    public Outcome plan(String task, JobInputs inputs, String forcedFlow) {
        StringBuilder user = new StringBuilder("The task:\n").append(Untrusted.fence("task", task)).append('\n');
        for (Clarification c : inputs.clarifications()) {
            user.append("A question asked earlier, and the user's answer:\n")
                    .append(Untrusted.fence("question", c.question())).append('\n')
                    .append(Untrusted.fence("answer", c.answer())).append('\n');
        }
        user.append("Inputs the user gave besides the words: ").append(given(inputs)).append(".\n");
        if (forcedFlow != null) {
            user.append("The user chose the flow ").append(forcedFlow).append(".\n");
        }
        user.append("Answer with the plan as one JSON object.");
        RepairLoop.Outcome<StructuredDraft.Answer> drafted = StructuredDraft.run(model, PURPOSE, system,
                user.toString(), List.of(), json -> problems(json, forcedFlow));
        if (!drafted.accepted()) {
            return new Outcome(null, drafted.reason(), drafted.attempts());
        }
        return new Outcome(read(drafted.value().json(), forcedFlow), null, drafted.attempts());
    }

    List<RepairLoop.Problem> problems(JsonNode plan, String forcedFlow) {
        List<RepairLoop.Problem> problems = new ArrayList<>();
        for (Iterator<String> keys = plan.fieldNames(); keys.hasNext(); ) {
            String key = keys.next();
            if (!KEYS.contains(key)) {
                problems.add(new RepairLoop.Problem("plan.unknown-key", key, "'" + key + "' is not part of a plan;"
                        + " a plan has only " + String.join(", ", KEYS.stream().sorted().toList())));
            }
        }
        String flow = text(plan, "flow");
        String question = text(plan, "question");
        if (flow != null && !catalog.knows(flow)) {
            problems.add(new RepairLoop.Problem("plan.unknown-flow", flow, "there is no flow '" + flow
                    + "'; the flows are " + String.join(", ", catalog.flows().keySet())));
        }
        if (flow == null && forcedFlow == null && (question == null || question.isBlank())) {
            problems.add(new RepairLoop.Problem("plan.no-flow", "flow", "name a flow, or ask a question"));
        }
        JsonNode spec = plan.get("spec");
        if (spec != null && !spec.isNull()) {
            specSchema.problems(spec).forEach(problems::add);
        }
        JsonNode queries = plan.get("queries");
        if (queries != null && !queries.isNull()) {
            if (!queries.isArray()) {
                problems.add(new RepairLoop.Problem("plan.queries", "queries", "queries must be an array"));
            } else {
                for (JsonNode q : queries) {
                    String name = text(q, "name");
                    String sql = text(q, "sql");
                    if (name == null || !NAME.matcher(name).matches()) {
                        problems.add(new RepairLoop.Problem("plan.query-name", name, "each query needs a snake_case"
                                + " name"));
                    } else if (sql == null || !READ_ONLY.matcher(sql).matches() || WRITES.matcher(sql).find()
                            || stripTrailingSemicolon(sql).contains(";")) {
                        problems.add(new RepairLoop.Problem("plan.query-not-read-only", name, "query " + name
                                + " must be one SELECT (no writes, no second statement)"));
                    }
                }
            }
        }
        JsonNode rows = plan.get("rowCounts");
        if (rows != null && !rows.isNull()) {
            if (!rows.isObject()) {
                problems.add(new RepairLoop.Problem("plan.row-counts", "rowCounts", "rowCounts must be an object"));
            } else {
                rows.fields().forEachRemaining(e -> {
                    if (!e.getValue().canConvertToLong() || e.getValue().asLong() < 0) {
                        problems.add(new RepairLoop.Problem("plan.row-counts", e.getKey(), "a row count is a"
                                + " whole number ≥ 0"));
                    }
                });
            }
        }
        return problems;
    }

    private Plan read(JsonNode plan, String forcedFlow) {
        String flow = forcedFlow != null ? forcedFlow : text(plan, "flow");
        List<QueryInput> queries = new ArrayList<>();
        JsonNode q = plan.get("queries");
        if (q != null && q.isArray()) {
            q.forEach(x -> queries.add(new QueryInput(text(x, "name"), text(x, "sql"))));
        }
        Map<String, Long> rows = new LinkedHashMap<>();
        JsonNode r = plan.get("rowCounts");
        if (r != null && r.isObject()) {
            r.fields().forEachRemaining(e -> rows.put(e.getKey().toLowerCase(Locale.ROOT), e.getValue().asLong()));
        }
        JsonNode spec = plan.get("spec");
        return new Plan(flow, flow == null ? clean(text(plan, "question")) : null,
                spec == null || spec.isNull() ? null : spec, queries, rows, clean(text(plan, "summary")));
    }

    private static String stripTrailingSemicolon(String sql) {
        String s = sql.strip();
        return s.endsWith(";") ? s.substring(0, s.length() - 1) : s;
    }

    /** A model's words for a question or a summary, without what the job store cannot keep (NUL, other controls). */
    static String clean(String text) {
        return text == null ? null : text.replaceAll("[\\p{Cc}&&[^\\n\\t]]", "").strip();
    }

    private static String given(JobInputs inputs) {
        List<String> given = new ArrayList<>();
        if (inputs.hasSpec()) {
            given.add("a domain spec");
        }
        if (inputs.hasSql()) {
            given.add("SQL");
        }
        if (inputs.hasQueries()) {
            given.add(inputs.queries().size() + " queries");
        }
        if (inputs.hasLogs()) {
            given.add("a log");
        }
        if (inputs.hasFiles()) {
            given.add(inputs.files().size() + " files");
        }
        if (inputs.target() != null) {
            given.add("a target database");
        }
        return given.isEmpty() ? "none" : String.join(", ", given);
    }

    private static String text(JsonNode node, String field) {
        JsonNode v = node == null ? null : node.get(field);
        return v != null && v.isTextual() && !v.asText().isBlank() ? v.asText() : null;
    }

    private static String resource(String path) {
        try (InputStream in = TaskPlanner.class.getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + path);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).strip();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
