package dev.backendteam.security.engine.policy;

import java.util.regex.Pattern;

/** Identifiers and literals as they must be written in generated SQL. */
public final class Identifiers {
    private static final Pattern PLAIN = Pattern.compile("[a-z_][a-z0-9_$]*");
    /** PostgreSQL's reserved key words (and those reserved but allowed as function or type names). */
    private static final java.util.Set<String> RESERVED = java.util.Set.of("all", "analyse", "analyze", "and", "any",
            "array", "as", "asc", "asymmetric", "authorization", "binary", "both", "case", "cast", "check", "collate",
            "collation", "column", "concurrently", "constraint", "create", "cross", "current_catalog", "current_date",
            "current_role", "current_schema", "current_time", "current_timestamp", "current_user", "default",
            "deferrable", "desc", "distinct", "do", "else", "end", "except", "false", "fetch", "for", "foreign",
            "freeze", "from", "full", "grant", "group", "having", "ilike", "in", "initially", "inner", "intersect",
            "into", "is", "isnull", "join", "lateral", "leading", "left", "like", "limit", "localtime",
            "localtimestamp", "natural", "not", "notnull", "null", "offset", "on", "only", "or", "order", "outer",
            "overlaps", "placing", "primary", "references", "returning", "right", "select", "session_user", "similar",
            "some", "symmetric", "system_user", "table", "tablesample", "then", "to", "trailing", "true", "union",
            "unique", "user", "using", "variadic", "verbose", "when", "where", "window", "with");

    private Identifiers() {
    }

    public static String ident(String name) {
        if (PLAIN.matcher(name).matches() && !RESERVED.contains(name)) {
            return name;
        }
        return '"' + name.replace("\"", "\"\"") + '"';
    }

    /** {@code schema.table} → {@code schema.table}, each part quoted when it must be. */
    public static String qualified(String qualified) {
        int dot = qualified.indexOf('.');
        return dot < 0 ? ident(qualified) : ident(qualified.substring(0, dot)) + "." + ident(qualified.substring(dot + 1));
    }

    public static String literal(String value) {
        return "'" + value.replace("'", "''") + "'";
    }

    /** A name of at most 63 bytes (PostgreSQL truncates longer ones silently). */
    public static String shortName(String name) {
        return name.length() <= 63 ? name : name.substring(0, 54) + "_" + Integer.toHexString(name.hashCode() & 0xfffffff);
    }
}
