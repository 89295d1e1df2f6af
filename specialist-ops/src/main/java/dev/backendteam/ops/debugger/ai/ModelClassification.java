package dev.backendteam.ops.debugger.ai;

import com.fasterxml.jackson.databind.JsonNode;
import dev.backendteam.contract.llm.RepairLoop;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * A model's classification of a log no catalogue pattern recognised: the catalogue rule it names ({@code null}: none
 * fits), the log's own text that shows the error, what the error names and the failing statement (each copied from
 * the log, or null), and a one-line reason. Nothing else: the classification, the fixes and the owner of the fix come
 * from the rule, so an answer that carries a handoff, a flow or anything more is refused.
 */
public record ModelClassification(String rule, String error, String object, String statement, String reason) {
    public static final String SHAPE = "classification.shape";
    public static final String EXTRA = "classification.not-a-field";
    static final Set<String> FIELDS = Set.of("rule", "error", "object", "statement", "reason");
    static final int MAX_REASON = 300;
    static final int MAX_QUOTE = 4_000;

    public boolean classified() {
        return rule != null;
    }

    /** The classification of an answer; what is malformed about it goes to {@code problems}. */
    public static ModelClassification read(JsonNode json, List<RepairLoop.Problem> problems) {
        List<String> extra = new ArrayList<>();
        json.fieldNames().forEachRemaining(f -> {
            if (!FIELDS.contains(f)) {
                extra.add(f);
            }
        });
        extra.forEach(f -> problems.add(new RepairLoop.Problem(EXTRA, f, "the answer has no field '" + f + "': it"
                + " names a rule and points at the log (" + String.join(", ", FIELDS.stream().sorted().toList())
                + "); the handoff, the fixes and the classification come from the catalogue rule")));
        String rule = text(json, "rule", problems);
        String reason = text(json, "reason", problems);
        if (reason == null || reason.isBlank()) {
            problems.add(new RepairLoop.Problem(SHAPE, "/reason", "the answer needs a one-line \"reason\""));
        } else {
            reason = reason.strip().replaceAll("\\s+", " ");
            if (reason.length() > MAX_REASON) {
                problems.add(new RepairLoop.Problem(SHAPE, "/reason", "the reason has " + reason.length()
                        + " characters: one line of at most " + MAX_REASON));
            }
        }
        String error = text(json, "error", problems);
        if (rule != null && (error == null || error.isBlank())) {
            problems.add(new RepairLoop.Problem(SHAPE, "/error", "the answer needs \"error\": the log's text that"
                    + " shows the error, copied exactly"));
        }
        ModelClassification c = new ModelClassification(blankToNull(rule), blankToNull(error),
                blankToNull(text(json, "object", problems)), blankToNull(text(json, "statement", problems)), reason);
        for (String[] quote : new String[][] {{"error", c.error}, {"object", c.object}, {"statement", c.statement}}) {
            if (quote[1] != null && quote[1].length() > MAX_QUOTE) {
                problems.add(new RepairLoop.Problem(SHAPE, "/" + quote[0], "\"" + quote[0] + "\" has "
                        + quote[1].length() + " characters; at most " + MAX_QUOTE));
            }
        }
        return c;
    }

    private static String text(JsonNode json, String field, List<RepairLoop.Problem> problems) {
        JsonNode v = json.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isTextual()) {
            problems.add(new RepairLoop.Problem(SHAPE, "/" + field, "\"" + field + "\" must be a string or null"));
            return null;
        }
        return v.asText();
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.strip();
    }
}
