package dev.backendteam.dbarchitect.engine.proof;

import dev.backendteam.dbarchitect.engine.sql.SqlLexer;
import dev.backendteam.dbarchitect.engine.sql.Token;
import dev.backendteam.dbarchitect.engine.sql.TokenType;

import java.util.List;
import java.util.Locale;

/**
 * A logged statement made ready to replay: one statement without its trailing semicolon, with JDBC's {@code ?}
 * placeholders (Hibernate and JDBC logs print those) numbered {@code $1, $2, …} as the server sees them, and the
 * {@code ?} operators that remain doubled for pgjdbc, which would read them as placeholders.
 */
final class ReplayText {

    private ReplayText() {
    }

    static String serverForm(String statement) {
        String sql = statement.strip();
        while (sql.endsWith(";")) {
            sql = sql.substring(0, sql.length() - 1).strip();
        }
        List<Token> tokens = SqlLexer.lex(sql).tokens();
        if (tokens.stream().anyMatch(t -> t.type() == TokenType.PARAM)) {
            return sql;
        }
        StringBuilder out = new StringBuilder();
        int at = 0;
        int n = 0;
        Token previous = null;
        for (Token t : tokens) {
            if (t.type() == TokenType.OPERATOR && t.text().equals("?") && placeholderAfter(previous)) {
                out.append(sql, at, t.offset()).append('$').append(++n);
                at = t.end();
            } else if (t.type() == TokenType.OPERATOR && t.text().matches("(=|<>|!=|<=|>=|<|>)\\?")) {
                // x=? is lexed as one operator
                out.append(sql, at, t.offset()).append(t.text(), 0, t.text().length() - 1).append(" $").append(++n);
                at = t.end();
            }
            previous = t;
        }
        return out.append(sql.substring(at)).toString();
    }

    /** A {@code ?} where a value goes: after an operator, an opening parenthesis, a comma or a key word. */
    private static boolean placeholderAfter(Token previous) {
        return previous == null || previous.type() == TokenType.LPAREN || previous.type() == TokenType.COMMA
                || (previous.type() == TokenType.OPERATOR && !previous.text().equals("?"))
                || previous.isAny("values", "limit", "offset", "and", "or", "then", "else", "when", "like",
                "ilike", "in", "by", "is", "not", "between", "set", "select", "returning");
    }

    static String command(String sql) {
        List<Token> tokens = SqlLexer.lex(sql).tokens();
        return tokens.isEmpty() || tokens.get(0).type() != TokenType.WORD ? ""
                : tokens.get(0).text().toLowerCase(Locale.ROOT);
    }

    /** pgjdbc reads every {@code ?} outside literals as a placeholder; {@code ??} sends one. */
    static String forJdbc(String sql) {
        StringBuilder out = new StringBuilder();
        int at = 0;
        for (Token t : SqlLexer.lex(sql).tokens()) {
            if (t.type() == TokenType.OPERATOR && t.text().contains("?")) {
                out.append(sql, at, t.offset()).append(t.text().replace("?", "??"));
                at = t.end();
            }
        }
        return out.append(sql.substring(at)).toString();
    }
}
