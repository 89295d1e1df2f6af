package dev.backendteam.dbarchitect.engine.sql;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Splits SQL text into tokens the way PostgreSQL's scanner does: string constants (with doubled quotes, and
 * backslash escapes in {@code E'…'}), quoted identifiers, dollar quotes ({@code $$…$$}, {@code $tag$…$tag$}),
 * nested block comments and line comments are each one unit, so a semicolon or a key word inside them is never
 * mistaken for syntax. Never throws: text it cannot close is reported as a {@link LexProblem} and runs to the end.
 */
public final class SqlLexer {
    private static final String OPERATOR_CHARS = "+-*/<>=~!@#%^&|`?";

    private final String sql;
    private final int[] lineStarts;
    private final List<Token> tokens = new ArrayList<>();
    private final List<LexProblem> problems = new ArrayList<>();

    private SqlLexer(String sql) {
        this.sql = sql;
        this.lineStarts = lineStarts(sql);
    }

    /** The tokens of {@code sql} (comments and white space dropped) and the problems met. */
    public static Result lex(String sql) {
        SqlLexer lexer = new SqlLexer(sql == null ? "" : sql);
        lexer.run();
        return new Result(List.copyOf(lexer.tokens), List.copyOf(lexer.problems));
    }

    public record Result(List<Token> tokens, List<LexProblem> problems) {
    }

    private void run() {
        int n = sql.length();
        int i = 0;
        while (i < n) {
            char c = sql.charAt(i);
            if (Character.isWhitespace(c)) {
                i++;
            } else if (c == '-' && next(i) == '-') {
                int eol = sql.indexOf('\n', i);
                i = eol < 0 ? n : eol + 1;
            } else if (c == '/' && next(i) == '*') {
                i = blockComment(i);
            } else if (c == '\'') {
                i = quoted(i, i, '\'', false, TokenType.STRING, "string constant");
            } else if (c == '"') {
                i = quoted(i, i, '"', false, TokenType.QUOTED_IDENT, "quoted identifier");
            } else if ((c == 'E' || c == 'e') && next(i) == '\'') {
                i = quoted(i, i + 1, '\'', true, TokenType.STRING, "string constant");
            } else if ((c == 'B' || c == 'b' || c == 'X' || c == 'x' || c == 'N' || c == 'n') && next(i) == '\'') {
                i = quoted(i, i + 1, '\'', false, TokenType.STRING, "string constant");
            } else if ((c == 'U' || c == 'u') && next(i) == '&' && i + 2 < n
                    && (sql.charAt(i + 2) == '\'' || sql.charAt(i + 2) == '"')) {
                char q = sql.charAt(i + 2);
                i = quoted(i, i + 2, q, false, q == '"' ? TokenType.QUOTED_IDENT : TokenType.STRING,
                        q == '"' ? "quoted identifier" : "string constant");
            } else if (isIdentStart(c)) {
                int j = i + 1;
                while (j < n && isIdentPart(sql.charAt(j))) {
                    j++;
                }
                add(TokenType.WORD, i, j);
                i = j;
            } else if (c == '$') {
                i = dollar(i);
            } else if (Character.isDigit(c) || (c == '.' && Character.isDigit(next(i)))) {
                i = number(i);
            } else if (c == '(') {
                add(TokenType.LPAREN, i, i + 1);
                i++;
            } else if (c == ')') {
                add(TokenType.RPAREN, i, i + 1);
                i++;
            } else if (c == ',') {
                add(TokenType.COMMA, i, i + 1);
                i++;
            } else if (c == ';') {
                add(TokenType.SEMICOLON, i, i + 1);
                i++;
            } else if (c == '.') {
                add(TokenType.DOT, i, i + 1);
                i++;
            } else if (c == ':' && next(i) == ':') {
                add(TokenType.OPERATOR, i, i + 2);
                i += 2;
            } else if (OPERATOR_CHARS.indexOf(c) >= 0) {
                int j = i + 1;
                while (j < n && OPERATOR_CHARS.indexOf(sql.charAt(j)) >= 0
                        && !sql.startsWith("--", j) && !sql.startsWith("/*", j)) {
                    j++;
                }
                add(TokenType.OPERATOR, i, j);
                i = j;
            } else {
                add(TokenType.OPERATOR, i, i + 1);
                i++;
            }
        }
    }

    private char next(int i) {
        return i + 1 < sql.length() ? sql.charAt(i + 1) : '\0';
    }

    /** PostgreSQL block comments nest. */
    private int blockComment(int start) {
        int depth = 0;
        int i = start;
        int n = sql.length();
        while (i < n) {
            if (sql.startsWith("/*", i)) {
                depth++;
                i += 2;
            } else if (sql.startsWith("*/", i)) {
                depth--;
                i += 2;
                if (depth == 0) {
                    return i;
                }
            } else {
                i++;
            }
        }
        problem("unterminated /* comment", start);
        return n;
    }

    /** A quoted unit starting at {@code start} whose opening quote is at {@code quote}. */
    private int quoted(int start, int quote, char q, boolean backslash, TokenType type, String what) {
        int n = sql.length();
        int i = quote + 1;
        while (i < n) {
            char c = sql.charAt(i);
            if (backslash && c == '\\') {
                i += 2;
            } else if (c == q) {
                if (i + 1 < n && sql.charAt(i + 1) == q) {
                    i += 2;
                } else {
                    add(type, start, i + 1);
                    return i + 1;
                }
            } else {
                i++;
            }
        }
        problem("unterminated " + what + " (opened with " + q + ")", start);
        add(type, start, n);
        return n;
    }

    private int dollar(int start) {
        int n = sql.length();
        if (Character.isDigit(next(start))) {
            int j = start + 1;
            while (j < n && Character.isDigit(sql.charAt(j))) {
                j++;
            }
            add(TokenType.PARAM, start, j);
            return j;
        }
        int j = start + 1;
        if (j < n && isIdentStart(sql.charAt(j))) {
            while (j < n && isIdentPart(sql.charAt(j)) && sql.charAt(j) != '$') {
                j++;
            }
        }
        if (j < n && sql.charAt(j) == '$') {
            String tag = sql.substring(start, j + 1);
            int close = sql.indexOf(tag, j + 1);
            if (close < 0) {
                problem("unterminated dollar-quoted string (opened with " + tag + ")", start);
                add(TokenType.DOLLAR_STRING, start, n);
                return n;
            }
            add(TokenType.DOLLAR_STRING, start, close + tag.length());
            return close + tag.length();
        }
        add(TokenType.OPERATOR, start, start + 1);
        return start + 1;
    }

    private int number(int start) {
        int n = sql.length();
        int j = start;
        while (j < n && (Character.isDigit(sql.charAt(j)) || sql.charAt(j) == '_')) {
            j++;
        }
        if (j < n && sql.charAt(j) == '.' && !(j + 1 < n && sql.charAt(j + 1) == '.')) {
            j++;
            while (j < n && (Character.isDigit(sql.charAt(j)) || sql.charAt(j) == '_')) {
                j++;
            }
        }
        if (j < n && (sql.charAt(j) == 'e' || sql.charAt(j) == 'E')) {
            int k = j + 1;
            if (k < n && (sql.charAt(k) == '+' || sql.charAt(k) == '-')) {
                k++;
            }
            if (k < n && Character.isDigit(sql.charAt(k))) {
                j = k;
                while (j < n && Character.isDigit(sql.charAt(j))) {
                    j++;
                }
            }
        }
        while (j < n && Character.isLetterOrDigit(sql.charAt(j))) { // 0x1F, 0o17, 0b101
            j++;
        }
        add(TokenType.NUMBER, start, j);
        return j;
    }

    private void add(TokenType type, int from, int to) {
        int line = lineOf(from);
        tokens.add(new Token(type, sql.substring(from, to), from, line, from - lineStarts[line - 1] + 1));
    }

    private void problem(String message, int at) {
        int line = lineOf(at);
        problems.add(new LexProblem(message, line, at - lineStarts[line - 1] + 1, at));
    }

    private int lineOf(int offset) {
        int i = Arrays.binarySearch(lineStarts, offset);
        return i >= 0 ? i + 1 : -i - 1;
    }

    private static int[] lineStarts(String sql) {
        List<Integer> starts = new ArrayList<>();
        starts.add(0);
        for (int i = 0; i < sql.length(); i++) {
            if (sql.charAt(i) == '\n') {
                starts.add(i + 1);
            }
        }
        return starts.stream().mapToInt(Integer::intValue).toArray();
    }

    static boolean isIdentStart(char c) {
        return Character.isLetter(c) || c == '_' || c > 127;
    }

    static boolean isIdentPart(char c) {
        return Character.isLetterOrDigit(c) || c == '_' || c == '$' || c > 127;
    }
}
