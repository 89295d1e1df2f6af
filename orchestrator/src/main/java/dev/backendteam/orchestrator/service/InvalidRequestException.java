package dev.backendteam.orchestrator.service;

import java.util.List;

/** A request that cannot be accepted as given; {@code violations} name each field and what is wrong with it. */
public class InvalidRequestException extends RuntimeException {

    public enum Kind {
        /** Not valid JSON, or a field of the wrong type or unknown. */
        MALFORMED,
        /** Well-formed, but a value is not acceptable (empty task, unknown flow or target). */
        UNPROCESSABLE,
        /** Over the size limit. */
        TOO_LARGE
    }

    public record Violation(String field, String message) {
    }

    private final Kind kind;
    private final List<Violation> violations;

    public InvalidRequestException(Kind kind, String detail, List<Violation> violations) {
        super(detail);
        this.kind = kind;
        this.violations = List.copyOf(violations);
    }

    public Kind kind() {
        return kind;
    }

    public List<Violation> violations() {
        return violations;
    }
}
