package dev.backendteam.dbarchitect.engine.sql;

import java.util.List;

/** {@code references table (columns) on delete …}; {@code onDelete} is null when the clause is absent. */
public record ForeignRef(QName table, List<String> columns, String onDelete, Token at) {
}
