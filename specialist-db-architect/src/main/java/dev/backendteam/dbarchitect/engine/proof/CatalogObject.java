package dev.backendteam.dbarchitect.engine.proof;

import dev.backendteam.dbarchitect.engine.sql.Identifiers;

/**
 * A relation or a column a diagnosis names, as the server spells it (case kept): {@code schema} null means the search
 * path's (public), {@code column} null a relation, {@code table} null a column whose relation the error did not say.
 * {@code sequence}: the statement needs the relation as a sequence (the regclass of nextval()), else as a table, a view
 * or a foreign table — a relation of the other kind does not count as present.
 */
public record CatalogObject(String schema, String table, String column, boolean sequence) {

    public CatalogObject(String schema, String table, String column) {
        this(schema, table, column, false);
    }

    /** The pg_class relkinds that hold what the statement needs. */
    public String relkinds() {
        return sequence ? "S" : "rpvmf";
    }

    public boolean isColumn() {
        return column != null;
    }

    /** {@code public.comments}, {@code public.comments.body}, or {@code body} when the relation is unknown. */
    public String describe() {
        if (table == null) {
            return column;
        }
        String relation = (schema == null ? "public" : schema) + "." + table;
        return column == null ? relation : relation + "." + column;
    }

    /** Quoted as SQL wherever the names need it: {@code public."Comments"}. */
    public String relationSql() {
        return Identifiers.qualified(schema == null ? "public" : schema, table);
    }
}
