package dev.backendteam.ops.monitor;

/**
 * A session's query text (pg_stat_activity.query) with its literals replaced, as pg_stat_statements does: string
 * constants ({@code 'x'}, {@code E'x'}, {@code B'01'}, {@code X'ff'}, {@code U&'x'}, dollar-quoted {@code $$x$$}) and
 * numbers become {@code $n} placeholders, numbered after the highest parameter the text already has, so no value a
 * query carries (an email, a token, an id) reaches a finding, a handoff or a report. Comments, quoted identifiers,
 * keywords and names are kept. A literal cut short by the text's truncation (track_activity_query_size) is replaced up
 * to the end.
 */
final class QueryText {
    private QueryText() {
    }

    static String redact(String sql) {
        if (sql == null) {
            return null;
        }
        int n = highestParameter(sql);
        StringBuilder out = new StringBuilder(sql.length());
        int i = 0;
        int len = sql.length();
        while (i < len) {
            char c = sql.charAt(i);
            char next = i + 1 < len ? sql.charAt(i + 1) : 0;
            if (c == '-' && next == '-') {
                int end = sql.indexOf('\n', i);
                end = end < 0 ? len : end;
                out.append(sql, i, end);
                i = end;
            } else if (c == '/' && next == '*') {
                int end = sql.indexOf("*/", i + 2);
                end = end < 0 ? len : end + 2;
                out.append(sql, i, end);
                i = end;
            } else if (c == '"') {
                int end = sql.indexOf('"', i + 1);
                end = end < 0 ? len : end + 1;
                out.append(sql, i, end);
                i = end;
            } else if (c == '\'' || stringPrefix(sql, i) > 0) {
                int start = i + stringPrefix(sql, i);
                boolean backslashes = start > i && Character.toLowerCase(sql.charAt(i)) == 'e';
                i = endOfString(sql, start, backslashes);
                out.append('$').append(++n);
            } else if (c == '$' && dollarTag(sql, i) != null) {
                String tag = dollarTag(sql, i);
                int end = sql.indexOf(tag, i + tag.length());
                i = end < 0 ? len : end + tag.length();
                out.append('$').append(++n);
            } else if (Character.isLetter(c) || c == '_' || c == '$') {
                int start = i;
                i++;
                while (i < len && (Character.isLetterOrDigit(sql.charAt(i)) || sql.charAt(i) == '_'
                        || sql.charAt(i) == '$')) {
                    i++;
                }
                out.append(sql, start, i);
            } else if (Character.isDigit(c) || (c == '.' && Character.isDigit(next))) {
                i = endOfNumber(sql, i);
                out.append('$').append(++n);
            } else {
                out.append(c);
                i++;
            }
        }
        return out.toString();
    }

    /** The length of a string constant's prefix at {@code i} (E, B, X, N, U&) when a quote follows, else 0. */
    private static int stringPrefix(String sql, int i) {
        if (i > 0 && (Character.isLetterOrDigit(sql.charAt(i - 1)) || sql.charAt(i - 1) == '_'
                || sql.charAt(i - 1) == '$')) {
            return 0;
        }
        char c = Character.toLowerCase(sql.charAt(i));
        if ("ebxn".indexOf(c) >= 0 && i + 1 < sql.length() && sql.charAt(i + 1) == '\'') {
            return 1;
        }
        if (c == 'u' && sql.startsWith("&'", i + 1)) {
            return 2;
        }
        return 0;
    }

    /** The index after the string constant whose opening quote is at {@code quote} ('' is a quote inside it). */
    private static int endOfString(String sql, int quote, boolean backslashes) {
        int i = quote + 1;
        while (i < sql.length()) {
            char c = sql.charAt(i);
            if (backslashes && c == '\\') {
                i += 2;
            } else if (c == '\'') {
                if (i + 1 < sql.length() && sql.charAt(i + 1) == '\'') {
                    i += 2;
                } else {
                    return i + 1;
                }
            } else {
                i++;
            }
        }
        return sql.length();
    }

    /** {@code $tag$} or {@code $$} at {@code i}, or null (a {@code $1} parameter is none). */
    private static String dollarTag(String sql, int i) {
        int j = i + 1;
        if (j < sql.length() && Character.isDigit(sql.charAt(j))) {
            return null;
        }
        while (j < sql.length() && (Character.isLetterOrDigit(sql.charAt(j)) || sql.charAt(j) == '_')) {
            j++;
        }
        return j < sql.length() && sql.charAt(j) == '$' ? sql.substring(i, j + 1) : null;
    }

    private static int endOfNumber(String sql, int i) {
        int len = sql.length();
        if (sql.startsWith("0x", i) || sql.startsWith("0X", i) || sql.startsWith("0o", i) || sql.startsWith("0O", i)
                || sql.startsWith("0b", i) || sql.startsWith("0B", i)) {
            i += 2;
            while (i < len && (Character.isLetterOrDigit(sql.charAt(i)) || sql.charAt(i) == '_')) {
                i++;
            }
            return i;
        }
        while (i < len && (Character.isDigit(sql.charAt(i)) || sql.charAt(i) == '_')) {
            i++;
        }
        if (i < len && sql.charAt(i) == '.' && !(i + 1 < len && sql.charAt(i + 1) == '.')) {
            i++;
            while (i < len && Character.isDigit(sql.charAt(i))) {
                i++;
            }
        }
        if (i < len && (sql.charAt(i) == 'e' || sql.charAt(i) == 'E')) {
            int j = i + 1;
            if (j < len && (sql.charAt(j) == '+' || sql.charAt(j) == '-')) {
                j++;
            }
            if (j < len && Character.isDigit(sql.charAt(j))) {
                i = j;
                while (i < len && Character.isDigit(sql.charAt(i))) {
                    i++;
                }
            }
        }
        return i;
    }

    /** The highest {@code $n} parameter the text names (0: none). */
    private static int highestParameter(String sql) {
        int max = 0;
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("(?<![\\w$])\\$(\\d{1,6})(?!\\d)").matcher(sql);
        while (m.find()) {
            max = Math.max(max, Integer.parseInt(m.group(1)));
        }
        return max;
    }
}
