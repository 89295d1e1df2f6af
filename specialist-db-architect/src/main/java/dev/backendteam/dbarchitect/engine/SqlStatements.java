package dev.backendteam.dbarchitect.engine;

/**
 * Counts the statements in a SQL script the way psql splits them: at semicolons outside string literals, quoted
 * identifiers, comments and dollar-quoted bodies. A count, not a parse: it says nothing about validity.
 */
public final class SqlStatements {

    private SqlStatements() {
    }

    public static int count(String sql) {
        int statements = 0;
        boolean content = false;
        int i = 0;
        int n = sql.length();
        while (i < n) {
            char c = sql.charAt(i);
            if (c == '-' && i + 1 < n && sql.charAt(i + 1) == '-') {
                i = endOfLine(sql, i);
            } else if (c == '/' && i + 1 < n && sql.charAt(i + 1) == '*') {
                i = endOfBlockComment(sql, i);
            } else if (c == '\'') {
                content = true;
                i = endOfQuoted(sql, i, '\'', backslashEscapes(sql, i));
            } else if (c == '"') {
                content = true;
                i = endOfQuoted(sql, i, '"', false);
            } else if (c == '$' && dollarTag(sql, i) != null) {
                content = true;
                String tag = dollarTag(sql, i);
                int close = sql.indexOf(tag, i + tag.length());
                i = close < 0 ? n : close + tag.length();
            } else if (c == ';') {
                if (content) {
                    statements++;
                }
                content = false;
                i++;
            } else {
                if (!Character.isWhitespace(c)) {
                    content = true;
                }
                i++;
            }
        }
        return content ? statements + 1 : statements;
    }

    private static int endOfLine(String sql, int i) {
        int eol = sql.indexOf('\n', i);
        return eol < 0 ? sql.length() : eol + 1;
    }

    /** PostgreSQL block comments nest. */
    private static int endOfBlockComment(String sql, int i) {
        int depth = 0;
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
        return n;
    }

    /** A doubled quote stays inside; in an {@code E'…'} string a backslash escapes the next character. */
    private static int endOfQuoted(String sql, int i, char quote, boolean backslash) {
        int n = sql.length();
        i++;
        while (i < n) {
            char c = sql.charAt(i);
            if (backslash && c == '\\') {
                i += 2;
            } else if (c == quote) {
                if (i + 1 < n && sql.charAt(i + 1) == quote) {
                    i += 2;
                } else {
                    return i + 1;
                }
            } else {
                i++;
            }
        }
        return n;
    }

    private static boolean backslashEscapes(String sql, int quote) {
        return quote > 0 && (sql.charAt(quote - 1) == 'E' || sql.charAt(quote - 1) == 'e')
                && (quote == 1 || !isIdentifierPart(sql.charAt(quote - 2)));
    }

    /** {@code $$} or {@code $tag$} opening a dollar-quoted body; {@code $1} (a parameter) and {@code a$b} are not. */
    private static String dollarTag(String sql, int i) {
        if (i > 0 && isIdentifierPart(sql.charAt(i - 1))) {
            return null;
        }
        int j = i + 1;
        if (j < sql.length() && Character.isDigit(sql.charAt(j))) {
            return null;
        }
        while (j < sql.length() && isIdentifierPart(sql.charAt(j)) && sql.charAt(j) != '$') {
            j++;
        }
        return j < sql.length() && sql.charAt(j) == '$' ? sql.substring(i, j + 1) : null;
    }

    private static boolean isIdentifierPart(char c) {
        return Character.isLetterOrDigit(c) || c == '_' || c == '$';
    }
}
