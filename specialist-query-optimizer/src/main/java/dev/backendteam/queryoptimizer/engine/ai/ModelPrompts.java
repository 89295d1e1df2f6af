package dev.backendteam.queryoptimizer.engine.ai;

import dev.backendteam.contract.Clarification;
import dev.backendteam.contract.TaskEvent;
import dev.backendteam.contract.llm.Untrusted;


/** The query-optimizer's prompts (resources under {@code prompts/}) and the fenced data its user turn carries. */
final class ModelPrompts {
    /** The most of the schema's SQL a prompt carries; list_tables reads the rest from the sandbox's catalog. */
    static final int MAX_SCHEMA_CHARS = 24_000;

    private ModelPrompts() {
    }

    static String system(String name) {
        return Untrusted.systemPrompt(ModelPrompts.class, "/dev/backendteam/queryoptimizer/prompts/" + name + ".txt");
    }

    /** The task's words, the answers to earlier questions and the schema, each fenced as data. */
    static String user(TaskEvent task, String schema, String ask) {
        StringBuilder s = new StringBuilder("The task:\n").append(Untrusted.fence("task", task.task())).append('\n');
        for (Clarification c : task.inputs().clarifications()) {
            s.append("A question asked earlier, and the user's answer:\n")
                    .append(Untrusted.fence("question", c.question())).append('\n')
                    .append(Untrusted.fence("answer", c.answer())).append('\n');
        }
        String text = schema.length() > MAX_SCHEMA_CHARS ? schema.substring(0, MAX_SCHEMA_CHARS)
                + "\n-- … (cut: " + schema.length() + " characters in all; list_tables lists every table)" : schema;
        s.append("The schema, in the order it applies:\n").append(Untrusted.fence("schema", text)).append('\n');
        if (!task.inputs().rowCounts().isEmpty()) {
            s.append("Row counts the user gave:\n").append(Untrusted.fence("row counts",
                    task.inputs().rowCounts().toString())).append('\n');
        }
        return s.append(ask).toString();
    }
}
