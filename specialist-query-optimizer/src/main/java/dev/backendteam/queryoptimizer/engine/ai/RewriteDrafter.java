package dev.backendteam.queryoptimizer.engine.ai;

import com.fasterxml.jackson.databind.JsonNode;
import dev.backendteam.contract.llm.ModelSession;
import dev.backendteam.contract.llm.ModelTool;
import dev.langchain4j.model.chat.request.json.JsonArraySchema;
import dev.langchain4j.model.chat.request.json.JsonObjectSchema;
import dev.langchain4j.model.chat.request.json.JsonStringSchema;
import dev.backendteam.contract.llm.RepairLoop;
import dev.backendteam.contract.llm.StructuredDraft;
import dev.backendteam.contract.llm.Untrusted;
import dev.backendteam.queryoptimizer.rewrite.Rewrite;
import dev.backendteam.queryoptimizer.sql.SqlText;
import dev.backendteam.queryoptimizer.rewrite.RewriteVerdict;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;

/**
 * Where the model writes SQL: rewrites of the workload's queries. Each must be one read-only SELECT and is proven by
 * the engine as its own rewrites are (the same rows on the generated data for the measured values, a cheaper plan);
 * what fails goes back to the model at most twice, and the loop breaker stops a repeated failure. Only proven
 * rewrites are offered.
 */
public final class RewriteDrafter {
    public static final String PURPOSE = "query-optimizer: draft rewrites";
    public static final String RULE = "rewrite.model";
    public static final String NOT_PROVEN = "rewrite.not-proven";
    public static final String SHAPE = "rewrite.shape";
    static final int MAX = 5;

    /** Tries an index for a query in the sandbox (built, planned, dropped) and says what the plan's cost did. */
    public interface IndexTrial {
        String tryIndex(String query, String table, List<String> columns);
    }

    /** Index trials one step may run: each builds an index on the generated data. */
    static final int TRIALS = 3;

    /** A query the model may rewrite: its name, its SQL and its plan's outline after the index set. */
    public record Target(String name, String sql, String plan) {
    }

    private final ModelSession model;
    private final String system = ModelPrompts.system("rewrite-drafter");

    public RewriteDrafter(ModelSession model) {
        this.model = model;
    }

    /**
     * Drafts and proves; {@code prove} runs one rewrite on the sandbox's data. The accepted answer's rewrites are in
     * {@code proven}, by query name, with their verdicts.
     */
    public RepairLoop.Outcome<StructuredDraft.Answer> draft(List<Target> targets,
            BiFunction<Target, Rewrite, RewriteVerdict> prove, Map<String, Proven> proven, IndexTrial trial) {
        int[] trials = {0};
        ModelTool tryIndex = ModelTool.of("try_index", "Builds an index on the generated data in the sandbox, plans the"
                + " query with it, drops it again and returns the planned cost before and after (at most " + TRIALS
                + " per step). The engine's own search decides the indexes it delivers; use this to judge whether a"
                + " rewrite is worth it.", JsonObjectSchema.builder().addStringProperty("query", "a query's name")
                        .addStringProperty("table", "the table to index")
                        .addProperty("columns", JsonArraySchema.builder().items(JsonStringSchema.builder().build())
                                .description("one to three columns, in index order").build())
                        .required("query", "table", "columns").build(), args -> {
                    if (++trials[0] > TRIALS) {
                        return "error: this step has used its " + TRIALS + " index trials";
                    }
                    List<String> columns = new ArrayList<>();
                    args.get("columns").forEach(c -> columns.add(c.asText()));
                    return Untrusted.fence("index trial", trial.tryIndex(args.get("query").asText(),
                            args.get("table").asText(), columns));
                });
        StringBuilder list = new StringBuilder();
        targets.forEach(t -> list.append("- ").append(t.name()).append(": ").append(t.sql().replaceAll("\\s+", " "))
                .append("\n  plan: ").append(t.plan()).append('\n'));
        String user = "The workload's queries, measured with the indexes in place:\n"
                + Untrusted.fence("queries and plans", list.toString()) + "\nAnswer with the rewrites you propose.";
        Map<String, Target> byName = new LinkedHashMap<>();
        targets.forEach(t -> byName.put(t.name(), t));
        return StructuredDraft.run(model, PURPOSE, system, user, List.of(tryIndex), json -> {
            proven.clear();
            return problems(json, byName, prove, proven);
        });
    }

    /** A proven rewrite and its verdict. */
    public record Proven(Rewrite rewrite, RewriteVerdict verdict) {
    }

    static List<RepairLoop.Problem> problems(JsonNode json, Map<String, Target> targets,
            BiFunction<Target, Rewrite, RewriteVerdict> prove, Map<String, Proven> proven) {
        List<RepairLoop.Problem> problems = new ArrayList<>();
        for (Iterator<String> keys = json.fieldNames(); keys.hasNext(); ) {
            String key = keys.next();
            if (!key.equals("rewrites")) {
                problems.add(new RepairLoop.Problem(SHAPE, key, "'" + key + "' is not part of the answer"));
            }
        }
        JsonNode list = json.path("rewrites");
        if (!list.isArray() || list.size() > MAX) {
            problems.add(new RepairLoop.Problem(SHAPE, "rewrites", "rewrites is a list of at most " + MAX));
            return problems;
        }
        for (JsonNode r : list) {
            String name = r.path("query").asText("");
            String sql = r.path("sql").asText("");
            Target t = targets.get(name);
            if (t == null) {
                problems.add(new RepairLoop.Problem(SHAPE, name, "there is no query named '" + name + "'"));
                continue;
            }
            if (!SqlText.isReadOnlySelect(sql)) {
                problems.add(new RepairLoop.Problem(WorkloadCheck.NOT_READ_ONLY, name, "the rewrite of " + name
                        + " must be one read-only SELECT"));
                continue;
            }
            Rewrite rewrite = new Rewrite(RULE, t.sql(), sql.strip(), r.path("why").asText("a model's rewrite"));
            RewriteVerdict v = prove.apply(t, rewrite);
            if (v.accepted()) {
                proven.put(name, new Proven(rewrite, v));
            } else {
                problems.add(new RepairLoop.Problem(NOT_PROVEN, name, "the rewrite of " + name + " is not offered: "
                        + v.reason()));
            }
        }
        return problems;
    }
}
