package dev.backendteam.dbarchitect.engine.sql;

import dev.backendteam.dbarchitect.engine.spec.SpecChecks;

import java.util.regex.Pattern;

/** Identifiers written into generated SQL: quoted exactly when PostgreSQL would otherwise read them differently. */
public final class Identifiers {
    private static final Pattern PLAIN = Pattern.compile("[a-z_][a-z0-9_$]*");

    private Identifiers() {
    }

    /** {@code comments} as is; {@code "Comments"}, {@code "user"}, {@code "two words"} quoted. */
    public static String quote(String name) {
        if (PLAIN.matcher(name).matches() && !SpecChecks.reserved(name)) {
            return name;
        }
        return "\"" + name.replace("\"", "\"\"") + "\"";
    }

    /** {@code schema.name}, each part quoted as needed. */
    public static String qualified(String schema, String name) {
        return quote(schema) + "." + quote(name);
    }
}
