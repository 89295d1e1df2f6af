package dev.backendteam.security.engine.policy;

import java.util.regex.Pattern;

/** Identifiers and literals as they must be written in generated SQL. */
public final class Identifiers {
    private static final Pattern PLAIN = Pattern.compile("[a-z_][a-z0-9_$]*");
    private static final java.util.Set<String> RESERVED = java.util.Set.of("user", "order", "group", "select", "table",
            "from", "where", "to", "check", "default", "references", "primary", "all", "end", "limit", "offset");

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
