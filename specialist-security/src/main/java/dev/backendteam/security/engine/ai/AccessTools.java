package dev.backendteam.security.engine.ai;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.backendteam.contract.Json;
import dev.backendteam.contract.access.TableIntent;
import dev.backendteam.contract.llm.ModelTool;
import dev.backendteam.contract.llm.RepairLoop.Problem;
import dev.backendteam.contract.llm.Untrusted;
import dev.backendteam.security.engine.catalog.SchemaCatalog;
import dev.langchain4j.model.chat.request.json.JsonObjectSchema;

import java.util.List;
import java.util.Optional;

/**
 * The security role's tools for a model drafting an access table: its own engine calls, nothing else. Two read the
 * catalog of the job's schema as the sandbox has it, one checks a draft with {@link DraftCheck}, one generates the
 * policies of a checked draft and runs the RLS matrix on them in a sandbox database of its own. None takes SQL; what
 * they return from the schema (names a user chose) is fenced as data.
 */
final class AccessTools {
    static final String LIST_TABLES = "list_tables";
    static final String DESCRIBE_TABLE = "describe_table";
    static final String CHECK_ACCESS = "check_access";
    static final String RUN_MATRIX = "run_matrix";

    /** Matrix runs one drafting may ask for: each builds a sandbox database of its own. */
    static final int TRIALS = 3;

    private final DraftCheck check;
    private final MatrixTrial trial;
    private int trials;

    AccessTools(DraftCheck check, MatrixTrial trial) {
        this.check = check;
        this.trial = trial;
    }

    List<ModelTool> all() {
        JsonObjectSchema draft = JsonObjectSchema.builder()
                .addProperty("draft", JsonObjectSchema.builder().description("the access table: {\"access\": {table:"
                        + " {operation: [grantees]}}, \"ownerColumns\": {table: column or null}}").build())
                .required("draft").build();
        return List.of(
                ModelTool.of(LIST_TABLES, "The tables to draft (with what their columns suggest: owner column, parents,"
                        + " tenant) and the tables the draft leaves alone (declared already, or not the job's).",
                        JsonObjectSchema.builder().build(), args -> listTables()),
                ModelTool.of(DESCRIBE_TABLE, "One table of the job's schema as the sandbox's catalog has it: columns"
                        + " and types, primary key, foreign keys.", JsonObjectSchema.builder()
                        .addStringProperty("table", "the table's name, e.g. comments").required("table").build(),
                        args -> describe(args.get("table").asText())),
                ModelTool.of(CHECK_ACCESS, "Checks a draft against the schema and the access rules; answers ok or the"
                        + " problems (code, object, message).", draft, args -> checkAccess(args.get("draft"))),
                ModelTool.of(RUN_MATRIX, "Generates the grants and policies of a draft that passes the check and runs"
                        + " the RLS matrix in the sandbox: who may select, insert, update and delete which rows, per"
                        + " table and actor.", draft, args -> runMatrix(args.get("draft"))));
    }

    private String listTables() {
        ObjectNode out = Json.events().createObjectNode();
        ArrayNode tables = out.putArray("toDraft");
        for (String name : check.tables()) {
            TableIntent t = check.inferred(name).orElseThrow();
            ObjectNode n = tables.addObject().put("table", name);
            n.put("ownerColumnSuggested", t.ownerColumn());
            ArrayNode parents = n.putArray("parents");
            t.parents().forEach(p -> parents.addObject().put("table", local(p.table())).put("column", p.column()));
            if (t.tenant() != null) {
                n.put("tenant", local(t.tenant())).put("tenantColumn", t.tenantColumn());
            }
            if (t.membership()) {
                n.put("membershipTable", true);
            }
        }
        ArrayNode others = out.putArray("leaveAlone");
        check.others().forEach(others::add);
        return Untrusted.fence("catalog tables", Json.write(out));
    }

    private String describe(String name) {
        Optional<SchemaCatalog.Table> table = check.catalog().tables().stream().filter(t -> t.name().equals(name))
                .findFirst();
        if (table.isEmpty()) {
            throw new ModelTool.ArgumentException("no table " + name + " in the job's schema; call " + LIST_TABLES);
        }
        return Untrusted.fence("catalog table " + name, Json.write(describe(table.get())));
    }

    static ObjectNode describe(SchemaCatalog.Table t) {
        ObjectNode n = Json.events().createObjectNode().put("table", t.name());
        ArrayNode columns = n.putArray("columns");
        t.columns().forEach(c -> columns.addObject().put("name", c.name()).put("type", c.type())
                .put("notNull", c.notNull()));
        ArrayNode key = n.putArray("primaryKey");
        t.primaryKey().forEach(key::add);
        ArrayNode fks = n.putArray("foreignKeys");
        for (SchemaCatalog.ForeignKey f : t.foreignKeys()) {
            ObjectNode fk = fks.addObject();
            ArrayNode cols = fk.putArray("columns");
            f.columns().forEach(cols::add);
            fk.put("references", f.ref() + "(" + String.join(", ", f.refColumns()) + ")");
        }
        return n;
    }

    private String checkAccess(JsonNode node) {
        List<Problem> problems = check.problems(draft(node));
        return problems.isEmpty() ? "ok: the draft fits the schema and the rules" : problems(problems);
    }

    private String runMatrix(JsonNode node) {
        AccessDraft draft = draft(node);
        List<Problem> problems = check.problems(draft);
        if (!problems.isEmpty()) {
            return "not run, the draft does not pass the check: " + problems(problems);
        }
        if (++trials > TRIALS) {
            return "not run: " + RUN_MATRIX + " ran " + TRIALS + " times in this step already; answer with the draft";
        }
        return trial.run(check.intent(draft, "drafted by the model, on trial"));
    }

    /** A tool's draft argument, read as the model's answer is; one that is no draft is an argument error. */
    private AccessDraft draft(JsonNode node) {
        try {
            return check.normalized(AccessDraft.read(node));
        } catch (AccessDraft.Unreadable e) {
            throw new ModelTool.ArgumentException(e.getMessage());
        }
    }

    static String problems(List<Problem> problems) {
        ArrayNode list = Json.events().createArrayNode();
        problems.forEach(p -> list.addObject().put("code", p.code()).put("object", p.object())
                .put("message", p.message()));
        return Json.write(Json.events().createObjectNode().set("problems", list));
    }

    private static String local(String qualified) {
        int dot = qualified.indexOf('.');
        return dot < 0 ? qualified : qualified.substring(dot + 1);
    }
}
