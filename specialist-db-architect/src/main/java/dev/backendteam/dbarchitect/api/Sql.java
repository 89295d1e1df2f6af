package dev.backendteam.dbarchitect.api;

import java.util.regex.Pattern;

/** Identifiers and literals as the API's migration and proofs write them. */
final class Sql {
    private static final Pattern PLAIN = Pattern.compile("[a-z_][a-z0-9_$]*");
    private static final java.util.Set<String> RESERVED = java.util.Set.of("user", "order", "group", "select", "from",
            "where", "table", "limit", "offset", "check", "default", "primary", "references", "end", "all", "to");

    private Sql() {
    }

    static String ident(String name) {
        return PLAIN.matcher(name).matches() && !RESERVED.contains(name) ? name : "\"" + name.replace("\"", "\"\"")
                + "\"";
    }

    /** {@code schema.table} with each part quoted where needed. */
    static String qualified(String name) {
        int dot = name.indexOf('.');
        return dot < 0 ? ident(name) : ident(name.substring(0, dot)) + "." + ident(name.substring(dot + 1));
    }

    static String literal(String value) {
        return "'" + value.replace("'", "''") + "'";
    }
}
