package dev.backendteam.queryoptimizer.rewrite;

import java.math.BigDecimal;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Parameter values as the argument list of EXECUTE. Numbers and booleans stand as themselves; anything else as a
 * quoted constant of unknown type, which PostgreSQL coerces to the type PREPARE inferred for that parameter.
 */
final class SqlLiteral {
    private SqlLiteral() {
    }

    /** {@code (v1, v2, …)}, or nothing for no parameters (EXECUTE takes no empty list). */
    static String arguments(List<Object> values) {
        return values.isEmpty() ? "" : values.stream().map(SqlLiteral::of).collect(Collectors.joining(", ", "(", ")"));
    }

    static String of(Object v) {
        if (v == null) {
            return "null";
        }
        if (v instanceof BigDecimal d) {
            return d.toPlainString();
        }
        if (v instanceof Integer || v instanceof Long || v instanceof Short || v instanceof Byte) {
            return v.toString();
        }
        if (v instanceof Double || v instanceof Float) {
            return "'" + v + "'";
        }
        if (v instanceof Boolean b) {
            return b.toString();
        }
        // standard_conforming_strings is on in every supported PostgreSQL: only the quote needs doubling
        return "'" + v.toString().replace("'", "''") + "'";
    }
}
