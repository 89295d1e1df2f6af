package dev.backendteam.dbarchitect.engine.spec;

import dev.backendteam.contract.Finding;
import dev.backendteam.contract.Severity;

/**
 * One thing wrong (or doubtful) in a domain spec, at a JSON Pointer into it ({@code /entities/3/fields/status}).
 * Errors make the spec invalid; warnings are reported and the spec is still used.
 */
public record SpecProblem(String path, Severity severity, String ruleId, String message, String fix) {

    public static SpecProblem error(String path, String ruleId, String message, String fix) {
        return new SpecProblem(path, Severity.ERROR, ruleId, message, fix);
    }

    public static SpecProblem warning(String path, String ruleId, String message, String fix) {
        return new SpecProblem(path, Severity.WARN, ruleId, message, fix);
    }

    /** "/entities/3/fields/status/enum: must list at least one value" */
    public String text() {
        return (path.isEmpty() ? "/" : path) + ": " + message;
    }

    public Finding finding() {
        return new Finding(ruleId, severity, path.isEmpty() ? "/" : path, text(), fix, null);
    }
}
