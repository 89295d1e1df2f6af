package dev.backendteam.dbarchitect.engine.sql;

import java.util.List;

/** One action of an ALTER TABLE statement. */
public sealed interface AlterAction {

    Token at();

    record AddColumn(ColumnDef column, boolean ifNotExists, Token at) implements AlterAction {
    }

    record AddConstraint(TableConstraint constraint, Token at) implements AlterAction {
    }

    record DropColumn(String column, boolean ifExists, Token at) implements AlterAction {
    }

    record DropConstraint(String name, boolean ifExists, Token at) implements AlterAction {
    }

    record AlterType(String column, TypeRef type, Token at) implements AlterAction {
    }

    record SetNotNull(String column, Token at) implements AlterAction {
    }

    record DropNotNull(String column, Token at) implements AlterAction {
    }

    record SetDefault(String column, List<Token> expr, Token at) implements AlterAction {
    }

    record ValidateConstraint(String name, Token at) implements AlterAction {
    }

    record RenameColumn(String from, String to, Token at) implements AlterAction {
    }

    record RenameTable(String to, Token at) implements AlterAction {
    }

    /** Anything else (enable row level security, owner to, set schema…): no lint looks inside. */
    record Other(String words, Token at) implements AlterAction {
    }
}
