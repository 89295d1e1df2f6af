package dev.backendteam.sandbox.targetdb;

import java.util.List;
import java.util.Map;

/**
 * A target's schema as a DDL script (targetdb/schema.sql), read in read-only transactions, so that a review runs on a
 * copy in the sandbox and nothing is written to the target.
 *
 * @param ddl     the script, in the order it applies; function bodies are not checked while it runs
 * @param objects how many objects (statements) it holds
 */
public record TargetSchema(String ddl, int objects) {
    private static final String SCHEMA = TargetSql.read("schema.sql");

    /** The objects of these schemas (extensions, types, tables, functions, …, policies and Data API grants). */
    public static TargetSchema read(TargetDatabase target, List<String> schemas) {
        StringBuilder ddl = new StringBuilder("set check_function_bodies = off;\n");
        int objects = 0;
        for (Map<String, Object> row : target.query(SCHEMA, "{" + String.join(",", schemas) + "}")) {
            String statement = String.valueOf(row.get("ddl")).strip();
            ddl.append(statement).append(statement.endsWith(";") ? "" : ";").append("\n");
            objects++;
        }
        return new TargetSchema(ddl.toString(), objects);
    }

}
