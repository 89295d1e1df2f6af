package dev.backendteam.dbarchitect.engine.design;

import dev.backendteam.dbarchitect.engine.sql.ColumnDef;
import dev.backendteam.dbarchitect.engine.sql.Ddl;
import dev.backendteam.dbarchitect.engine.sql.DdlParser;
import dev.backendteam.dbarchitect.engine.sql.QName;
import dev.backendteam.dbarchitect.engine.sql.SqlScript;
import dev.backendteam.dbarchitect.engine.sql.Statement;
import dev.backendteam.dbarchitect.engine.sql.TableConstraint;
import dev.backendteam.dbarchitect.engine.sql.TypeRef;

import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The tables and functions that exist before this step's migrations: those of the user's SQL and of the bundle's
 * earlier migrations, read from their CREATE and DROP statements. A spec may reference these tables; an entity that
 * already exists is not created again.
 */
public record ExistingSchema(Map<String, Table> tables, Set<String> functions) {

    /** {@code primaryKeyType} is null when the table has no single-column primary key. */
    public record Table(String key, String schema, String name, String source, String primaryKeyColumn,
            String primaryKeyType) {
    }

    /** A script and where it comes from ("sql", or a migration's name). */
    public record Script(String source, String sql) {
    }

    public static ExistingSchema empty() {
        return new ExistingSchema(Map.of(), Set.of());
    }

    public static ExistingSchema scan(List<Script> scripts) {
        Map<String, Table> tables = new LinkedHashMap<>();
        Set<String> functions = new HashSet<>();
        for (Script script : scripts) {
            if (script.sql() == null) {
                continue;
            }
            for (Statement s : SqlScript.parse(script.sql()).statements()) {
                if (!s.problems().isEmpty()) {
                    continue;
                }
                Ddl d = DdlParser.parse(s);
                if (d instanceof Ddl.CreateTable t && t.table() != null) {
                    tables.put(t.table().key(), table(script.source(), t));
                } else if (d instanceof Ddl.DropTable dt) {
                    dt.tables().forEach(q -> tables.remove(q.key()));
                } else if (d instanceof Ddl.CreateOther o && o.kind().equals("function") && o.name() != null) {
                    functions.add(o.name().key());
                }
            }
        }
        return new ExistingSchema(Map.copyOf(tables), Set.copyOf(functions));
    }

    private static Table table(String source, Ddl.CreateTable t) {
        QName q = t.table();
        String pkColumn = null;
        TypeRef pkType = null;
        for (ColumnDef c : t.columns()) {
            if (c.primaryKey()) {
                pkColumn = c.name();
                pkType = c.type();
            }
        }
        for (TableConstraint tc : t.constraints()) {
            if (tc.kind() == TableConstraint.Kind.PRIMARY_KEY && tc.columns().size() == 1) {
                pkColumn = tc.columns().get(0);
                for (ColumnDef c : t.columns()) {
                    if (c.name().equals(pkColumn)) {
                        pkType = c.type();
                    }
                }
            }
        }
        return new Table(q.key(), q.schema() == null ? "public" : q.schema(), q.name(), source, pkColumn,
                pkType == null ? null : keyType(pkType));
    }

    /** The type a foreign key referencing a key of this type must have. */
    private static String keyType(TypeRef t) {
        return switch (t.base()) {
            case "serial" -> "integer";
            case "bigserial" -> "bigint";
            case "smallserial" -> "smallint";
            default -> t.base() + t.modifiers();
        };
    }

    /** The table a spec target names: {@code name} (in public) or {@code schema.name}. */
    public Optional<Table> find(String target) {
        return Optional.ofNullable(tables.get(target.contains(".") ? target : "public." + target));
    }

    public boolean hasFunction(String qualifiedName) {
        return functions.contains(qualifiedName);
    }
}
