package dev.backendteam.queryoptimizer.sql;

import java.util.Locale;
import java.util.Set;

/**
 * The words that cannot be a column or a table alias where the rewrites look for one: PostgreSQL's reserved
 * keywords, plus the clause words that end a FROM item (join, on, using…), which are non-reserved but never an alias
 * in the realistic SQL the rewrites read.
 */
final class SqlKeywords {
    private static final Set<String> RESERVED = Set.of(
            "all", "analyse", "analyze", "and", "any", "array", "as", "asc", "asymmetric", "both", "case", "cast",
            "check", "collate", "column", "constraint", "create", "current_catalog", "current_date", "current_role",
            "current_time", "current_timestamp", "current_user", "default", "deferrable", "desc", "distinct", "do",
            "else", "end", "except", "false", "fetch", "for", "foreign", "from", "grant", "group", "having", "in",
            "initially", "intersect", "into", "lateral", "leading", "limit", "localtime", "localtimestamp", "not",
            "null", "offset", "on", "only", "or", "order", "placing", "primary", "references", "returning", "select",
            "session_user", "some", "symmetric", "system_user", "table", "then", "to", "trailing", "true", "union",
            "unique", "user", "using", "variadic", "when", "where", "window", "with",
            // not reserved, but they end a FROM item
            "join", "inner", "left", "right", "full", "outer", "cross", "natural", "is", "isnull", "notnull",
            "between", "like", "ilike", "similar", "exists");

    private SqlKeywords() {
    }

    static boolean isReserved(String word) {
        return RESERVED.contains(word.toLowerCase(Locale.ROOT));
    }
}
