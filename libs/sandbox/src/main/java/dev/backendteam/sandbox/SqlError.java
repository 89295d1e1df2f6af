package dev.backendteam.sandbox;

import com.fasterxml.jackson.annotation.JsonInclude;
import org.postgresql.util.PSQLException;
import org.postgresql.util.ServerErrorMessage;

import java.sql.SQLException;

/**
 * An error as the server (or the driver) reported it. {@code position} is the server's 1-based character position
 * within the statement, 0 when it gave none; {@code context} is the server's CONTEXT (e.g. the PL/pgSQL line).
 * {@code message}, {@code detail}, {@code hint} and {@code context} keep at most {@value #MAX_TEXT} characters each
 * (a longer one ends with "… [truncated: N characters]"), so that findings and evidence stay small.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record SqlError(String sqlState, String message, String detail, String hint, String context, String schema,
                       String table, String column, String constraint, int position) {

    /** Characters kept of each text field. */
    public static final int MAX_TEXT = 4096;

    public SqlError {
        message = bounded(message);
        detail = bounded(detail);
        hint = bounded(hint);
        context = bounded(context);
    }

    /** At most {@link #MAX_TEXT} characters, marked when cut (never in the middle of a surrogate pair). */
    static String bounded(String text) {
        if (text == null || text.length() <= MAX_TEXT) {
            return text;
        }
        int end = Character.isHighSurrogate(text.charAt(MAX_TEXT - 1)) ? MAX_TEXT - 1 : MAX_TEXT;
        return text.substring(0, end) + "… [truncated: " + text.length() + " characters]";
    }

    static SqlError of(SQLException e) {
        if (e instanceof PSQLException p && p.getServerErrorMessage() != null) {
            ServerErrorMessage m = p.getServerErrorMessage();
            return new SqlError(m.getSQLState(), m.getMessage(), m.getDetail(), m.getHint(), m.getWhere(),
                    m.getSchema(), m.getTable(), m.getColumn(), m.getConstraint(), m.getPosition());
        }
        return new SqlError(e.getSQLState(), e.getMessage(), null, null, null, null, null, null, null, 0);
    }

    /** An error the sandbox detected itself, before or instead of the server. */
    static SqlError client(String sqlState, String message, String hint) {
        return new SqlError(sqlState, message, null, hint, null, null, null, null, null, 0);
    }

    /** "SQLSTATE message" — for logs and evidence details. */
    public String summary() {
        return (sqlState == null ? "" : sqlState + " ") + message;
    }
}
