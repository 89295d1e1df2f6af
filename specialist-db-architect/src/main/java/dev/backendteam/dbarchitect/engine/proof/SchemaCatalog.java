package dev.backendteam.dbarchitect.engine.proof;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The relations and columns a sandbox database holds after the job's schema was applied, read from pg_catalog
 * ({@code catalog/columns.sql}): what a diagnosis is checked against. Names are exact (case kept, no quotes).
 */
public record SchemaCatalog(List<Column> columns) {

    public record Column(String schema, String table, String kind, String name, String type, boolean notNull,
            boolean primaryKey) {
    }

    /** A relation and its columns, in their order. */
    public record Relation(String schema, String name, String kind, List<Column> columns) {

        public String qualified() {
            return schema + "." + name;
        }

        public Optional<Column> column(String column) {
            return columns.stream().filter(c -> c.name().equals(column)).findFirst();
        }

        /** The single-column primary key, if the relation has one. */
        public Optional<Column> primaryKey() {
            return columns.stream().filter(Column::primaryKey).findFirst();
        }

        public boolean isTable() {
            return kind.equals("r") || kind.equals("p");
        }
    }

    public SchemaCatalog {
        columns = List.copyOf(columns);
    }

    public static SchemaCatalog empty() {
        return new SchemaCatalog(List.of());
    }

    public List<Relation> relations() {
        Map<String, List<Column>> by = new LinkedHashMap<>();
        columns.forEach(c -> by.computeIfAbsent(c.schema() + "\u0000" + c.table(), k -> new ArrayList<>()).add(c));
        return by.values().stream().map(cs -> new Relation(cs.get(0).schema(), cs.get(0).table(), cs.get(0).kind(),
                List.copyOf(cs))).toList();
    }

    /** The relation {@code schema.name}; an unqualified name is looked up in public, as the search path would. */
    public Optional<Relation> relation(String schema, String name) {
        String in = schema == null ? "public" : schema;
        return relations().stream().filter(r -> r.schema().equals(in) && r.name().equals(name)).findFirst();
    }

    /** The user's relations (not auth's shims): what an application's statement is expected to name. */
    public List<Relation> userRelations() {
        return relations().stream().filter(r -> !r.schema().equals("auth")).toList();
    }
}
