package dev.backendteam.dbarchitect.engine;

import dev.backendteam.dbarchitect.engine.sql.SqlScript;

/**
 * Counts the statements in a SQL script the way psql splits them: at semicolons outside string literals, quoted
 * identifiers, comments and dollar-quoted bodies. A count, not a parse: it says nothing about validity.
 */
public final class SqlStatements {

    private SqlStatements() {
    }

    public static int count(String sql) {
        return SqlScript.parse(sql).statements().size();
    }
}
