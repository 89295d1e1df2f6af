package dev.backendteam.dbarchitect.api;

import java.util.regex.Pattern;

/** Identifiers and literals as the API's migration and proofs write them. */
final class Sql {
    private static final Pattern PLAIN = Pattern.compile("[a-z_][a-z0-9_$]*");
    /** As quote_ident decides: every keyword that is not unreserved is quoted (api/keywords.txt). */
    private static final java.util.Set<String> RESERVED = keywords();

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

    private static java.util.Set<String> keywords() {
        java.util.Set<String> words = new java.util.HashSet<>();
        for (String line : ApiCatalog.sql("keywords.txt").split("\n")) {
            if (!line.startsWith("#")) {
                words.addAll(java.util.Arrays.asList(line.trim().split("\\s+")));
            }
        }
        words.remove("");
        return java.util.Set.copyOf(words);
    }

    static String literal(String value) {
        return "'" + value.replace("'", "''") + "'";
    }
}
