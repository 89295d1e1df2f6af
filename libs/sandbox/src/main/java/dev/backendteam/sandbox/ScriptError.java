package dev.backendteam.sandbox;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import dev.backendteam.contract.Finding;
import dev.backendteam.contract.Severity;

/**
 * The statement that stopped a script. {@code line}/{@code column} point into the submitted script: at the
 * server's error position when it reported one, otherwise at the start of the statement. {@code limit} says which
 * limit cut the statement off, if one did.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ScriptError(int statementIndex, int line, int column, String statement, SqlError error, Limit limit,
                          long durationMs) {

    @JsonIgnore
    public String sqlState() {
        return error.sqlState();
    }

    @JsonIgnore
    public String message() {
        return error.message();
    }

    /** "statement 3 (line 12, column 8): 42P01 relation "x" does not exist". */
    public String describe() {
        StringBuilder s = new StringBuilder("statement ").append(statementIndex).append(" (line ").append(line)
                .append(", column ").append(column).append("): ").append(error.summary());
        if (error.detail() != null) {
            s.append(" — ").append(error.detail());
        }
        if (limit != null) {
            s.append(" [cut off by ").append(limit.name().toLowerCase(java.util.Locale.ROOT)).append(']');
        }
        return s.toString();
    }

    /** The error as a finding that points at the script's line; the server's hint, if any, is the fix. */
    public Finding toFinding(String ruleId) {
        return new Finding(ruleId, Severity.ERROR, statement, describe(), error.hint(), line);
    }
}
