package dev.backendteam.sandbox;

/**
 * Why the sandbox stopped reading a statement's output and closed its session: which bound, how many bytes were
 * announced or seen against it, and — for a notice or error too large to read — how the server's message began.
 *
 * @param bound      which bound was exceeded
 * @param type       the backend message type that crossed it ('D' a row, 'N' a notice, 'E' an error, …)
 * @param bytes      bytes counted against the bound, the crossing message included (for a result or the total:
 *                   at least this many were on their way)
 * @param limit      the bound in bytes
 * @param singleRow  for {@link Bound#RESULT}: one row alone was larger than the bound
 * @param severity   the server's severity (ERROR, NOTICE, …) of an 'E' or 'N' message, when it could be read
 * @param sqlState   the server's SQLSTATE of an 'E' or 'N' message, when it could be read
 * @param opening    the beginning of the server's message text, when it could be read
 */
record OutputCut(Bound bound, char type, long bytes, long limit, boolean singleRow, String severity, String sqlState,
                 String opening) {

    /** The bounds of {@link OutputLimits}. */
    enum Bound {
        /** Bytes of rows of one statement ({@code maxResultBytes}). */
        RESULT,
        /** Bytes of one message other than a row ({@code maxMessageBytes}). */
        MESSAGE,
        /** Bytes of all a statement made the server send ({@code maxOutputBytes}). */
        TOTAL
    }

    static final String SQLSTATE = "54000";
    private static final String FEWER_ROWS = "return fewer or smaller rows: aggregate (count, sum, max), add a LIMIT,"
            + " select only the columns needed, or measure a value (length(x)) instead of returning it";
    /** The "type" of bytes counted on an encrypted connection, where messages cannot be told apart. */
    static final char ENCRYPTED = 0;

    OutputCut withOpening(String severity, String sqlState, String opening) {
        return new OutputCut(bound, type, bytes, limit, singleRow, severity, sqlState, opening);
    }

    /** The statement's error: SQLSTATE 54000 (program_limit_exceeded), the bound, by how much, and what to do. */
    SqlError toSqlError() {
        String message = switch (bound) {
            case RESULT -> singleRow
                    ? "one row of the result is " + bytes + " bytes, more than the " + limit
                      + " bytes of rows the sandbox reads of one statement (maxResultBytes), by " + (bytes - limit) + " bytes"
                    : "the result exceeded the " + limit + " bytes of rows the sandbox reads of one statement"
                      + " (maxResultBytes) by at least " + (bytes - limit) + " bytes";
            case MESSAGE -> "one " + kind() + " from the server is " + bytes + " bytes, more than the " + limit
                    + " bytes the sandbox reads of one message (maxMessageBytes), by " + (bytes - limit) + " bytes";
            case TOTAL -> "the statement made the server send more than the " + limit + " bytes the sandbox reads of"
                    + " one statement in all (maxOutputBytes), by at least " + (bytes - limit) + " bytes";
        };
        StringBuilder detail = new StringBuilder();
        if (sqlState != null || opening != null) {
            detail.append("The server's ").append(severity == null ? kind() : severity)
                    .append(sqlState == null ? "" : " " + sqlState)
                    .append(opening == null ? "" : " began: " + opening + "…").append(". ");
        }
        detail.append("The sandbox stopped reading and closed the session (the server rolls back what was not"
                + " committed); the next call opens a new session.");
        String hint = switch (bound) {
            case RESULT -> FEWER_ROWS;
            case MESSAGE -> "raise shorter notices and errors: quote the beginning of a value (left(x, 200)) or its"
                    + " length, not the whole value";
            case TOTAL -> "make the statement send less: fewer notices (only the first ones are kept anyway),"
                    + " fewer or smaller rows";
        };
        return new SqlError(SQLSTATE, message, detail.toString(), hint, null, null, null, null, null, 0);
    }

    /**
     * The same error when it was the driver that refused the result (pgjdbc's maxResultBuffer, the bound that still
     * holds where the filter cannot read the stream): {@code driverMessage} is what pgjdbc said.
     */
    static SqlError driverRefusal(long limit, String driverMessage) {
        return new SqlError(SQLSTATE, "the result exceeded the " + limit + " bytes of rows the sandbox reads of one"
                + " statement (maxResultBytes, enforced by the driver: " + driverMessage + ")",
                "The sandbox closed the session; the next call opens a new one.", FEWER_ROWS, null, null, null, null,
                null, 0);
    }

    /** One line, for the exception that stops the driver and for logs. */
    String summary() {
        return bound.name().toLowerCase(java.util.Locale.ROOT) + " bound of " + limit + " bytes exceeded by a " + kind()
                + " (" + bytes + " bytes counted)";
    }

    private String kind() {
        return switch (type) {
            case 'D' -> "row";
            case 'd' -> "COPY data message";
            case 'N' -> "notice";
            case 'E' -> "error";
            case ENCRYPTED -> "stretch of encrypted data";
            default -> "message of type '" + type + "'";
        };
    }
}
