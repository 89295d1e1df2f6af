package dev.backendteam.queryoptimizer.rewrite;

import dev.backendteam.queryoptimizer.sql.SqlLexer;
import dev.backendteam.queryoptimizer.sql.SqlToken;

import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The tokens of one SQL text with their brackets matched: what the rewrite rules walk. Text whose brackets do not
 * balance gives none.
 */
final class SqlTokens {
    private final String sql;
    private final List<SqlToken> tokens;
    /** For an opening bracket, the index of its closing one; for a closing one, its opening one; else -1. */
    private final int[] partner;

    private SqlTokens(String sql, List<SqlToken> tokens, int[] partner) {
        this.sql = sql;
        this.tokens = tokens;
        this.partner = partner;
    }

    static Optional<SqlTokens> of(String sql) {
        Optional<List<SqlToken>> lexed = SqlLexer.tokenize(sql);
        if (lexed.isEmpty()) {
            return Optional.empty();
        }
        List<SqlToken> tokens = lexed.get();
        int[] partner = new int[tokens.size()];
        Arrays.fill(partner, -1);
        Deque<Integer> open = new ArrayDeque<>();
        for (int i = 0; i < tokens.size(); i++) {
            SqlToken t = tokens.get(i);
            if (t.isPunctuation("(") || t.isPunctuation("[")) {
                open.push(i);
            } else if (t.isPunctuation(")") || t.isPunctuation("]")) {
                if (open.isEmpty() || !tokens.get(open.peek()).text().equals(t.text().equals(")") ? "(" : "[")) {
                    return Optional.empty();
                }
                int o = open.pop();
                partner[o] = i;
                partner[i] = o;
            }
        }
        return open.isEmpty() ? Optional.of(new SqlTokens(sql, tokens, partner)) : Optional.empty();
    }

    String sql() {
        return sql;
    }

    int size() {
        return tokens.size();
    }

    /** The token at {@code i}, or null outside the text (so rules can look around without bounds checks). */
    SqlToken at(int i) {
        return i >= 0 && i < tokens.size() ? tokens.get(i) : null;
    }

    boolean is(int i, String word) {
        SqlToken t = at(i);
        return t != null && t.is(word);
    }

    boolean isPunctuation(int i, String p) {
        SqlToken t = at(i);
        return t != null && t.isPunctuation(p);
    }

    /** The matching bracket of the bracket at {@code i}. */
    int partner(int i) {
        return partner[i];
    }

    /**
     * The first token in {@code [from, to)} that is one of {@code words}, not counting those inside brackets that
     * open in the range; -1 if none.
     */
    int findAtLevel(int from, int to, Set<String> words) {
        for (int i = from; i < to; i++) {
            SqlToken t = tokens.get(i);
            if (partner[i] > i) {
                i = partner[i];
            } else if (t.kind() == SqlToken.Kind.WORD && words.contains(t.name())) {
                return i;
            }
        }
        return -1;
    }

    /** Whether {@code [from, to)} holds, outside brackets, a token with this punctuation. */
    boolean hasPunctuationAtLevel(int from, int to, String p) {
        for (int i = from; i < to; i++) {
            if (partner[i] > i) {
                i = partner[i];
            } else if (tokens.get(i).isPunctuation(p)) {
                return true;
            }
        }
        return false;
    }

    /** The original text of tokens {@code [from, to)}, comments and spacing between them kept. */
    String text(int from, int to) {
        return from >= to ? "" : sql.substring(tokens.get(from).start(), tokens.get(to - 1).end());
    }

    /** The text before token {@code i}. */
    String before(int i) {
        return sql.substring(0, tokens.get(i).start());
    }

    /** The text after token {@code i}. */
    String after(int i) {
        return sql.substring(tokens.get(i).end());
    }
}
