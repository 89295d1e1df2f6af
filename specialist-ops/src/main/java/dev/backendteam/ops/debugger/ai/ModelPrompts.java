package dev.backendteam.ops.debugger.ai;

import dev.backendteam.contract.llm.Untrusted;
import dev.backendteam.ops.debugger.DebuggerPatterns;
import dev.backendteam.ops.debugger.LogRule;
import dev.backendteam.ops.debugger.LogText;


/** The debugger's prompts (resources under {@code prompts/}), the catalogue as the model reads it, the fenced log. */
final class ModelPrompts {
    /** The most of the log a prompt carries, head and tail; find_in_log searches all the engine scanned. */
    static final int MAX_LOG_CHARS = 24_000;

    private ModelPrompts() {
    }

    static String system(String name) {
        return Untrusted.systemPrompt(ModelPrompts.class, "/dev/backendteam/ops/debugger/prompts/" + name + ".txt");
    }

    /** The catalogue's rules, one a line, then the log (redacted as the engine scanned it), fenced as data. */
    static String user(DebuggerPatterns patterns, LogText log) {
        StringBuilder s = new StringBuilder("The catalogue's rules (id: what it is [category / layer / severity]):\n");
        for (LogRule r : patterns.rules()) {
            s.append("- ").append(r.id()).append(": ").append(r.summary())
                    .append(r.sqlstate() == null ? "" : " (SQLSTATE " + r.sqlstate() + ")")
                    .append(" [").append(r.classification().label()).append("]\n");
        }
        String text = log.text();
        if (text.length() > MAX_LOG_CHARS) {
            int half = MAX_LOG_CHARS / 2;
            text = text.substring(0, half) + "\n[… " + (text.length() - 2 * half) + " characters left out here: use"
                    + " find_in_log …]\n" + text.substring(text.length() - half);
        }
        s.append("The log (").append(log.originalLines()).append(" lines").append(log.truncated()
                ? "; its middle was not scanned" : "").append("):\n").append(Untrusted.fence("log", text)).append('\n');
        return s.append("Answer with the classification as one JSON object.").toString();
    }
}
