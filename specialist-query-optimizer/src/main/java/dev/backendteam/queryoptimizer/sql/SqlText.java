package dev.backendteam.queryoptimizer.sql;

import dev.backendteam.queryoptimizer.sql.SqlToken.Kind;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Lexical facts of a query's text that its plan does not show (the highest {@code $n}, OFFSET, {@code select *},
 * {@code IN (select …)}, whether it is one read-only SELECT), read through {@link SqlLexer} so a keyword or a
 * {@code $1} inside a string constant, a dollar quote, a quoted identifier or a comment never counts.
 */
public final class SqlText {
    private static final Set<String> READS = Set.of("select", "with", "values", "table");
    private static final Set<String> WRITES = Set.of("insert", "update", "delete", "merge", "into", "copy", "call",
            "do");
    /** More digits than a parameter number can have; PostgreSQL refuses it anyway. */
    private static final int MAX_PARAMETER_DIGITS = 9;

    private SqlText() {
    }

    public static String withoutTrailingSemicolon(String sql) {
        String s = sql == null ? "" : sql.strip();
        while (s.endsWith(";")) {
            s = s.substring(0, s.length() - 1).strip();
        }
        return s;
    }

    /**
     * The text with the insides of string constants and quoted identifiers, and comments, replaced by spaces (same
     * length, same positions): a constant reads {@code '  '}, a quoted identifier {@code "  "}, whatever its form.
     */
    public static String code(String sql) {
        char[] out = new char[sql.length()];
        for (int i = 0; i < out.length; i++) {
            // between tokens: white space is kept, comments blanked
            out[i] = Character.isWhitespace(sql.charAt(i)) ? sql.charAt(i) : ' ';
        }
        for (SqlToken t : SqlLexer.scan(sql).tokens()) {
            if (t.kind() == Kind.STRING || t.kind() == Kind.QUOTED_IDENTIFIER) {
                char quote = t.kind() == Kind.STRING ? '\'' : '"';
                out[t.start()] = quote;
                out[t.end() - 1] = quote;
            } else {
                t.text().getChars(0, t.text().length(), out, t.start());
            }
        }
        return new String(out);
    }

    /** The highest {@code $n} the query uses (0: none). */
    public static int maxParameter(String sql) {
        int max = 0;
        for (SqlToken t : SqlLexer.scan(sql).tokens()) {
            if (t.kind() == Kind.PARAMETER) {
                max = Math.max(max, Integer.parseInt(t.text().substring(1,
                        Math.min(t.text().length(), 1 + MAX_PARAMETER_DIGITS))));
            }
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

    /**
     * A single SELECT (or WITH … SELECT, or VALUES / TABLE) that writes nothing and locks no row: what may be sent to
     * a target. A text PostgreSQL could not even scan is not one.
     */
    public static boolean isReadOnlySelect(String sql) {
        SqlLexer.Scan scan = SqlLexer.scan(sql);
        List<List<SqlToken>> statements = statements(scan.tokens());
        if (!scan.complete() || statements.size() != 1) {
            return false;
        }
        List<SqlToken> s = statements.get(0);
        int first = 0;
        while (first < s.size() && s.get(first).isPunctuation("(")) {
            first++;
        }
        if (first == s.size() || s.get(first).kind() != Kind.WORD || !READS.contains(s.get(first).name())) {
            return false;
        }
        for (int i = first; i < s.size(); i++) {
            SqlToken t = s.get(i);
            if (t.kind() == Kind.WORD && WRITES.contains(t.name()) || t.is("for") && locks(s, i + 1)) {
                return false;
            }
        }
        return true;
    }

    /** The tokens of each {@code ;}-separated statement, empty ones left out. */
    private static List<List<SqlToken>> statements(List<SqlToken> tokens) {
        List<List<SqlToken>> out = new ArrayList<>();
        List<SqlToken> current = new ArrayList<>();
        for (SqlToken t : tokens) {
            if (t.isPunctuation(";")) {
                if (!current.isEmpty()) {
                    out.add(current);
                }
                current = new ArrayList<>();
            } else {
                current.add(t);
            }
        }
        if (!current.isEmpty()) {
            out.add(current);
        }
        return out;
    }

    /** Whether the words from {@code i} are a row lock's strength: {@code [no key] update|share}, {@code key share}. */
    private static boolean locks(List<SqlToken> s, int i) {
        int at = words(s, i, "no", "key") ? i + 2 : i;
        return words(s, at, "update") || words(s, at, "share") || words(s, at, "key", "share");
    }

    private static boolean words(List<SqlToken> s, int from, String... words) {
        for (int k = 0; k < words.length; k++) {
            if (from + k >= s.size() || !s.get(from + k).is(words[k])) {
                return false;
            }
        }
        return true;
    }
}
