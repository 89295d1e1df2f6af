package dev.backendteam.dbarchitect.engine.sql;

import java.util.List;

/**
 * What a statement does, as far as the migration lints and the schema tracker need to know. Statements outside
 * this model are {@link Other}: they are still split, lexed and checked for identifiers and escapes.
 */
public sealed interface Ddl {

    record CreateTable(QName table, boolean ifNotExists, List<ColumnDef> columns, List<TableConstraint> constraints,
            boolean hasPrimaryKeySource) implements Ddl {
    }

    record CreateIndex(String name, Token nameAt, QName table, boolean unique, boolean concurrently,
            boolean ifNotExists, List<String> columns) implements Ddl {
    }

    record DropIndex(List<QName> indexes, boolean concurrently, boolean ifExists) implements Ddl {
    }

    record AlterTable(QName table, boolean ifExists, List<AlterAction> actions) implements Ddl {
    }

    record DropTable(List<QName> tables, boolean ifExists) implements Ddl {
    }

    record DropDatabase(String name) implements Ddl {
    }

    record Truncate(List<QName> tables, boolean cascade) implements Ddl {
    }

    /** BEGIN / START TRANSACTION. */
    record Begin() implements Ddl {
    }

    /** COMMIT / END / ROLLBACK / ABORT (not ROLLBACK TO SAVEPOINT). */
    record End(boolean commit) implements Ddl {
    }

    record Set(String setting, boolean local) implements Ddl {
    }

    record CreateTrigger(String name, QName table, boolean orReplace) implements Ddl {
    }

    record CreatePolicy(String name, QName table) implements Ddl {
    }

    /** DROP TRIGGER / DROP POLICY: {@code name on table}. */
    record DropOn(String kind, String name, QName table, boolean ifExists) implements Ddl {
    }

    /** Another CREATE ({@code kind}: schema, view, function, type…); guarded: IF NOT EXISTS or OR REPLACE. */
    record CreateOther(String kind, QName name, boolean guarded) implements Ddl {
    }

    /** Another DROP: view, function, sequence, schema, type… */
    record DropOther(String kind, boolean ifExists) implements Ddl {
    }

    record Other(String command) implements Ddl {
    }
}
