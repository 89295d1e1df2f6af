package dev.backendteam.queryoptimizer.data;

import java.util.List;
import java.util.Optional;

/** One table as the generator sees it in the catalog: what it must fill and the constraints it must keep. */
record CatalogTable(long oid, String schema, String name, List<Column> columns, List<UniqueKey> uniqueKeys,
                    List<ForeignKey> foreignKeys, List<Check> checks) {

    String qualified() {
        return schema + "." + name;
    }

    /** The table as SQL, quoted. */
    String sql() {
        return Sql.ident(schema) + "." + Sql.ident(name);
    }

    Optional<Column> column(String column) {
        return columns.stream().filter(c -> c.name().equals(column)).findFirst();
    }

    /**
     * A column and its type: {@code baseType} is the type under any domain (with its typmod), {@code elementType}
     * the pg_type name of the base (of its element, for an array), {@code elementKind} its typtype (b base, e enum…),
     * {@code domainChecks} the domains' checks with VALUE standing for the column.
     */
    record Column(String name, String declaredType, String baseType, boolean isArray, String elementType,
                  String elementTypeSql, String elementKind, List<String> enumLabels, int typmod,
                  List<String> domainChecks, boolean notNull, String defaultExpr, boolean identity, boolean generated) {

        /** Identity, generated and serial columns are the database's to fill. */
        boolean leftToDatabase() {
            return identity || generated || (defaultExpr != null && defaultExpr.startsWith("nextval("));
        }
    }

    record UniqueKey(String name, boolean primary, List<String> columns) {
    }

    record ForeignKey(String name, String parentSchema, String parentTable, List<String> columns,
                      List<String> parentColumns) {

        String parent() {
            return parentSchema + "." + parentTable;
        }
    }

    record Check(String name, String expression, List<String> columns) {
    }
}
