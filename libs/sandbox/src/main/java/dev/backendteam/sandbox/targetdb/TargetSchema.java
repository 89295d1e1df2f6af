package dev.backendteam.sandbox.targetdb;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
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
    private static final String SCHEMA = resource("schema.sql");

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

    private static String resource(String name) {
        try (InputStream in = TargetSchema.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("missing resource targetdb/" + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
