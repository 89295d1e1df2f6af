package dev.backendteam.security.engine.catalog;

import com.fasterxml.jackson.core.type.TypeReference;
import dev.backendteam.contract.Json;
import dev.backendteam.sandbox.SandboxDatabase;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Reads the exposed schemas' tables from a sandbox database's catalog (catalog/tables.sql). */
public final class CatalogReader {
    public static final List<String> EXPOSED = List.of("public");
    private static final String TABLES = resource("tables.sql");

    private CatalogReader() {
    }

    public static SchemaCatalog read(SandboxDatabase db) {
        return read(db, EXPOSED);
    }

    public static SchemaCatalog read(SandboxDatabase db, List<String> schemas) {
        List<SchemaCatalog.Table> tables = new ArrayList<>();
        for (Map<String, Object> row : db.query(TABLES, "{" + String.join(",", schemas) + "}")) {
            tables.add(new SchemaCatalog.Table((String) row.get("schema"), (String) row.get("name"),
                    (Boolean) row.get("rls"), (Boolean) row.get("force_rls"),
                    json(row.get("columns"), new TypeReference<List<SchemaCatalog.Column>>() { }),
                    json(row.get("primary_key"), new TypeReference<List<String>>() { }),
                    json(row.get("foreign_keys"), new TypeReference<List<SchemaCatalog.ForeignKey>>() { }),
                    json(row.get("checks"), new TypeReference<List<String>>() { }),
                    json(row.get("policies"), new TypeReference<List<SchemaCatalog.Policy>>() { }),
                    grants(row), json(row.get("triggers"), new TypeReference<List<SchemaCatalog.Trigger>>() { })));
        }
        return new SchemaCatalog(tables);
    }

    private static List<SchemaCatalog.Grant> grants(Map<String, Object> row) {
        List<SchemaCatalog.Grant> all = new ArrayList<>(json(row.get("table_grants"),
                new TypeReference<List<SchemaCatalog.Grant>>() { }));
        all.addAll(json(row.get("column_grants"), new TypeReference<List<SchemaCatalog.Grant>>() { }));
        return all;
    }

    private static <T> T json(Object value, TypeReference<T> type) {
        try {
            return Json.events().readValue(String.valueOf(value), type);
        } catch (IOException e) {
            throw new UncheckedIOException("unexpected catalog JSON: " + value, e);
        }
    }

    /** A query of this package's resources ({@code catalog/<name>}). */
    public static String resource(String name) {
        try (InputStream in = CatalogReader.class.getResourceAsStream("/dev/backendteam/security/catalog/" + name)) {
            if (in == null) {
                throw new IllegalStateException("missing resource catalog/" + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Whether the database has the schema (e.g. an earlier migration's {@code private}). */
    public static boolean schemaExists(SandboxDatabase db, String schema) {
        return !db.query("select 1 from pg_namespace where nspname = ?", schema).isEmpty();
    }

    /** The names of the functions of a schema. */
    public static java.util.Set<String> functions(SandboxDatabase db, String schema) {
        java.util.Set<String> names = new java.util.HashSet<>();
        db.query("select p.proname from pg_proc p join pg_namespace n on n.oid = p.pronamespace where n.nspname = ?",
                schema).forEach(r -> names.add((String) r.get("proname")));
        return names;
    }
}
