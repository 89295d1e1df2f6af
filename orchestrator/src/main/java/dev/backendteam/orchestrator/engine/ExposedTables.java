package dev.backendteam.orchestrator.engine;

import dev.backendteam.sandbox.ScriptSplitter;
import dev.backendteam.sandbox.SqlStatement;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The tables a migration creates in a schema the Data API exposes, read from its {@code create table} statements.
 * The script is split the way psql runs it, so that a {@code create table} in a comment, a string or a function body
 * is not taken for one. An unqualified name lands in {@code public} (the search path a migration runs with);
 * temporary tables live in no exposed schema.
 */
final class ExposedTables {
    private static final String NAME = "(\"(?:[^\"]|\"\")+\"|[\\p{L}_][\\p{L}\\p{N}_$]*)";
    private static final Pattern CREATE_TABLE = Pattern.compile("^create\\s+(?:(?:global|local)\\s+)?"
            + "(?:(temp|temporary|unlogged)\\s+)?table\\s+(?:if\\s+not\\s+exists\\s+)?" + NAME
            + "(?:\\s*\\.\\s*" + NAME + ")?", Pattern.CASE_INSENSITIVE);
    static final String DEFAULT_SCHEMA = "public";

    private ExposedTables() {
    }

    /** {@code schema.table} of each table the scripts create in one of {@code exposed}, in order, once each. */
    static List<String> created(List<String> scripts, Set<String> exposed) {
        Set<String> tables = new LinkedHashSet<>();
        for (String script : scripts) {
            for (SqlStatement statement : ScriptSplitter.split(script)) {
                List<String> words = statement.leadingWords();
                if (words.size() < 2 || !words.get(0).equals("CREATE") || !words.contains("TABLE")) {
                    continue;
                }
                Matcher m = CREATE_TABLE.matcher(statement.sql());
                if (!m.find() || (m.group(1) != null && m.group(1).toLowerCase(Locale.ROOT).startsWith("temp"))) {
                    continue;
                }
                String schema = m.group(3) == null ? DEFAULT_SCHEMA : identifier(m.group(2));
                String table = identifier(m.group(3) == null ? m.group(2) : m.group(3));
                if (exposed.contains(schema)) {
                    tables.add(schema + "." + table);
                }
            }
        }
        return List.copyOf(tables);
    }

    /** A quoted identifier as written, an unquoted one folded to lower case, as PostgreSQL reads them. */
    private static String identifier(String token) {
        return token.startsWith("\"") ? token.substring(1, token.length() - 1).replace("\"\"", "\"")
                : token.toLowerCase(Locale.ROOT);
    }
}
