package dev.backendteam.sandbox;

import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One statement of a submitted script, as {@link ScriptSplitter} found it.
 *
 * @param index        1-based position of the statement in the script (empty statements are not counted)
 * @param sql          the statement text sent to the server: from its first token (leading comments dropped) to
 *                     the character before its terminating {@code ;}, trailing whitespace trimmed
 * @param offset       index in the script (a Java {@code String} index) where {@link #sql} starts
 * @param line         1-based line of {@link #offset} in the script
 * @param column       1-based column (in code points) of {@link #offset} in its line
 * @param leadingWords up to the first eight unquoted words of the statement, upper-cased, with comments, strings,
 *                     quoted identifiers and punctuation skipped — enough to classify it
 */
public record SqlStatement(int index, String sql, int offset, int line, int column, List<String> leadingWords) {

    private static final int FIRST_LINE_MAX = 120;
    private static final Pattern CREATE_EXTENSION = Pattern.compile(
            "^create\\s+extension\\s+(?:if\\s+not\\s+exists\\s+)?(\"(?:[^\"]|\"\")+\"|[a-z0-9_$-]+)",
            Pattern.CASE_INSENSITIVE);
    private static final Set<String> CLOSERS = Set.of("COMMIT", "END", "ABORT", "ROLLBACK");

    public SqlStatement {
        leadingWords = List.copyOf(leadingWords);
    }

    /** The first line of the statement, shortened for reports. */
    public String firstLine() {
        int nl = sql.indexOf('\n');
        String first = (nl < 0 ? sql : sql.substring(0, nl)).strip();
        return first.length() <= FIRST_LINE_MAX ? first : first.substring(0, FIRST_LINE_MAX - 1) + "…";
    }

    /** The first word, upper-cased ({@code CREATE}, {@code SELECT}, …), or "" if the statement starts otherwise. */
    public String keyword() {
        return leadingWords.isEmpty() ? "" : leadingWords.get(0);
    }

    /** A psql meta-command ({@code \connect}, {@code \i}, …): a client command, not SQL. */
    public boolean isPsqlMetaCommand() {
        return sql.startsWith("\\");
    }

    /** {@code BEGIN} or {@code START TRANSACTION}: opens a transaction block. */
    public boolean opensTransaction() {
        return word(0).equals("BEGIN") || (word(0).equals("START") && word(1).equals("TRANSACTION"));
    }

    /** {@code COMMIT}, {@code END}, {@code ABORT}, {@code ROLLBACK} (not {@code ROLLBACK TO}, not {@code … PREPARED}). */
    public boolean closesTransaction() {
        if (!CLOSERS.contains(word(0)) || leadingWords.contains("PREPARED")) {
            return false;
        }
        return !(word(0).equals("ROLLBACK") && leadingWords.contains("TO"));
    }

    /**
     * A statement PostgreSQL refuses inside a transaction block: {@code CREATE/DROP INDEX CONCURRENTLY},
     * {@code REINDEX … CONCURRENTLY}, {@code ALTER TABLE … DETACH PARTITION … CONCURRENTLY}, {@code VACUUM},
     * {@code CREATE/DROP DATABASE}, {@code CREATE/DROP TABLESPACE}, {@code ALTER SYSTEM}, {@code CREATE/DROP SUBSCRIPTION}.
     */
    public boolean cannotRunInTransaction() {
        String first = word(0);
        String second = word(1);
        boolean concurrently = leadingWords.contains("CONCURRENTLY");
        return switch (first) {
            case "VACUUM" -> true;
            case "REINDEX" -> concurrently;
            case "ALTER" -> second.equals("SYSTEM") || (second.equals("TABLE") && leadingWords.contains("DETACH") && concurrently);
            case "CREATE", "DROP" -> second.equals("DATABASE") || second.equals("TABLESPACE") || second.equals("SUBSCRIPTION")
                    || (concurrently && (second.equals("INDEX") || (second.equals("UNIQUE") && word(2).equals("INDEX"))));
            default -> false;
        };
    }

    /** The extension a {@code CREATE EXTENSION [IF NOT EXISTS] name …} creates, or null for any other statement. */
    public String createdExtension() {
        Matcher m = CREATE_EXTENSION.matcher(sql);
        if (!m.find()) {
            return null;
        }
        String name = m.group(1);
        return name.startsWith("\"") ? name.substring(1, name.length() - 1).replace("\"\"", "\"") : name.toLowerCase(Locale.ROOT);
    }

    /** Where a 1-based character position inside {@link #sql} (as the server reports it) lies in the script. */
    public ScriptLocation locate(String script, int position) {
        if (position < 1) {
            return new ScriptLocation(line, column);
        }
        int codePoints = sql.codePointCount(0, sql.length());
        int inStatement = sql.offsetByCodePoints(0, Math.min(position - 1, codePoints));
        return ScriptLocation.of(script, offset + inStatement);
    }

    private String word(int i) {
        return i < leadingWords.size() ? leadingWords.get(i) : "";
    }

    static String upper(String word) {
        return word.toUpperCase(Locale.ROOT);
    }
}
