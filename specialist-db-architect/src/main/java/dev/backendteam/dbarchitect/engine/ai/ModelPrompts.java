package dev.backendteam.dbarchitect.engine.ai;

import dev.backendteam.contract.Clarification;
import dev.backendteam.contract.TaskEvent;
import dev.backendteam.contract.llm.Untrusted;
import dev.backendteam.dbarchitect.engine.design.ExistingSchema;

import java.util.List;

/** The db-architect's prompts (resources under {@code prompts/}) and the fenced data every user turn carries. */
final class ModelPrompts {
    /** The most of the existing schema's SQL a prompt carries; the engine, not the model, applies all of it. */
    static final int MAX_SCHEMA_CHARS = 24_000;

    private ModelPrompts() {
    }

    static String system(String name) {
        return Untrusted.systemPrompt(ModelPrompts.class, "/dev/backendteam/dbarchitect/prompts/" + name + ".txt");
    }

    /** The task's words, the answers to earlier questions and the existing schema, each fenced as data. */
    static String user(TaskEvent task, List<ExistingSchema.Script> base, String ask) {
        StringBuilder s = new StringBuilder("The task:\n").append(Untrusted.fence("task", task.task())).append('\n');
        for (Clarification c : task.inputs().clarifications()) {
            s.append("A question asked earlier, and the user's answer:\n")
                    .append(Untrusted.fence("question", c.question())).append('\n')
                    .append(Untrusted.fence("answer", c.answer())).append('\n');
        }
        if (!base.isEmpty()) {
            StringBuilder sql = new StringBuilder();
            for (ExistingSchema.Script script : base) {
                sql.append("-- ").append(script.source()).append('\n').append(script.sql()).append('\n');
            }
            String text = sql.length() > MAX_SCHEMA_CHARS ? sql.substring(0, MAX_SCHEMA_CHARS)
                    + "\n-- … (cut: " + sql.length() + " characters in all)" : sql.toString();
            s.append("The existing schema, in the order it applies:\n").append(Untrusted.fence("schema", text))
                    .append('\n');
        } else {
            s.append("There is no existing schema.\n");
        }
        return s.append(ask).toString();
    }
}
