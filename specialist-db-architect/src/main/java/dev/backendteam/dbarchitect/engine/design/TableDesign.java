package dev.backendteam.dbarchitect.engine.design;

import dev.backendteam.dbarchitect.engine.spec.DomainSpec;

import java.util.List;
import java.util.Optional;

/**
 * One table as it will be created: the single source the migration, the TypeScript types and the diagram are
 * rendered from. Names of constraints, indexes and the trigger are final (checked against the 63-byte limit).
 */
public record TableDesign(DomainSpec.Entity entity, String name, Kind kind, List<Column> columns,
        List<String> primaryKey, List<ForeignKey> foreignKeys, List<Check> checks, List<Unique> uniques,
        List<Index> indexes, String triggerName, String existingSource) {

    public enum Kind {
        TABLE, JOIN, MEMBERSHIP
    }

    /**
     * {@code type} is the SQL type; {@code defaultSql} the DEFAULT expression or null; {@code enumValues} non-empty
     * for a closed value set; {@code generated} says how the value is set when the row is inserted without it.
     */
    public record Column(String name, String type, boolean nullable, String defaultSql, boolean identity,
            List<String> enumValues, String comment) {

        public boolean hasDefault() {
            return defaultSql != null || identity;
        }
    }

    public enum Role {
        TENANT, BELONGS_TO, OWNER, MEMBER, JOIN
    }

    public record ForeignKey(String name, String column, String refSchema, String refTable, String refColumn,
            String onDelete, Role role) {

        public String refQualified() {
            return refSchema + "." + refTable;
        }
    }

    /** {@code column} is null for a table-level check. */
    public record Check(String name, String column, String expression) {
    }

    /** A unique rule; {@code liveRowsOnly} (soft delete) makes it a partial unique index instead of a constraint. */
    public record Unique(String name, List<String> columns, boolean liveRowsOnly) {
    }

    public record Index(String name, List<String> columns, boolean unique, String where) {
    }

    public String qualified() {
        return "public." + name;
    }

    /** Null when the table is new; else where it was created (the given SQL or an earlier migration). */
    public boolean exists() {
        return existingSource != null;
    }

    public Optional<Column> column(String column) {
        return columns.stream().filter(c -> c.name().equals(column)).findFirst();
    }

    public Optional<ForeignKey> foreignKey(String column) {
        return foreignKeys.stream().filter(f -> f.column().equals(column)).findFirst();
    }

    public List<Check> checks(String column) {
        return checks.stream().filter(c -> column.equals(c.column())).toList();
    }
}
