package dev.backendteam.queryoptimizer.advisor;

import dev.backendteam.sandbox.SandboxDatabase;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** The indexes a sandbox database has, as candidates (so they compare with new ones), and its column statistics. */
public final class IndexCatalog {
    private static final String INDEXES = resource("indexes.sql");
    private static final String COLUMNS = resource("columns.sql");

    /** One index of the catalog. */
    public record Existing(String name, Candidate shape, boolean unique, boolean primary, boolean valid, long bytes,
            boolean special) {
        public String qualifiedName() {
            return Identifiers.quote(shape.schema()) + "." + Identifiers.quote(name);
        }
    }

    /** A column's planner statistics. */
    public record ColumnStats(double distinct, int width, double nullFrac) {
    }

    private IndexCatalog() {
    }

    public static List<Existing> indexes(SandboxDatabase db) {
        List<Existing> out = new ArrayList<>();
        for (Map<String, Object> row : db.query(INDEXES)) {
            List<Object> columns = list(row.get("columns"));
            List<Object> desc = list(row.get("descending"));
            int keyCount = ((Number) row.get("key_count")).intValue();
            List<Candidate.Key> keys = new ArrayList<>();
            List<String> include = new ArrayList<>();
            for (int i = 0; i < columns.size(); i++) {
                String c = String.valueOf(columns.get(i));
                if (i < keyCount) {
                    boolean plain = c.matches("[a-z_][a-z0-9_$]*|\"[^\"]+\"");
                    keys.add(new Candidate.Key(plain ? c.replace("\"", "") : c, plain,
                            i < desc.size() && Boolean.TRUE.equals(desc.get(i))));
                } else {
                    include.add(c.replace("\"", ""));
                }
            }
            Candidate shape = new Candidate(String.valueOf(row.get("schema")), String.valueOf(row.get("table")), keys,
                    include, (String) row.get("predicate"), String.valueOf(row.get("method")), null, "existing");
            out.add(new Existing(String.valueOf(row.get("name")), shape, Boolean.TRUE.equals(row.get("is_unique")),
                    Boolean.TRUE.equals(row.get("is_primary")), Boolean.TRUE.equals(row.get("is_valid")),
                    ((Number) row.get("bytes")).longValue(), Boolean.TRUE.equals(row.get("special"))));
        }
        return out;
    }

    /** By {@code schema.table.column}. n_distinct is made a count (PostgreSQL stores a fraction as a negative). */
    public static Map<String, ColumnStats> columns(SandboxDatabase db) {
        Map<String, ColumnStats> out = new HashMap<>();
        for (Map<String, Object> row : db.query(COLUMNS)) {
            double nd = ((Number) row.get("n_distinct")).doubleValue();
            double rows = Math.max(1, ((Number) row.get("reltuples")).doubleValue());
            out.put(row.get("schema") + "." + row.get("table") + "." + row.get("column"), new ColumnStats(
                    nd < 0 ? -nd * rows : nd, ((Number) row.get("avg_width")).intValue(),
                    ((Number) row.get("null_frac")).doubleValue()));
        }
        return out;
    }

    /** Whether {@code c} adds nothing to {@code existing}: the same index, or a prefix of one. */
    public static Existing covering(Candidate c, Collection<Existing> existing) {
        for (Existing e : existing) {
            if (e.valid() && !e.special() && (c.isPrefixOf(e.shape()) || c.definition().equals(e.shape()
                    .definition()))) {
                return e;
            }
        }
        return null;
    }

    @SuppressWarnings("unchecked")
    private static List<Object> list(Object value) {
        if (value instanceof List<?> l) {
            return (List<Object>) l;
        }
        if (value instanceof Object[] a) {
            return List.of(a);
        }
        return List.of();
    }

    static String resource(String name) {
        try (InputStream in = IndexCatalog.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
