package dev.backendteam.dbarchitect.engine.spec;

import dev.backendteam.dbarchitect.engine.sql.LexProblem;
import dev.backendteam.dbarchitect.engine.sql.SqlLexer;
import dev.backendteam.dbarchitect.engine.sql.Token;
import dev.backendteam.dbarchitect.engine.sql.TokenType;

/**
 * Checks that a piece of SQL taken from a spec (a check, a default expression) is one expression that can be put
 * inside a statement: it closes every quote and parenthesis and does not end the statement. Whether it is valid
 * SQL is for the database (in the sandbox) to say.
 */
final class SqlExpressions {

    private SqlExpressions() {
    }

    /** Why {@code expression} cannot be embedded, or null when it can. */
    static String problem(String expression) {
        if (expression == null || expression.isBlank()) {
            return "must not be empty";
        }
        SqlLexer.Result lexed = SqlLexer.lex(expression);
        if (!lexed.problems().isEmpty()) {
            LexProblem p = lexed.problems().get(0);
            return "must be one SQL expression: " + p.message() + " at column " + p.column();
        }
        if (lexed.tokens().isEmpty()) {
            return "must not be empty (only a comment)";
        }
        int depth = 0;
        for (Token t : lexed.tokens()) {
            if (t.type() == TokenType.SEMICOLON) {
                return "must be one SQL expression: ';' at column " + t.column() + " would end the statement";
            }
            if (t.type() == TokenType.LPAREN) {
                depth++;
            } else if (t.type() == TokenType.RPAREN && --depth < 0) {
                return "must be one SQL expression: ')' at column " + t.column() + " closes nothing";
            }
        }
        if (depth > 0) {
            return "must be one SQL expression: a '(' is never closed";
        }
        if (expression.contains("--") || expression.contains("/*")) {
            return "must be one SQL expression without comments";
        }
        return null;
    }
}
