package dev.backendteam.ops.debugger;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What the log says around a matched error, read from the shapes errors take: the error line as logged (the
 * {@code "message"} of a JSON error), the SQLSTATE, the failing statement, and the DETAIL and HINT lines.
 * Statements come from a PostgreSQL server log's {@code STATEMENT:}/{@code QUERY:} lines, Hibernate's
 * {@code executing SQL [...]} and {@code org.hibernate.SQL} lines, Spring's {@code bad SQL grammar [...]},
 * node-postgres and JSON error objects' {@code query}, drizzle's {@code Failed query:}, knex's
 * {@code <sql> - <error>}, and, failing all those, psql's {@code LINE n:} fragment.
 */
public record ErrorDetails(String error, String sqlstate, String statement, String detail, String hint) {
    static final int MAX_ERROR = 500;
    static final int MAX_STATEMENT = 4_000;
    private static final int LINES_AFTER = 20;
    private static final int LINES_BEFORE = 40;
    /** The statement window's bound in characters either side of the match, whatever the lines' length. */
    private static final int WINDOW_CHARS = 2 * MAX_STATEMENT;

    /** Where a statement sits relative to its error. */
    private enum Side { AFTER, BEFORE, FRAGMENT }

    private record Source(Pattern pattern, Side side, boolean jsonEscaped) {
    }

    private static final List<Source> STATEMENTS = List.of(
            new Source(Pattern.compile("\\b(?:STATEMENT|QUERY):\\s+(?<sql>[^\\n]+(?:\\n\\t[^\\n]*)*)"), Side.AFTER, false),
            new Source(Pattern.compile("(?:executing SQL|bad SQL grammar|for SQL|; SQL) \\[(?<sql>(?!n/a])[^\\]\\n]+)]"),
                    Side.AFTER, false),
            new Source(Pattern.compile("\\bquery:\\s*'(?<sql>(?:[^'\\\\\\n]|\\\\.)+)'"), Side.AFTER, true),
            new Source(Pattern.compile("\\\\?\"query\\\\?\"\\s*:\\s*\\\\?\"(?<sql>(?:[^\"\\\\\\n]|\\\\[^\"]|\\\\\"(?!\\s*[,}]))+)\\\\?\""),
                    Side.AFTER, true),
            new Source(Pattern.compile("Failed query:\\s*(?<sql>[^\\n]+)"), Side.BEFORE, false),
            // The error after " - " holds no " - " of its own: each lookahead stops at the next " - ", so a line
            // of many would-be statements costs linear time, not a scan of 500 characters at each of them.
            new Source(Pattern.compile("(?i)(?<sql>\\b(?:select|insert|update|delete|with)\\b[^\\n]{0,2000}?) - "
                    + "(?=(?:(?! - )[^\\n]){0,500}?(?:does not exist|violates|permission denied|canceling statement"
                    + "|duplicate key))"),
                    Side.AFTER, false),
            new Source(Pattern.compile("(?m)(?:\\[org\\.hibernate\\.SQL]|^\\s*Hibernate:)\\s+(?:\\([^)\\n]*\\)\\s+)?(?<sql>[^\\n]+)"),
                    Side.BEFORE, false),
            new Source(Pattern.compile("(?m)\\bLINE \\d+:\\s+(?<sql>[^\\n]+)"), Side.FRAGMENT, false));

    private static final Pattern SQLSTATE = Pattern.compile("(?:(?i:\\b(?:sqlstate|sql[ _-]?state|sql-status"
            + "|error[ _]?code|code))\\W{0,4}|\\b(?:ERROR|FATAL|PANIC):\\s+)(?<code>(?=[A-Z]{0,4}\\d)[0-9A-Z]{5})\\b");
    private static final Pattern DETAIL = Pattern.compile("(?:\\b(?i:detail):\\s+|\\\\?\"details?\\\\?\"\\s*:\\s*\\\\?\")"
            + "(?<v>[^\\n\"\\\\]+)");
    private static final Pattern HINT = Pattern.compile("(?:\\b(?i:hint):\\s+|\\\\?\"hint\\\\?\"\\s*:\\s*\\\\?\")"
            + "(?<v>[^\\n\"\\\\]+)");
    private static final Pattern JSON_MESSAGE = Pattern.compile("\"message\"\\s*:\\s*\"(?<v>(?:[^\"\\\\]|\\\\.)*)\"");
    private static final Pattern ERROR_START = Pattern.compile(
            "\\b(?:ERROR|FATAL|PANIC|FEHLER|ERREUR|error|Error)\\b:?|[\\w$.]*(?:Exception|Error)\\b");

    /** The details of {@code match} in {@code log}; the SQLSTATE falls back to the rule's. */
    public static ErrorDetails of(LogText log, PatternMatch match) {
        int line = log.lineIndex(match.offset());
        String sqlstate = sqlstate(log, line, match.rule().sqlstate());
        return new ErrorDetails(errorText(log, match), sqlstate, statement(log, match.offset()).orElse(null),
                nearby(log, line, DETAIL), nearby(log, line, HINT));
    }

    static String errorText(LogText log, PatternMatch match) {
        int line = log.lineIndex(match.offset());
        // A window of the line around the match: a megabyte-long line costs no more than a short one.
        int lineStart = log.lineStart(line);
        int from0 = Math.max(lineStart, match.offset() - 1_000);
        String text = log.text().substring(from0, Math.min(log.lineEnd(line), match.offset() + 2 * MAX_ERROR));
        int at = match.offset() - from0;
        Matcher json = JSON_MESSAGE.matcher(text);
        while (json.find()) {
            if (json.start("v") <= at && at <= json.end("v")) {
                return bound(unescape(json.group("v")), MAX_ERROR);
            }
        }
        Matcher start = ERROR_START.matcher(text);
        int from = start.find() && start.start() <= at ? start.start() : 0;
        return bound(text.substring(from).trim(), MAX_ERROR);
    }

    private static String sqlstate(LogText log, int line, String ruleState) {
        String found = null;
        for (int l : order(log, line, 3, 10)) {
            Matcher m = SQLSTATE.matcher(log.line(l));
            if (m.find()) {
                found = m.group("code");
                break;
            }
        }
        // A different code nearby belongs to another error: the rule matched this error's own words.
        if (found == null || (ruleState != null && !ruleState.equals(found))) {
            return ruleState;
        }
        return found;
    }

    /** Line indexes from {@code line} forward {@code after} lines, then backward {@code before} lines. */
    private static List<Integer> order(LogText log, int line, int before, int after) {
        List<Integer> lines = new ArrayList<>();
        for (int l = line; l < Math.min(log.lineCount(), line + after + 1); l++) {
            lines.add(l);
        }
        for (int l = line - 1; l >= Math.max(0, line - before); l--) {
            lines.add(l);
        }
        return lines;
    }

    static Optional<String> statement(LogText log, int offset) {
        int line = log.lineIndex(offset);
        // The lines around the match, each bounded by characters (the match's line around the match, the others
        // from their start): a huge line costs no more than a few KB of it. Order is kept, offsets are the window's.
        StringBuilder text = new StringBuilder();
        int matchLine = 0;
        int last = Math.min(log.lineCount() - 1, line + LINES_AFTER);
        for (int l = Math.max(0, line - LINES_BEFORE); l <= last; l++) {
            int start = l == line ? Math.max(log.lineStart(l), offset - WINDOW_CHARS) : log.lineStart(l);
            int end = Math.min(log.lineEnd(l), l == line ? offset + WINDOW_CHARS : start + WINDOW_CHARS);
            if (l == line) {
                matchLine = text.length();
            }
            text.append(log.text(), start, end).append(l < last ? "\n" : "");
        }
        String window = text.toString();
        String after = null;
        int afterAt = Integer.MAX_VALUE;
        String before = null;
        int beforeAt = -1;
        String fragment = null;
        int fragmentAt = Integer.MAX_VALUE;
        for (Source s : STATEMENTS) {
            Matcher m = s.pattern().matcher(window);
            while (m.find()) {
                int at = m.start("sql");
                String sql = clean(m.group("sql"), s.jsonEscaped());
                if (sql.isEmpty()) {
                    continue;
                }
                boolean onOrAfter = at >= matchLine;
                if (s.side() == Side.AFTER && onOrAfter && at < afterAt) {
                    after = sql;
                    afterAt = at;
                } else if (s.side() == Side.BEFORE && !onOrAfter && at > beforeAt) {
                    before = sql;
                    beforeAt = at;
                } else if (s.side() == Side.FRAGMENT && onOrAfter && at < fragmentAt) {
                    fragment = sql;
                    fragmentAt = at;
                }
            }
        }
        return Optional.ofNullable(after != null ? after : before != null ? before : fragment);
    }

    private static String nearby(LogText log, int line, Pattern pattern) {
        for (int l = line; l < Math.min(log.lineCount(), line + 10); l++) {
            Matcher m = pattern.matcher(log.line(l));
            if (m.find()) {
                return bound(m.group("v").trim(), MAX_ERROR);
            }
        }
        return null;
    }

    private static String clean(String sql, boolean escaped) {
        String s = escaped ? unescape(sql) : sql;
        s = s.replaceAll("\\n\\t", "\n").trim();
        return bound(s, MAX_STATEMENT);
    }

    static String unescape(String s) {
        return s.replace("\\n", "\n").replace("\\t", "\t").replace("\\\"", "\"").replace("\\'", "'")
                .replace("\\\\", "\\");
    }

    private static String bound(String s, int max) {
        return s.length() <= max ? s : s.substring(0, max) + "…";
    }
}
