package dev.backendteam.dbarchitect.engine.ai;

import com.fasterxml.jackson.databind.JsonNode;
import dev.backendteam.contract.TaskEvent;
import dev.backendteam.contract.llm.ModelSession;
import dev.backendteam.contract.llm.ModelTool;
import dev.backendteam.contract.llm.RepairLoop;
import dev.backendteam.contract.llm.StructuredDraft;
import dev.backendteam.dbarchitect.engine.design.ExistingSchema;
import dev.langchain4j.model.chat.request.json.JsonObjectSchema;

import java.util.List;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The model drafts a domain spec from the task's words (the structured input the engine designs from), and the
 * engine checks it — JSON Schema, semantic checks, the lint of the migrations it would write — as a tool during the
 * conversation and again on the answer. The accepted spec then takes the engine's deterministic path, proofs included.
 */
public final class SpecDrafter {
    public static final String PURPOSE = "db-architect: draft a domain spec";

    private final ModelSession model;
    private final String system = ModelPrompts.system("spec-drafter");

    public SpecDrafter(ModelSession model) {
        this.model = model;
    }

    public RepairLoop.Outcome<StructuredDraft.Answer> draft(TaskEvent task, List<ExistingSchema.Script> base,
            Function<JsonNode, List<RepairLoop.Problem>> check) {
        ModelTool checkSpec = ModelTool.of("check_spec", "Checks a domain spec the way the engine will: its JSON"
                + " Schema, names and references, and the lint of the migrations it turns into. Returns the problems,"
                + " or 'ok'.", JsonObjectSchema.builder().addProperty("spec", JsonObjectSchema.builder()
                        .description("the domain spec").build()).required("spec").build(),
                args -> describe(check.apply(args.get("spec"))));
        String user = ModelPrompts.user(task, base, "Answer with the domain spec for this task as one JSON object.");
        return StructuredDraft.run(model, PURPOSE, system, user, List.of(checkSpec), check);
    }

    static String describe(List<RepairLoop.Problem> problems) {
        return problems.isEmpty() ? "ok" : problems.stream().map(p -> "- " + p).collect(Collectors.joining("\n"));
    }
}
