package dev.backendteam.security.engine.catalog;

import java.util.List;
import java.util.Optional;

/** The tables of the exposed schemas as the sandbox's catalog has them after the job's migrations ran. */
public record SchemaCatalog(List<Table> tables) {

    public SchemaCatalog {
        tables = List.copyOf(tables);
    }

    public Optional<Table> table(String qualified) {
        return tables.stream().filter(t -> t.qualified().equals(qualified)).findFirst();
    }

    public record Table(String schema, String name, boolean rls, boolean forceRls, List<Column> columns,
            List<String> primaryKey, List<ForeignKey> foreignKeys, List<String> checks, List<Policy> policies,
            List<Grant> grants, List<Trigger> triggers) {

        public Table {
            triggers = triggers == null ? List.of() : List.copyOf(triggers);
            grants = grants == null ? List.of() : List.copyOf(grants);
            columns = List.copyOf(columns);
            primaryKey = List.copyOf(primaryKey);
            foreignKeys = List.copyOf(foreignKeys);
            checks = List.copyOf(checks);
            policies = List.copyOf(policies);
        }

        public String qualified() {
            return schema + "." + name;
        }

        public Optional<Column> column(String column) {
            return columns.stream().filter(c -> c.name().equals(column)).findFirst();
        }

        /** The foreign key whose only column is {@code column}. */
        public Optional<ForeignKey> foreignKey(String column) {
            return foreignKeys.stream().filter(f -> f.columns().equals(List.of(column))).findFirst();
        }
    }

    /**
     * @param identity {@code a} (always), {@code d} (by default) or empty
     * @param generated {@code s} for a stored generated column, else empty
     */
    public record Column(String name, String type, boolean notNull, boolean hasDefault, String identity,
            String generated, List<String> enumValues) {

        public Column {
            enumValues = enumValues == null ? List.of() : List.copyOf(enumValues);
        }

        /** A column an insert or update may name. */
        public boolean writable() {
            return !"a".equals(identity) && (generated == null || generated.isEmpty());
        }
    }

    /** A trigger on the table and the source of its function. */
    public record Trigger(String name, String function, String source) {
    }

    /** A privilege a role holds on the table, or on one column of it ({@code column} not null). */
    public record Grant(String role, String privilege, String column) {
    }

    public record ForeignKey(String name, List<String> columns, String onDelete, String refSchema, String refTable,
            List<String> refColumns) {

        /** Whether deleting a referenced row fails while this row still points at it. */
        public boolean blocksDelete() {
            return "no action".equals(onDelete) || "restrict".equals(onDelete);
        }

        public String ref() {
            return refSchema + "." + refTable;
        }
    }

    /** @param command select, insert, update, delete or all; {@code roles} has {@code public} for no TO clause */
    public record Policy(String name, boolean permissive, List<String> roles, String command, String using,
            String withCheck) {

        public Policy {
            roles = roles == null ? List.of("public") : List.copyOf(roles);
        }
    }
}
