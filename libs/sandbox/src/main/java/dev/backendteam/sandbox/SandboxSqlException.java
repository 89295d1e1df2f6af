package dev.backendteam.sandbox;

/** A query for inspection failed; {@link #error()} carries the server's structured error. */
public class SandboxSqlException extends SandboxException {
    private final transient SqlError error;
    private final Limit limit;

    public SandboxSqlException(String message, SqlError error, Limit limit, Throwable cause) {
        super(message + ": " + error.summary(), cause);
        this.error = error;
        this.limit = limit;
    }

    public SqlError error() {
        return error;
    }

    /** The limit that cut the query off, or null. */
    public Limit limit() {
        return limit;
    }
}
