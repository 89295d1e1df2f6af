package dev.backendteam.dbarchitect.engine.sql;

import java.util.List;

/**
 * One statement of a script: its tokens (without the closing semicolon), its 0-based position and the lines it
 * spans. {@code problems} are the lexical problems met inside it.
 */
public record Statement(int index, List<Token> tokens, String text, List<LexProblem> problems) {

    public Statement {
        tokens = List.copyOf(tokens);
        problems = List.copyOf(problems);
    }

    public int line() {
        return tokens.get(0).line();
    }

    public Token first() {
        return tokens.get(0);
    }

    /** The first token's word in lower case, or its text when it is not a word. */
    public String command() {
        Token t = first();
        return t.type() == TokenType.WORD ? t.name() : t.text();
    }

    /** True when the statement starts with these words (ignoring case). */
    public boolean startsWith(String... words) {
        if (tokens.size() < words.length) {
            return false;
        }
        for (int i = 0; i < words.length; i++) {
            if (!tokens.get(i).is(words[i])) {
                return false;
            }
        }
        return true;
    }
}
