package dev.backendteam.queryoptimizer.plan;

/** A query could not be planned or run in the sandbox (its SQL is wrong for the schema, or it ran out of time). */
public final class PlanException extends RuntimeException {
    private final String sqlState;

    public PlanException(String message, String sqlState) {
        super(message);
        this.sqlState = sqlState;
    }

    public String sqlState() {
        return sqlState;
    }
}
