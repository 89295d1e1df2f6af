package dev.backendteam.ops.debugger;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The relations a statement names and their aliases, enough to say which table a column of an error belongs to:
 * {@code c.body} of {@code from comments c} is {@code comments.body}, a bare {@code body} of a statement over one
 * table is that table's. Anything less certain is left as the error names it.
 */
final class SqlRelations {
    private static final String NAME = "(?:\"[^\"]+\"|[\\w$]+)";
    private static final Pattern RELATION = Pattern.compile("\\b(?:from|join|update|into)\\s+(?<table>" + NAME
            + "(?:\\." + NAME + ")?)(?:\\s+(?:as\\s+)?(?!(?:where|join|on|set|values|left|right|inner|outer|full|cross"
            + "|group|order|limit|offset|using|natural|returning|default|select|for|having|union|window)\\b)(?<alias>"
            + NAME + "))?", Pattern.CASE_INSENSITIVE);

    private SqlRelations() {
    }

    /** {@code column} (bare or {@code qualifier.column}) resolved against {@code statement}'s relations. */
    static String qualifyColumn(String column, String statement) {
        if (column == null || statement == null) {
            return column;
        }
        Map<String, String> aliases = new LinkedHashMap<>();
        Map<String, String> tables = new LinkedHashMap<>();
        Matcher m = RELATION.matcher(statement);
        while (m.find()) {
            String table = unquote(m.group("table"));
            String last = table.contains(".") ? table.substring(table.lastIndexOf('.') + 1) : table;
            tables.put(table.toLowerCase(Locale.ROOT), table);
            aliases.put(last.toLowerCase(Locale.ROOT), table);
            if (m.group("alias") != null) {
                aliases.put(unquote(m.group("alias")).toLowerCase(Locale.ROOT), table);
            }
        }
        int dot = column.lastIndexOf('.');
        if (dot < 0) {
            return tables.size() == 1 ? tables.values().iterator().next() + "." + column : column;
        }
        String qualifier = column.substring(0, dot).toLowerCase(Locale.ROOT);
        String table = aliases.get(qualifier);
        return table == null || qualifier.contains(".") ? column : table + column.substring(dot);
    }

    private static String unquote(String name) {
        return name.replace("\"", "");
    }
}
