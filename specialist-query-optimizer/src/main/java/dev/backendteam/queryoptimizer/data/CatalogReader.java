package dev.backendteam.queryoptimizer.data;

import dev.backendteam.sandbox.SandboxDatabase;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Reads the tables to fill, their columns and constraints from the sandbox database's catalog. */
final class CatalogReader {
    private static final String TABLES = Sql.resource("tables.sql");
    private static final String COLUMNS = Sql.resource("columns.sql");
    private static final String UNIQUE_KEYS = Sql.resource("unique_keys.sql");
    private static final String FOREIGN_KEYS = Sql.resource("foreign_keys.sql");
    private static final String CHECKS = Sql.resource("checks.sql");

    List<CatalogTable> read(SandboxDatabase db) {
        Map<Long, Map<String, Object>> tables = new LinkedHashMap<>();
        for (Map<String, Object> t : db.query(TABLES)) {
            tables.put(((Number) t.get("oid")).longValue(), t);
        }
        if (tables.isEmpty()) {
            return List.of();
        }
        String oids = Sql.oidArray(tables.keySet());
        Map<Long, List<CatalogTable.Column>> columns = new LinkedHashMap<>();
        for (Map<String, Object> r : db.query(COLUMNS, oids)) {
            columns.computeIfAbsent(oid(r), k -> new ArrayList<>()).add(new CatalogTable.Column(
                    (String) r.get("name"), (String) r.get("declared_type"), (String) r.get("base_type"),
                    (Boolean) r.get("is_array"), (String) r.get("element_type"), (String) r.get("element_type_sql"),
                    (String) r.get("element_kind"), texts(r.get("enum_labels")), ((Number) r.get("typmod")).intValue(),
                    texts(r.get("domain_checks")), (Boolean) r.get("not_null"), (String) r.get("default_expr"),
                    (Boolean) r.get("is_identity"), (Boolean) r.get("is_generated")));
        }
        Map<Long, List<CatalogTable.UniqueKey>> keys = new LinkedHashMap<>();
        for (Map<String, Object> r : db.query(UNIQUE_KEYS, oids)) {
            keys.computeIfAbsent(oid(r), k -> new ArrayList<>()).add(new CatalogTable.UniqueKey(
                    (String) r.get("name"), (Boolean) r.get("is_primary"), texts(r.get("columns"))));
        }
        Map<Long, List<CatalogTable.ForeignKey>> fks = new LinkedHashMap<>();
        for (Map<String, Object> r : db.query(FOREIGN_KEYS, oids)) {
            fks.computeIfAbsent(oid(r), k -> new ArrayList<>()).add(new CatalogTable.ForeignKey(
                    (String) r.get("name"), (String) r.get("parent_schema"), (String) r.get("parent_table"),
                    texts(r.get("columns")), texts(r.get("parent_columns"))));
        }
        Map<Long, List<CatalogTable.Check>> checks = new LinkedHashMap<>();
        for (Map<String, Object> r : db.query(CHECKS, oids)) {
            checks.computeIfAbsent(oid(r), k -> new ArrayList<>()).add(new CatalogTable.Check(
                    (String) r.get("name"), (String) r.get("expression"), texts(r.get("columns"))));
        }
        List<CatalogTable> out = new ArrayList<>();
        tables.forEach((oid, t) -> out.add(new CatalogTable(oid, (String) t.get("schema"), (String) t.get("name"),
                List.copyOf(columns.getOrDefault(oid, List.of())), List.copyOf(keys.getOrDefault(oid, List.of())),
                List.copyOf(fks.getOrDefault(oid, List.of())), List.copyOf(checks.getOrDefault(oid, List.of())))));
        return out;
    }

    private static long oid(Map<String, Object> row) {
        return ((Number) row.get("table_oid")).longValue();
    }

    private static List<String> texts(Object array) {
        if (array == null) {
            return List.of();
        }
        List<String> out = new ArrayList<>();
        for (Object o : (List<?>) array) {
            out.add(String.valueOf(o));
        }
        return List.copyOf(out);
    }
}
