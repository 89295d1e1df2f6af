package dev.backendteam.dbarchitect.engine.sql;

import java.util.ArrayList;
import java.util.List;

/**
 * A script split into statements at semicolons outside string constants, quoted identifiers, dollar quotes and
 * comments, as psql sends them.
 */
public record SqlScript(String sql, List<Statement> statements, List<LexProblem> problems) {

    public static SqlScript parse(String sql) {
        String text = sql == null ? "" : sql;
        SqlLexer.Result lexed = SqlLexer.lex(text);
        List<Statement> statements = new ArrayList<>();
        List<Token> current = new ArrayList<>();
        for (Token t : lexed.tokens()) {
            if (t.type() == TokenType.SEMICOLON) {
                flush(text, current, statements, lexed.problems());
            } else {
                current.add(t);
            }
        }
        flush(text, current, statements, lexed.problems());
        return new SqlScript(text, List.copyOf(statements), lexed.problems());
    }

    private static void flush(String text, List<Token> current, List<Statement> out, List<LexProblem> problems) {
        if (current.isEmpty()) {
            return;
        }
        int from = current.get(0).offset();
        int to = current.get(current.size() - 1).end();
        List<LexProblem> inside = problems.stream().filter(p -> p.offset() >= from && p.offset() < to).toList();
        out.add(new Statement(out.size(), current, text.substring(from, to), inside));
        current.clear();
    }
}
