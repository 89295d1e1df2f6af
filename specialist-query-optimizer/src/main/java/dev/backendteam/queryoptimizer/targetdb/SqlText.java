package dev.backendteam.queryoptimizer.targetdb;

import java.util.Locale;

/**
 * What TargetPlans must know of a query's text before sending it: its words outside literals, quoted identifiers,
 * dollar quotes and comments (so {@code 'drop'} or {@code "update"} do not count), the highest {@code $n}, and
 * whether a {@code ;} ends a statement before the end.
 *
 * @param code       the text with literals, quoted identifiers and comments blanked, lower case
 * @param parameters the highest {@code $n} (0: none)
 * @param statements how many statements ({@code ;}-separated, empty ones aside)
 */
record SqlText(String code, int parameters, int statements) {

    static SqlText of(String sql) {
        StringBuilder code = new StringBuilder(sql.length());
        int max = 0;
        int statements = 0;
        boolean pending = false;
        int i = 0;
        int n = sql.length();
        while (i < n) {
            char c = sql.charAt(i);
            if (c == '-' && i + 1 < n && sql.charAt(i + 1) == '-') {
                while (i < n && sql.charAt(i) != '\n') {
                    i++;
                }
                code.append(' ');
            } else if (c == '/' && i + 1 < n && sql.charAt(i + 1) == '*') {
                int depth = 0;
                do {
                    if (sql.startsWith("/*", i)) {
                        depth++;
                        i += 2;
                    } else if (sql.startsWith("*/", i)) {
                        depth--;
                        i += 2;
                    } else {
                        i++;
                    }
                } while (depth > 0 && i < n);
                code.append(' ');
            } else if (c == '\'' || c == '"') {
                boolean escapes = c == '\'' && i > 0 && (sql.charAt(i - 1) == 'e' || sql.charAt(i - 1) == 'E');
                i++;
                while (i < n) {
                    char d = sql.charAt(i);
                    if (escapes && d == '\\') {
                        i += 2;
                    } else if (d == c && i + 1 < n && sql.charAt(i + 1) == c) {
                        i += 2;
                    } else if (d == c) {
                        break;
                    } else {
                        i++;
                    }
                }
                i++;
                code.append(c == '"' ? " x " : " '' ");
                pending = true;
            } else if (c == '$' && i + 1 < n && Character.isDigit(sql.charAt(i + 1))
                    && (i == 0 || !Character.isLetterOrDigit(sql.charAt(i - 1)) && sql.charAt(i - 1) != '_')) {
                int j = i + 1;
                while (j < n && Character.isDigit(sql.charAt(j))) {
                    j++;
                }
                max = Math.max(max, Integer.parseInt(sql.substring(i + 1, Math.min(j, i + 10))));
                code.append(sql, i, j);
                i = j;
                pending = true;
            } else if (c == '$' && (i == 0 || !Character.isLetterOrDigit(sql.charAt(i - 1)))
                    && tagEnd(sql, i) > 0) {
                int end = tagEnd(sql, i);
                String tag = sql.substring(i, end);
                int close = sql.indexOf(tag, end);
                i = close < 0 ? n : close + tag.length();
                code.append(" '' ");
                pending = true;
            } else if (c == ';') {
                if (pending) {
                    statements++;
                }
                pending = false;
                code.append(' ');
                i++;
            } else {
                if (!Character.isWhitespace(c)) {
                    pending = true;
                }
                code.append(Character.toLowerCase(c));
                i++;
            }
        }
        if (pending) {
            statements++;
        }
        return new SqlText(code.toString().toLowerCase(Locale.ROOT), max, statements);
    }

    /** The end (exclusive) of a dollar-quote tag {@code $tag$} or {@code $$} starting at {@code i}, or -1. */
    private static int tagEnd(String sql, int i) {
        int j = i + 1;
        while (j < sql.length() && (Character.isLetterOrDigit(sql.charAt(j)) || sql.charAt(j) == '_')) {
            j++;
        }
        return j < sql.length() && sql.charAt(j) == '$' ? j + 1 : -1;
    }

    /** A single SELECT (or WITH … SELECT, or VALUES / TABLE) that writes nothing and locks no row. */
    boolean readOnlySelect() {
        String s = code.strip().replaceFirst("^\\(+\\s*", "");
        return statements == 1 && s.matches("(?s)^(select|with|values|table)\\b.*")
                && !s.matches("(?s).*\\b(insert|update|delete|merge|into|copy|call|do)\\b.*")
                && !s.matches("(?s).*\\bfor\\s+(no\\s+key\\s+)?(update|share|key\\s+share)\\b.*");
    }
}
