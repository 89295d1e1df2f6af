package dev.backendteam.security.engine;

import java.util.regex.Pattern;

/**
 * How many {@code create policy} and {@code enable row level security} statements a script has, outside comments and
 * string literals. A count of text, not of what the catalog ends up with: that needs the sandbox.
 */
public record RlsStatementCount(int createPolicy, int enableRls) {
    private static final Pattern CREATE_POLICY = Pattern.compile("\\bcreate\\s+policy\\b", Pattern.CASE_INSENSITIVE);
    private static final Pattern ENABLE_RLS = Pattern.compile("\\benable\\s+row\\s+level\\s+security\\b",
            Pattern.CASE_INSENSITIVE);

    public static RlsStatementCount of(String sql) {
        String code = codeOnly(sql);
        return new RlsStatementCount((int) CREATE_POLICY.matcher(code).results().count(),
                (int) ENABLE_RLS.matcher(code).results().count());
    }

    public RlsStatementCount plus(RlsStatementCount other) {
        return new RlsStatementCount(createPolicy + other.createPolicy, enableRls + other.enableRls);
    }

    public String describe() {
        return createPolicy + " create policy, " + enableRls + " enable row level security";
    }

    /**
     * The script with comments, string literals and dollar-quoted bodies blanked out, so that a commented-out policy
     * or a policy name in a string is not counted.
     */
    static String codeOnly(String sql) {
        StringBuilder code = new StringBuilder(sql.length());
        int i = 0;
        int n = sql.length();
        while (i < n) {
            int end = skip(sql, i);
            if (end > i) {
                code.append(' ');
                i = end;
            } else {
                code.append(sql.charAt(i));
                i++;
            }
        }
        return code.toString();
    }

    /** The end of the comment, literal or dollar-quoted body starting at {@code i}, or {@code i} if none starts. */
    private static int skip(String sql, int i) {
        int n = sql.length();
        char c = sql.charAt(i);
        if (c == '-' && i + 1 < n && sql.charAt(i + 1) == '-') {
            int eol = sql.indexOf('\n', i);
            return eol < 0 ? n : eol;
        }
        if (c == '/' && i + 1 < n && sql.charAt(i + 1) == '*') {
            int depth = 0;
            int j = i;
            while (j < n) {
                if (sql.startsWith("/*", j)) {
                    depth++;
                    j += 2;
                } else if (sql.startsWith("*/", j)) {
                    j += 2;
                    if (--depth == 0) {
                        return j;
                    }
                } else {
                    j++;
                }
            }
            return n;
        }
        if (c == '\'') {
            int j = i + 1;
            while (j < n) {
                if (sql.charAt(j) == '\'') {
                    if (j + 1 < n && sql.charAt(j + 1) == '\'') {
                        j += 2;
                        continue;
                    }
                    return j + 1;
                }
                j++;
            }
            return n;
        }
        if (c == '$' && (i == 0 || !identifierPart(sql.charAt(i - 1)))) {
            int j = i + 1;
            if (j < n && Character.isDigit(sql.charAt(j))) {
                return i;
            }
            while (j < n && identifierPart(sql.charAt(j)) && sql.charAt(j) != '$') {
                j++;
            }
            if (j < n && sql.charAt(j) == '$') {
                String tag = sql.substring(i, j + 1);
                int close = sql.indexOf(tag, j + 1);
                return close < 0 ? n : close + tag.length();
            }
        }
        return i;
    }

    private static boolean identifierPart(char c) {
        return Character.isLetterOrDigit(c) || c == '_' || c == '$';
    }
}
