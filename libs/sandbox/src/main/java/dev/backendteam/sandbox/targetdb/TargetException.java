package dev.backendteam.sandbox.targetdb;

/** A target database that is not configured, cannot be reached or refused a query; the message names no URL. */
public final class TargetException extends RuntimeException {

    public TargetException(String message) {
        super(message);
    }

    public TargetException(String message, Throwable cause) {
        super(message, cause);
    }

    /** The SQLSTATE PostgreSQL answered with (e.g. 25006: a write in a read-only transaction), or null. */
    public String sqlState() {
        return getCause() instanceof java.sql.SQLException e ? e.getSQLState() : null;
    }
}
