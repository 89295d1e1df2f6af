package dev.backendteam.queryoptimizer.engine.ai;

import com.fasterxml.jackson.databind.JsonNode;
import dev.backendteam.contract.TaskEvent;
import dev.backendteam.contract.llm.ModelSession;
import dev.backendteam.contract.llm.ModelTool;
import dev.backendteam.contract.llm.RepairLoop;
import dev.backendteam.contract.llm.StructuredDraft;
import dev.backendteam.contract.llm.Untrusted;
import dev.langchain4j.model.chat.request.json.JsonObjectSchema;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Where a job names no query, the model drafts the workload from the task's words and the schema: structured input
 * (named read queries) that the engine turns into proven indexes. Its tools are the engine's own calls on the job's
 * sandbox database: {@code explain_query} (the same check every drafted query gets: read-only, PREPAREd and planned,
 * on the job's tables) and {@code list_tables}. What the sandbox says goes back to the model fenced as data.
 */
public final class WorkloadDrafter {
    public static final String PURPOSE = "query-optimizer: draft the workload";
    static final String TOOL_QUERY = "tool_query";

    private final ModelSession model;
    private final String system = ModelPrompts.system("workload-drafter");

    public WorkloadDrafter(ModelSession model) {
        this.model = model;
    }

    /** Drafts, checks and repairs the workload; {@code schema} is the job's SQL, in the order it applied. */
    public RepairLoop.Outcome<StructuredDraft.Answer> draft(TaskEvent task, String schema, WorkloadCheck check) {
        Function<JsonNode, List<RepairLoop.Problem>> checked = json -> {
            List<RepairLoop.Problem> problems = new ArrayList<>();
            DraftedWorkload workload = DraftedWorkload.read(json, problems);
            problems.addAll(check.problems(workload));
            return problems;
        };
        ModelTool explain = ModelTool.of("explain_query", "Prepares one query in the sandbox database that holds the"
                + " job's schema and returns its generic plan (EXPLAIN, never run; the tables are still empty) and the"
                + " tables it reads, or what is wrong with it (SQLSTATE and message). Writes are refused, not run.",
                JsonObjectSchema.builder().addStringProperty("sql", "one SELECT with $1, $2 … parameters")
                        .required("sql").build(), args -> explained(check.query(TOOL_QUERY, args.get("sql").asText())));
        ModelTool tables = ModelTool.of("list_tables", "Lists the job's tables in the sandbox with their columns and"
                + " types.", JsonObjectSchema.builder().build(), args -> listed(check));
        String user = ModelPrompts.user(task, schema, "Answer with {\"queries\": […]} for this task.");
        return StructuredDraft.run(model, PURPOSE, system, user, List.of(explain, tables), checked);
    }

    private static String explained(WorkloadCheck.Checked checked) {
        String result = checked.passed()
                ? String.format(Locale.ROOT, "plan: %s; total cost %.2f; reads %s", checked.plan().shape(),
                        checked.plan().totalCost(), String.join(", ", checked.reads()))
                : checked.problems().stream().map(p -> "- " + p).collect(Collectors.joining("\n"));
        return (checked.passed() ? "ok" : "problems") + "\n" + Untrusted.fence("sandbox result", result);
    }

    private static String listed(WorkloadCheck check) {
        String tables = check.tables().stream().map(t -> t.qualified() + " (" + t.columns() + ")")
                .collect(Collectors.joining("\n"));
        return Untrusted.fence("tables", tables.isEmpty() ? "(none)" : tables);
    }
}
