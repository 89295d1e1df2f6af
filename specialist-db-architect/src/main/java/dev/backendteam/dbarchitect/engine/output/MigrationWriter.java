package dev.backendteam.dbarchitect.engine.output;

import dev.backendteam.dbarchitect.engine.Migration;
import dev.backendteam.dbarchitect.engine.design.ExistingSchema;
import dev.backendteam.dbarchitect.engine.design.SchemaDesign;
import dev.backendteam.dbarchitect.engine.design.TableDesign;
import dev.backendteam.dbarchitect.engine.design.TableDesign.Check;
import dev.backendteam.dbarchitect.engine.design.TableDesign.Column;
import dev.backendteam.dbarchitect.engine.design.TableDesign.ForeignKey;
import dev.backendteam.dbarchitect.engine.design.TableDesign.Index;
import dev.backendteam.dbarchitect.engine.design.TableDesign.Unique;
import dev.backendteam.dbarchitect.engine.design.UpdatedAtFunction;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Writes a design as migrations named by purpose, in dependency order: first the updated_at trigger function (unless
 * an earlier migration or the given SQL already has it), then one migration per table. One table per migration so
 * that each can be reviewed, applied and rolled back on its own, and a failure points at one table. Every migration
 * sets lock_timeout and statement_timeout first, is safe to run twice (if not exists / or replace), enables row
 * level security, and has a down script that removes exactly what it added.
 */
public final class MigrationWriter {
    public static final String LOCK_TIMEOUT = "5s";
    public static final String STATEMENT_TIMEOUT = "60s";

    private MigrationWriter() {
    }

    public static List<Migration> write(SchemaDesign design, ExistingSchema existing) {
        List<Migration> migrations = new ArrayList<>();
        List<TableDesign> tables = design.newTables();
        if (tables.isEmpty()) {
            return migrations;
        }
        if (!existing.hasFunction(UpdatedAtFunction.NAME)) {
            migrations.add(updatedAtFunction());
        }
        for (TableDesign t : tables) {
            migrations.add(new Migration("create_" + t.name(), up(t), down(t)));
        }
        return migrations;
    }

    public static String timeouts() {
        return "set lock_timeout = '" + LOCK_TIMEOUT + "';\nset statement_timeout = '" + STATEMENT_TIMEOUT + "';\n";
    }

    public static Migration updatedAtFunction() {
        String up = "-- The trigger function every table's updated_at trigger calls: keeps updated_at at the time of"
                + " the last update.\n"
                + "-- A fixed, empty search_path: the function resolves nothing through the caller's path.\n"
                + timeouts() + "\n"
                + "create or replace function " + UpdatedAtFunction.NAME + "()\n"
                + "returns trigger\n"
                + "language plpgsql\n"
                + "set search_path = ''\n"
                + "as $$\n"
                + "begin\n"
                + "  new.updated_at := now();\n"
                + "  return new;\n"
                + "end;\n"
                + "$$;\n";
        String down = "-- Rolls back " + UpdatedAtFunction.MIGRATION + ".\n" + timeouts() + "\n"
                + "drop function if exists " + UpdatedAtFunction.NAME + "();\n";
        return new Migration(UpdatedAtFunction.MIGRATION, up, down);
    }

    static String up(TableDesign t) {
        StringBuilder sql = new StringBuilder();
        sql.append("-- ").append(t.name()).append(": ").append(purpose(t)).append('\n');
        sql.append("-- Row level security is enabled with no policy yet: the security specialist writes the policies;"
                + " until then only the service role reaches the rows.\n");
        sql.append(timeouts()).append('\n');
        sql.append("create table if not exists ").append(t.qualified()).append(" (\n");
        List<String> lines = new ArrayList<>();
        boolean singleId = t.primaryKey().size() == 1;
        for (Column c : t.columns()) {
            lines.add("  " + column(t, c, singleId && t.primaryKey().get(0).equals(c.name())));
        }
        if (!singleId) {
            lines.add("  constraint " + t.name() + "_pkey primary key (" + String.join(", ", t.primaryKey()) + ")");
        }
        for (Unique u : t.uniques()) {
            if (!u.liveRowsOnly()) {
                lines.add("  constraint " + u.name() + " unique (" + String.join(", ", u.columns()) + ")");
            }
        }
        for (Check c : t.checks()) {
            if (c.column() == null) {
                lines.add("  constraint " + c.name() + " check (" + c.expression() + ")");
            }
        }
        sql.append(String.join(",\n", lines)).append("\n);\n");
        if (!t.indexes().isEmpty()) {
            sql.append('\n');
        }
        for (Index i : t.indexes()) {
            sql.append("create ").append(i.unique() ? "unique " : "").append("index if not exists ").append(i.name())
                    .append(" on ").append(t.qualified()).append(" (").append(String.join(", ", i.columns()))
                    .append(")").append(i.where() == null ? "" : " where " + i.where()).append(";\n");
        }
        sql.append('\n');
        sql.append("create or replace trigger ").append(t.triggerName()).append('\n')
                .append("  before update on ").append(t.qualified()).append('\n')
                .append("  for each row execute function ").append(UpdatedAtFunction.NAME).append("();\n");
        sql.append('\n');
        sql.append("alter table ").append(t.qualified()).append(" enable row level security;\n");
        String description = t.entity().description();
        boolean comments = description != null || t.columns().stream().anyMatch(c -> c.comment() != null);
        if (comments) {
            sql.append('\n');
        }
        if (description != null) {
            sql.append("comment on table ").append(t.qualified()).append(" is ").append(literal(description))
                    .append(";\n");
        }
        for (Column c : t.columns()) {
            if (c.comment() != null) {
                sql.append("comment on column ").append(t.qualified()).append('.').append(c.name()).append(" is ")
                        .append(literal(c.comment())).append(";\n");
            }
        }
        return sql.toString();
    }

    private static String column(TableDesign t, Column c, boolean primaryKey) {
        StringBuilder s = new StringBuilder(c.name()).append(' ').append(c.type());
        if (c.identity()) {
            s.append(" generated always as identity");
        }
        if (primaryKey) {
            s.append(" primary key");
        } else if (!c.nullable()) {
            s.append(" not null");
        }
        if (c.defaultSql() != null) {
            s.append(" default ").append(c.defaultSql());
        }
        ForeignKey fk = t.foreignKey(c.name()).orElse(null);
        if (fk != null) {
            s.append(" constraint ").append(fk.name()).append(" references ").append(fk.refQualified()).append(" (")
                    .append(fk.refColumn()).append(") on delete ").append(fk.onDelete());
        }
        for (Check check : t.checks(c.name())) {
            s.append(" constraint ").append(check.name()).append(" check (").append(check.expression()).append(')');
        }
        return s.toString();
    }

    static String down(TableDesign t) {
        return "-- Rolls back create_" + t.name() + ": the table goes with its indexes, constraints and trigger.\n"
                + timeouts() + "\n"
                + "drop table if exists " + t.qualified() + ";\n";
    }

    /** One line on what the table is, for the migration's header. */
    static String purpose(TableDesign t) {
        List<String> parts = new ArrayList<>();
        switch (t.kind()) {
            case JOIN -> parts.add("joins " + t.foreignKeys().stream().map(ForeignKey::refTable)
                    .collect(Collectors.joining(" and ")) + " (n:m)");
            case MEMBERSHIP -> parts.add("membership of users in " + t.foreignKeys().get(0).refTable()
                    + ", with a role");
            default -> parts.add("table");
        }
        for (ForeignKey fk : t.foreignKeys()) {
            switch (fk.role()) {
                case TENANT -> {
                    if (t.kind() != TableDesign.Kind.MEMBERSHIP) {
                        parts.add("rows of a tenant (" + fk.refTable() + ")");
                    }
                }
                case BELONGS_TO -> parts.add("belongs to " + fk.refTable() + " (" + fk.column() + ")");
                case OWNER -> parts.add("owned by the signed-in user (user_id)");
                default -> {
                }
            }
        }
        if (t.entity().softDelete()) {
            parts.add("soft delete (deleted_at)");
        }
        if (t.entity().publicRead()) {
            parts.add("readable by anyone");
        }
        if (t.entity().serviceOnly()) {
            parts.add("service role only");
        }
        return String.join("; ", parts) + ".";
    }

    static String literal(String value) {
        return "'" + value.replace("'", "''") + "'";
    }
}
