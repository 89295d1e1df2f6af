package dev.backendteam.ops.monitor.ai;

import com.fasterxml.jackson.databind.JsonNode;
import dev.backendteam.contract.llm.ModelSession;
import dev.backendteam.contract.llm.RepairLoop;
import dev.backendteam.contract.llm.StructuredDraft;
import dev.backendteam.contract.llm.Untrusted;
import dev.backendteam.sandbox.targetdb.TopStatements;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The monitor's model reads the user's words against the target's heaviest statements and names the ones the words
 * are about, to lead the handoff to the query-optimizer. It selects among what the engine listed and nothing else:
 * names outside the list, or any other key, are problems handed back (at most twice; the loop breaker stops a
 * repeated one). The statements' text is the target's, normalised (no literals), and reaches the model fenced.
 */
public final class StatementFocus {
    public static final String PURPOSE = "monitor: the statements the task is about";
    public static final String UNKNOWN = "focus.unknown-statement";
    public static final String SHAPE = "focus.shape";
    static final int MAX = 10;

    private final ModelSession model;
    private final String system = Untrusted.systemPrompt(StatementFocus.class,
            "/dev/backendteam/ops/monitor/prompts/statement-focus.txt");

    public StatementFocus(ModelSession model) {
        this.model = model;
    }

    public RepairLoop.Outcome<StructuredDraft.Answer> choose(String task, List<TopStatements.Statement> statements) {
        StringBuilder list = new StringBuilder();
        for (TopStatements.Statement s : statements) {
            list.append("- ").append(s.query().name()).append(String.format(Locale.ROOT, " (%d calls, %.1f ms in all):"
                    + " ", s.calls(), s.totalMs())).append(s.query().sql().replaceAll("\\s+", " ")).append('\n');
        }
        String user = "The user's words:\n" + Untrusted.fence("task", task) + "\nThe heaviest statements:\n"
                + Untrusted.fence("statements of the target database", list.toString())
                + "\nAnswer with the names of the statements the words are about.";
        Set<String> names = new LinkedHashSet<>();
        statements.forEach(s -> names.add(s.query().name()));
        return StructuredDraft.run(model, PURPOSE, system, user, List.of(), json -> problems(json, names));
    }

    /** What is wrong with a focus: keys other than statements and reason, names not in the list, too many. */
    static List<RepairLoop.Problem> problems(JsonNode json, Set<String> names) {
        List<RepairLoop.Problem> problems = new ArrayList<>();
        for (Iterator<String> keys = json.fieldNames(); keys.hasNext(); ) {
            String key = keys.next();
            if (!key.equals("statements") && !key.equals("reason")) {
                problems.add(new RepairLoop.Problem(SHAPE, key, "'" + key + "' is not part of the answer; it has only"
                        + " statements and reason"));
            }
        }
        JsonNode chosen = json.get("statements");
        if (chosen == null || !chosen.isArray()) {
            problems.add(new RepairLoop.Problem(SHAPE, "statements", "statements must be a list of names"));
            return problems;
        }
        if (chosen.size() > MAX) {
            problems.add(new RepairLoop.Problem(SHAPE, "statements", "name at most " + MAX + " statements"));
        }
        for (JsonNode n : chosen) {
            if (!n.isTextual() || !names.contains(n.asText())) {
                String name = n.isTextual() ? n.asText() : n.toString();
                problems.add(new RepairLoop.Problem(UNKNOWN, name.length() > 80 ? name.substring(0, 80) : name,
                        "there is no statement named '" + (name.length() > 80 ? name.substring(0, 80) + "…" : name)
                        + "' in the list; use the names listed"));
            }
        }
        return problems;
    }

    /** The chosen names of an accepted answer, in the model's order. */
    public static List<String> chosen(StructuredDraft.Answer answer) {
        List<String> out = new ArrayList<>();
        answer.json().path("statements").forEach(n -> out.add(n.asText()));
        return out;
    }
}
