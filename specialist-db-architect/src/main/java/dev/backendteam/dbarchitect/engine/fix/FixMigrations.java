package dev.backendteam.dbarchitect.engine.fix;

import dev.backendteam.dbarchitect.engine.Migration;
import dev.backendteam.dbarchitect.engine.design.UpdatedAtFunction;
import dev.backendteam.dbarchitect.engine.output.MigrationWriter;
import dev.backendteam.dbarchitect.engine.proof.SchemaCatalog;

import java.util.ArrayList;
import java.util.List;

import static dev.backendteam.dbarchitect.engine.sql.Identifiers.qualified;
import static dev.backendteam.dbarchitect.engine.sql.Identifiers.quote;

/**
 * Writes the migrations that create what a diagnosis found missing, in db-architect's conventions (BRIEF §6): a new
 * table gets {@code id uuid primary key default gen_random_uuid()}, its inferred columns, {@code created_at} and
 * {@code updated_at} with the trigger, an index per foreign key and row level security enabled (policies and grants
 * are security's); a join table (two keys, nothing else) a composite key and an index on its second column. Columns
 * added to an existing table are nullable unless a constant default lets them be NOT NULL without a rewrite; their
 * foreign keys are added NOT VALID and validated, and their indexes built concurrently in a migration of their own.
 */
final class FixMigrations {

    private FixMigrations() {
    }

    static String name(String schema, String table) {
        return (schema.equals("public") ? "" : schema + "_") + table.toLowerCase(java.util.Locale.ROOT)
                .replaceAll("[^a-z0-9_]", "_");
    }

    static Migration createTable(String schema, String table, List<ColumnInference.Guess> columns, boolean join,
            boolean needsFunction, List<Migration> out) {
        if (needsFunction && !join) {
            out.add(MigrationWriter.updatedAtFunction());
        }
        String t = qualified(schema, table);
        String base = name(schema, table);
        StringBuilder up = new StringBuilder("-- ").append(schema).append('.').append(table)
                .append(": created from the statement the debugger diagnosed (")
                .append(join ? "a join table" : "a table").append(").\n")
                .append("-- Row level security is enabled with no policy yet: the security specialist writes the"
                        + " grants and policies.\n")
                .append(MigrationWriter.timeouts()).append('\n')
                .append("create table if not exists ").append(t).append(" (\n");
        List<String> lines = new ArrayList<>();
        if (!join) {
            lines.add("  id uuid primary key default gen_random_uuid()");
        }
        for (ColumnInference.Guess c : columns) {
            lines.add("  " + column(base, c, join || c.reference() != null ? "cascade" : null, join
                    || c.reference() != null || c.notNull()));
        }
        if (join) {
            lines.add("  created_at timestamptz not null default now()");
            lines.add("  constraint " + quote(base + "_pkey") + " primary key (" + quote(columns.get(0).name()) + ", "
                    + quote(columns.get(1).name()) + ")");
        } else {
            lines.add("  created_at timestamptz not null default now()");
            lines.add("  updated_at timestamptz not null default now()");
        }
        up.append(String.join(",\n", lines)).append("\n);\n\n");
        List<ColumnInference.Guess> keys = columns.stream().filter(c -> c.reference() != null).toList();
        for (int i = join ? 1 : 0; i < keys.size(); i++) {
            String col = keys.get(i).name();
            up.append("create index if not exists ").append(quote("idx_" + base + "_" + col)).append(" on ").append(t)
                    .append(" (").append(quote(col)).append(");\n");
        }
        if (!join) {
            up.append("\ncreate or replace trigger ").append(quote(UpdatedAtFunction.trigger(base))).append('\n')
                    .append("  before update on ").append(t).append('\n')
                    .append("  for each row execute function ").append(UpdatedAtFunction.NAME).append("();\n");
        }
        up.append("\nalter table ").append(t).append(" enable row level security;\n");
        String down = "-- Rolls back create_" + base + ": the table goes with its indexes, constraints and trigger.\n"
                + MigrationWriter.timeouts() + "\ndrop table if exists " + t + ";\n";
        Migration m = new Migration("create_" + base, up.toString(), down);
        out.add(m);
        return m;
    }

    /**
     * A sequence a statement's nextval() needs: typed as and owned by {@code owner} when known (dropped with its column),
     * its next value past the column's largest so that new keys do not collide with the rows already there.
     */
    static void createSequence(String schema, String sequence, SchemaCatalog.Column owner, List<Migration> out) {
        String s = qualified(schema, sequence);
        String base = name(schema, sequence);
        StringBuilder up = new StringBuilder("-- ").append(schema).append('.').append(sequence)
                .append(": the sequence the diagnosed statement's nextval() needs.\n")
                .append(MigrationWriter.timeouts()).append('\n')
                .append("create sequence if not exists ").append(s);
        if (owner != null) {
            String table = qualified(owner.schema(), owner.table());
            up.append(" as ").append(owner.type()).append(" owned by ").append(table).append('.')
                    .append(quote(owner.name())).append(";\n")
                    .append("select setval('").append(s.replace("'", "''")).append("', coalesce(max(")
                    .append(quote(owner.name())).append("), 0) + 1, false) from ").append(table).append(";\n");
        } else {
            up.append(";\n");
        }
        String down = "-- Rolls back create_" + base + ".\n" + MigrationWriter.timeouts() + "\ndrop sequence if exists "
                + s + ";\n";
        out.add(new Migration("create_" + base, up.toString(), down));
    }

    /** The columns, then (when some are foreign keys) their indexes in a concurrent migration of their own. */
    static void addColumns(String schema, String table, List<ColumnInference.Guess> columns, List<Migration> out) {
        String t = qualified(schema, table);
        String base = name(schema, table);
        StringBuilder up = new StringBuilder("-- ").append(schema).append('.').append(table).append(": the column(s) ")
                .append(String.join(", ", columns.stream().map(ColumnInference.Guess::name).toList()))
                .append(" the diagnosed statement needs.\n").append(MigrationWriter.timeouts()).append('\n');
        StringBuilder down = new StringBuilder("-- Rolls back add_").append(base).append("_columns.\n")
                .append(MigrationWriter.timeouts()).append('\n');
        for (ColumnInference.Guess c : columns) {
            // NOT NULL only with a constant default: the column then needs no rewrite and no scan
            boolean notNull = c.notNull() && c.defaultSql() != null;
            up.append("alter table ").append(t).append(" add column if not exists ")
                    .append(column(base, new ColumnInference.Guess(c.name(), c.type(), notNull, c.defaultSql(), null,
                            c.rule(), c.because()), null, notNull)).append(";\n");
        }
        for (ColumnInference.Guess c : columns) {
            if (c.reference() != null) {
                String fk = quote(base + "_" + c.name() + "_fkey");
                up.append("alter table ").append(t).append(" add constraint ").append(fk).append(" foreign key (")
                        .append(quote(c.name())).append(") references ").append(qualified(c.reference().schema(),
                                c.reference().table())).append(" (").append(quote(c.reference().column()))
                        .append(") on delete set null not valid;\n")
                        .append("alter table ").append(t).append(" validate constraint ").append(fk).append(";\n");
            }
        }
        for (int i = columns.size() - 1; i >= 0; i--) {
            down.append("alter table ").append(t).append(" drop column if exists ").append(quote(columns.get(i).name()))
                    .append(";\n");
        }
        String name = "add_" + base + "_" + String.join("_", columns.stream().map(c -> c.name()
                .toLowerCase(java.util.Locale.ROOT).replaceAll("[^a-z0-9_]", "_")).toList());
        out.add(new Migration(name.length() > 60 ? name.substring(0, 60) : name, up.toString(), down.toString()));
        for (ColumnInference.Guess c : columns) {
            if (c.reference() != null) {
                String index = quote("idx_" + base + "_" + c.name());
                out.add(new Migration("index_" + base + "_" + c.name(), "-- The foreign key " + c.name()
                        + " leads an index, built without blocking writes (alone: concurrently cannot run in a"
                        + " transaction).\nset lock_timeout = '" + MigrationWriter.LOCK_TIMEOUT + "';\n\n"
                        + "create index concurrently if not exists " + index + " on " + t + " (" + quote(c.name())
                        + ");\n", "drop index concurrently if exists " + quote(schema) + "." + index + ";\n"));
            }
        }
    }

    private static String column(String base, ColumnInference.Guess c, String onDelete, boolean notNull) {
        StringBuilder s = new StringBuilder(quote(c.name())).append(' ').append(c.type());
        if (notNull) {
            s.append(" not null");
        }
        if (c.defaultSql() != null) {
            s.append(" default ").append(c.defaultSql());
        }
        if (c.reference() != null && onDelete != null) {
            s.append(" constraint ").append(quote(base + "_" + c.name() + "_fkey")).append(" references ")
                    .append(qualified(c.reference().schema(), c.reference().table())).append(" (")
                    .append(quote(c.reference().column())).append(") on delete ").append(onDelete);
        }
        return s.toString();
    }
}
