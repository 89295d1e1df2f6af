package dev.backendteam.dbarchitect.engine.sql;

import java.util.List;

/**
 * A table constraint in CREATE TABLE or ALTER TABLE … ADD. {@code name} is null when unnamed; {@code usingIndex} is
 * {@code UNIQUE USING INDEX} / {@code PRIMARY KEY USING INDEX}.
 */
public record TableConstraint(String name, Kind kind, List<String> columns, ForeignRef references, boolean notValid,
        boolean usingIndex, Token at) {

    public enum Kind {
        PRIMARY_KEY, UNIQUE, CHECK, FOREIGN_KEY, EXCLUDE
    }
}
