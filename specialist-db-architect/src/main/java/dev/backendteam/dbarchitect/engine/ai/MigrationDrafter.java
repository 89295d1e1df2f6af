package dev.backendteam.dbarchitect.engine.ai;

import com.fasterxml.jackson.databind.JsonNode;
import dev.backendteam.contract.TaskEvent;
import dev.backendteam.contract.llm.ModelSession;
import dev.backendteam.contract.llm.ModelTool;
import dev.backendteam.contract.llm.RepairLoop;
import dev.backendteam.contract.llm.StructuredDraft;
import dev.backendteam.dbarchitect.engine.Migration;
import dev.backendteam.dbarchitect.engine.design.ExistingSchema;
import dev.langchain4j.model.chat.request.json.JsonArraySchema;
import dev.langchain4j.model.chat.request.json.JsonObjectSchema;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;

/**
 * Where the task changes an existing schema, the model writes the migrations (SQL): each is linted, applied in the
 * sandbox, rolled back and applied again by the engine, as a tool during the conversation and again on the answer, and
 * the sandbox's error (SQLSTATE and object) goes back to the model. Only migrations that pass are delivered.
 */
public final class MigrationDrafter {
    public static final String PURPOSE = "db-architect: draft migrations";
    public static final String SHAPE = "draft.shape";
    private static final java.util.regex.Pattern NAME = java.util.regex.Pattern.compile("[a-z][a-z0-9_]{0,62}");

    private final ModelSession model;
    private final String system = ModelPrompts.system("migration-drafter");

    public MigrationDrafter(ModelSession model) {
        this.model = model;
    }

    public RepairLoop.Outcome<StructuredDraft.Answer> draft(TaskEvent task, List<ExistingSchema.Script> base,
            Function<List<Migration>, List<RepairLoop.Problem>> check) {
        Function<JsonNode, List<RepairLoop.Problem>> checked = json -> {
            List<RepairLoop.Problem> shape = new ArrayList<>();
            List<Migration> migrations = migrations(json, shape);
            return shape.isEmpty() ? check.apply(migrations) : shape;
        };
        JsonObjectSchema migration = JsonObjectSchema.builder().addStringProperty("name", "snake_case purpose")
                .addStringProperty("up", "the migration").addStringProperty("down", "its down script")
                .required("name", "up", "down").build();
        ModelTool tool = ModelTool.of("check_migrations", "Lints the migrations, applies them in a sandbox database"
                + " on top of the existing schema, rolls them back with their down scripts and applies them again."
                + " Returns the problems (with SQLSTATE), or 'ok'.", JsonObjectSchema.builder()
                        .addProperty("migrations", JsonArraySchema.builder().items(migration).build())
                        .required("migrations").build(), args -> SpecDrafter.describe(checked.apply(args)));
        String user = ModelPrompts.user(task, base, "Answer with {\"migrations\": […]} for this task.");
        return StructuredDraft.run(model, PURPOSE, system, user, List.of(tool), checked);
    }

    /** The migrations of an answer; what is malformed about it goes to {@code problems}. */
    public static List<Migration> migrations(JsonNode json, List<RepairLoop.Problem> problems) {
        JsonNode list = json == null ? null : json.get("migrations");
        if (list == null || !list.isArray()) {
            problems.add(new RepairLoop.Problem(SHAPE, "/migrations", "the answer needs a \"migrations\" array"));
            return List.of();
        }
        List<Migration> migrations = new ArrayList<>();
        for (int i = 0; i < list.size(); i++) {
            JsonNode m = list.get(i);
            String name = text(m, "name");
            String up = text(m, "up");
            String down = text(m, "down");
            String where = "/migrations/" + i;
            if (name == null || !NAME.matcher(name.toLowerCase(Locale.ROOT)).matches()) {
                problems.add(new RepairLoop.Problem(SHAPE, where + "/name", "each migration needs a snake_case name"
                        + " of at most 63 characters"));
            } else if (up == null || up.isBlank()) {
                problems.add(new RepairLoop.Problem(SHAPE, where + "/up", "migration " + name + " has no up script"));
            } else {
                migrations.add(new Migration(name.toLowerCase(Locale.ROOT), up.strip() + "\n",
                        down == null || down.isBlank() ? null : down.strip() + "\n"));
            }
        }
        return migrations;
    }

    private static String text(JsonNode node, String field) {
        JsonNode v = node == null ? null : node.get(field);
        return v != null && v.isTextual() ? v.asText() : null;
    }
}
