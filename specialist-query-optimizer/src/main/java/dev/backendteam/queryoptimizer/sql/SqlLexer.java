package dev.backendteam.queryoptimizer.sql;

import dev.backendteam.queryoptimizer.sql.SqlToken.Kind;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Splits one SQL text into tokens as PostgreSQL's scanner would, far enough that a keyword inside a string constant,
 * a quoted identifier or a comment is never taken for SQL: standard and E'' strings, dollar quoting, nested block
 * comments. The one scanner of query text in the service: the rewrites, the lexical findings of the plan step and the
 * read-only check before a target is asked for a plan all read through it.
 */
public final class SqlLexer {
    private static final String OPERATOR_CHARS = "+-*/<>=~!@#%^&|`?";

    private final String sql;
    private int pos;
    private boolean complete = true;

    private SqlLexer(String sql) {
        this.sql = sql;
    }

    /**
     * The tokens of a text, read to its end whatever it holds.
     *
     * @param complete false when PostgreSQL's scanner would reject the text: an unterminated string, quoted
     *                 identifier, dollar quote or comment (which then runs to the end of the text), or a character
     *                 that starts no token (a token of kind OTHER)
     */
    public record Scan(List<SqlToken> tokens, boolean complete) {
    }

    public static Scan scan(String sql) {
        SqlLexer lexer = new SqlLexer(sql);
        List<SqlToken> tokens = lexer.all();
        return new Scan(tokens, lexer.complete);
    }

    /** The tokens of a text PostgreSQL can scan; none for one it cannot, so a rewrite never works on a guess. */
    public static Optional<List<SqlToken>> tokenize(String sql) {
        Scan scan = scan(sql);
        return scan.complete() ? Optional.of(scan.tokens()) : Optional.empty();
    }

    private List<SqlToken> all() {
        List<SqlToken> out = new ArrayList<>();
        while (true) {
            skipSpaceAndComments();
            if (pos >= sql.length()) {
                return out;
            }
            out.add(next());
        }
    }

    private SqlToken next() {
        int start = pos;
        char c = sql.charAt(pos);
        if (c == '\'') {
            return string(start, pos, false);
        }
        if ((c == 'e' || c == 'E') && peek(1) == '\'') {
            return string(start, pos + 1, true);
        }
        if ((c == 'b' || c == 'B' || c == 'x' || c == 'X' || c == 'n' || c == 'N') && peek(1) == '\'') {
            return string(start, pos + 1, false);
        }
        if ((c == 'u' || c == 'U') && peek(1) == '&' && peek(2) == '\'') {
            return string(start, pos + 2, false);
        }
        if ((c == 'u' || c == 'U') && peek(1) == '&' && peek(2) == '"') {
            pos += 2;
            return quotedIdentifier(start);
        }
        if (c == '"') {
            return quotedIdentifier(start);
        }
        if (c == '$') {
            if (Character.isDigit(peek(1))) {
                pos++;
                while (pos < sql.length() && Character.isDigit(sql.charAt(pos))) {
                    pos++;
                }
                return token(Kind.PARAMETER, start);
            }
            return dollarQuoted(start);
        }
        if (Character.isDigit(c) || c == '.' && Character.isDigit(peek(1))) {
            return number(start);
        }
        if (identifierStart(c)) {
            while (pos < sql.length() && (identifierStart(sql.charAt(pos)) || Character.isDigit(sql.charAt(pos))
                    || sql.charAt(pos) == '$')) {
                pos++;
            }
            return token(Kind.WORD, start);
        }
        if (c == ':' && peek(1) == ':') {
            pos += 2;
            return token(Kind.OPERATOR, start);
        }
        if ("()[],;.:".indexOf(c) >= 0) {
            pos++;
            return token(Kind.PUNCTUATION, start);
        }
        if (OPERATOR_CHARS.indexOf(c) >= 0) {
            while (pos < sql.length() && OPERATOR_CHARS.indexOf(sql.charAt(pos)) >= 0
                    && !sql.startsWith("--", pos) && !sql.startsWith("/*", pos)) {
                pos++;
            }
            return token(Kind.OPERATOR, start);
        }
        pos++;
        complete = false;
        return token(Kind.OTHER, start);
    }

    /** PostgreSQL takes every byte above ASCII for a letter of an identifier. */
    private static boolean identifierStart(char c) {
        return Character.isLetter(c) || c == '_' || c >= 0x80 && !Character.isWhitespace(c);
    }

    /** What PostgreSQL would reject runs to the end of the text. */
    private SqlToken unterminated(Kind kind, int start) {
        complete = false;
        pos = sql.length();
        return token(kind, start);
    }

    /** {@code quoteAt} is the opening quote; with {@code backslashes}, a backslash escapes the next character. */
    private SqlToken string(int start, int quoteAt, boolean backslashes) {
        pos = quoteAt + 1;
        while (true) {
            if (pos >= sql.length()) {
                return unterminated(Kind.STRING, start);
            }
            char c = sql.charAt(pos);
            if (backslashes && c == '\\') {
                pos += 2;
            } else if (c == '\'') {
                if (peek(1) == '\'') {
                    pos += 2;
                } else {
                    pos++;
                    return token(Kind.STRING, start);
                }
            } else {
                pos++;
            }
        }
    }

    private SqlToken quotedIdentifier(int start) {
        pos++;
        while (true) {
            int close = sql.indexOf('"', pos);
            if (close < 0) {
                return unterminated(Kind.QUOTED_IDENTIFIER, start);
            }
            pos = close + 1;
            if (peek(0) != '"') {
                return token(Kind.QUOTED_IDENTIFIER, start);
            }
            pos++;
        }
    }

    private SqlToken dollarQuoted(int start) {
        int tagEnd = pos + 1;
        while (tagEnd < sql.length()
                && (identifierStart(sql.charAt(tagEnd)) || Character.isDigit(sql.charAt(tagEnd)))) {
            tagEnd++;
        }
        if (tagEnd >= sql.length() || sql.charAt(tagEnd) != '$') {
            // a $ that opens neither a parameter nor a dollar quote
            pos++;
            complete = false;
            return token(Kind.OTHER, start);
        }
        String tag = sql.substring(pos, tagEnd + 1);
        int close = sql.indexOf(tag, tagEnd + 1);
        if (close < 0) {
            return unterminated(Kind.STRING, start);
        }
        pos = close + tag.length();
        return token(Kind.STRING, start);
    }

    private SqlToken number(int start) {
        while (pos < sql.length() && (Character.isLetterOrDigit(sql.charAt(pos)) || sql.charAt(pos) == '.'
                || sql.charAt(pos) == '_'
                || (sql.charAt(pos) == '+' || sql.charAt(pos) == '-') && "eE".indexOf(sql.charAt(pos - 1)) >= 0)) {
            if (sql.charAt(pos) == '.' && peek(1) == '.') {
                break;
            }
            pos++;
        }
        return token(Kind.NUMBER, start);
    }

    private void skipSpaceAndComments() {
        while (pos < sql.length()) {
            char c = sql.charAt(pos);
            if (Character.isWhitespace(c)) {
                pos++;
            } else if (sql.startsWith("--", pos)) {
                int nl = sql.indexOf('\n', pos);
                pos = nl < 0 ? sql.length() : nl + 1;
            } else if (sql.startsWith("/*", pos)) {
                skipBlockComment();
            } else {
                return;
            }
        }
    }

    /** Block comments nest in PostgreSQL. */
    private void skipBlockComment() {
        int depth = 0;
        do {
            if (pos >= sql.length()) {
                complete = false;
                return;
            }
            if (sql.startsWith("/*", pos)) {
                depth++;
                pos += 2;
            } else if (sql.startsWith("*/", pos)) {
                depth--;
                pos += 2;
            } else {
                pos++;
            }
        } while (depth > 0);
    }

    private char peek(int ahead) {
        int at = pos + ahead;
        return at < sql.length() ? sql.charAt(at) : '\0';
    }

    private SqlToken token(Kind kind, int start) {
        return new SqlToken(kind, sql.substring(start, pos), start, pos);
    }
}
