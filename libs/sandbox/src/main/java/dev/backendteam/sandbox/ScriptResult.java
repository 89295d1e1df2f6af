package dev.backendteam.sandbox;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import dev.backendteam.contract.Evidence;

import java.util.List;

/** What applying a script did: every statement that ran, in order, and the error that stopped it, if any. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ScriptResult(List<StatementRun> statements, ScriptError error, long durationMs) {

    public ScriptResult {
        statements = List.copyOf(statements);
    }

    @JsonIgnore
    public boolean ok() {
        return error == null;
    }

    /** The run as evidence: passed when every statement ran. */
    public Evidence toEvidence(String check) {
        String details = ok()
                ? statements.size() + " statement(s) applied in " + durationMs + " ms"
                : statements.size() + " statement(s) applied, then " + error.describe();
        return new Evidence(check, ok(), details, durationMs);
    }
}
