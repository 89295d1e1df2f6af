package dev.backendteam.sandbox.targetdb;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/**
 * The catalog queries more than one specialist reads a database with, kept as SQL files under
 * {@code dev/backendteam/sandbox/targetdb/}: the application's schemas, the indexes and their rules
 * ({@code indexes/}), pg_stat_statements ({@link TopStatements}). They run on a target and on a sandbox alike.
 */
public final class TargetSql {

    private TargetSql() {
    }

    /** A catalog query with {@code ?} parameters, its rows by column label (a target's or a sandbox's query). */
    @FunctionalInterface
    public interface CatalogQuery {
        List<Map<String, Object>> query(String sql, Object... params);
    }

    /** The text of {@code path} (e.g. {@code indexes/unused-index.sql}) under dev/backendteam/sandbox/targetdb/. */
    public static String read(String path) {
        try (InputStream in = TargetSql.class.getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalStateException("missing resource targetdb/" + path);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The schemas an application keeps its tables in (application-schemas.sql): every schema with a table but
     * PostgreSQL's own and those Supabase manages, public first; {@code public} alone when there is none.
     */
    public static List<String> applicationSchemas(CatalogQuery db) {
        List<String> out = db.query(read("application-schemas.sql")).stream().map(r -> String.valueOf(r.get("s")))
                .toList();
        return out.isEmpty() ? List.of("public") : out;
    }

    /** A PostgreSQL text-array literal ({@code {"a","b"}}) for a {@code ?::text[]} parameter. */
    public static String textArray(List<String> values) {
        StringBuilder s = new StringBuilder("{");
        for (String v : values) {
            if (s.length() > 1) {
                s.append(',');
            }
            s.append('"').append(v.replace("\\", "\\\\").replace("\"", "\\\"")).append('"');
        }
        return s.append('}').toString();
    }
}
