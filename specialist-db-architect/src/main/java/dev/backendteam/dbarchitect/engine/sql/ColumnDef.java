package dev.backendteam.dbarchitect.engine.sql;

import java.util.List;

/** A column definition in CREATE TABLE or ALTER TABLE … ADD COLUMN. {@code defaultExpr} is empty without DEFAULT. */
public record ColumnDef(String name, Token at, TypeRef type, boolean notNull, boolean primaryKey, boolean unique,
        List<Token> defaultExpr, ForeignRef references, boolean identity, boolean check) {

    public boolean hasDefault() {
        return !defaultExpr.isEmpty();
    }
}
