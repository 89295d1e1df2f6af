package dev.backendteam.queryoptimizer.plan;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Lexical facts of a query's text that its plan does not show (OFFSET, {@code select *}, {@code IN (select …)}),
 * read with string literals, quoted identifiers and comments blanked out, so a keyword inside a literal never counts.
 */
public final class SqlText {
    private static final Pattern PARAMETER = Pattern.compile("\\$(\\d+)");

    private SqlText() {
    }

    public static String withoutTrailingSemicolon(String sql) {
        String s = sql == null ? "" : sql.strip();
        while (s.endsWith(";")) {
            s = s.substring(0, s.length() - 1).strip();
        }
        return s;
    }

    /** The text with literals, quoted identifiers and comments replaced by spaces (same length, same positions). */
    public static String code(String sql) {
        StringBuilder out = new StringBuilder(sql.length());
        int i = 0;
        while (i < sql.length()) {
            char c = sql.charAt(i);
            if (c == '\'' || c == '"') {
                int end = i + 1;
                while (end < sql.length()) {
                    if (sql.charAt(end) == c) {
                        if (end + 1 < sql.length() && sql.charAt(end + 1) == c) {
                            end += 2;
                            continue;
                        }
                        break;
                    }
                    end++;
                }
                int last = Math.min(end, sql.length() - 1);
                out.append(c).append(" ".repeat(Math.max(0, last - i - 1)));
                if (last > i) {
                    out.append(c);
                }
                i = end + 1;
            } else if (c == '-' && i + 1 < sql.length() && sql.charAt(i + 1) == '-') {
                int end = sql.indexOf('\n', i);
                end = end < 0 ? sql.length() : end;
                out.append(" ".repeat(end - i));
                i = end;
            } else if (c == '/' && i + 1 < sql.length() && sql.charAt(i + 1) == '*') {
                int end = sql.indexOf("*/", i + 2);
                end = end < 0 ? sql.length() : end + 2;
                out.append(" ".repeat(end - i));
                i = end;
            } else {
                out.append(c);
                i++;
            }
        }
        return out.toString();
    }

    /** The highest {@code $n} the query uses (0: none). */
    public static int maxParameter(String sql) {
        Matcher m = PARAMETER.matcher(code(sql));
        int max = 0;
        while (m.find()) {
            max = Math.max(max, Integer.parseInt(m.group(1)));
        }
        return max;
    }

    public static boolean matches(String sql, Pattern pattern) {
        return pattern.matcher(code(sql)).find();
    }

    /** The parameter a {@code limit $n} or {@code offset $n} takes, or 0. */
    public static int parameterAfter(String sql, String keyword) {
        Matcher m = Pattern.compile("(?i)\\b" + keyword + "\\s+\\$(\\d+)").matcher(code(sql));
        return m.find() ? Integer.parseInt(m.group(1)) : 0;
    }

    /**
     * The text as pgjdbc must receive it in a statement without bind parameters: a {@code ?} outside literals
     * (jsonb's {@code ?} operators) doubled, or the driver would take it for a placeholder.
     */
    public static String forJdbc(String sql) {
        String code = code(sql);
        StringBuilder out = new StringBuilder(sql.length() + 4);
        for (int i = 0; i < sql.length(); i++) {
            out.append(sql.charAt(i));
            if (code.charAt(i) == '?') {
                out.append('?');
            }
        }
        return out.toString();
    }

    /** {@code 'text'} with quotes doubled: a value sent inside EXECUTE's argument list. */
    public static String literal(Object value) {
        return value == null ? "null" : "'" + String.valueOf(value).replace("'", "''") + "'";
    }
}
