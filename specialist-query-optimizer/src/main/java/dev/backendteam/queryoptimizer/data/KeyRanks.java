package dev.backendteam.queryoptimizer.data;

import dev.backendteam.sandbox.SandboxDatabase;
import dev.backendteam.sandbox.ScriptResult;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A parent's real keys, numbered once (rank 0…n-1) in an unlogged helper table of the schema qo_gen, so that a
 * child's rows can draw a rank with skew and join on it, whatever the key's type (uuid, bigint, composite).
 */
final class KeyRanks {
    static final String SCHEMA = "qo_gen";

    /** A helper table: its name, its rank and key columns c0, c1…, and how many keys it holds. */
    record Ranked(String table, long count) {
        String column(int i) {
            return "c" + i;
        }
    }

    private final Map<String, Ranked> made = new HashMap<>();
    private int next;

    /** The numbered keys of {@code parent} (columns in the foreign key's order); null with the error if it failed. */
    Ranked of(SandboxDatabase db, String parentSql, String parentName, List<String> columns, List<String> errors) {
        String key = parentName + "(" + String.join(",", columns) + ")";
        Ranked r = made.get(key);
        if (r != null) {
            return r;
        }
        String table = SCHEMA + ".k" + (++next);
        StringBuilder cols = new StringBuilder();
        StringBuilder notNull = new StringBuilder();
        StringBuilder order = new StringBuilder();
        for (int i = 0; i < columns.size(); i++) {
            String c = Sql.ident(columns.get(i));
            cols.append(", ").append(c).append(" as c").append(i);
            notNull.append(i == 0 ? " where " : " and ").append(c).append(" is not null");
            order.append(i == 0 ? "" : ", ").append(c);
        }
        ScriptResult made = db.apply("create unlogged table " + table + " as select (row_number() over (order by "
                + order + ") - 1)::bigint as rank" + cols + " from " + parentSql + notNull + ";\n"
                + "analyze " + table);
        if (!made.ok()) {
            errors.add(made.error().describe());
            return null;
        }
        long count = ((Number) db.query("select count(*) as n from " + table).get(0).get("n")).longValue();
        r = new Ranked(table, count);
        this.made.put(key, r);
        return r;
    }

    /** Forgets the helpers of a table whose keys changed. */
    void forget(String parentName) {
        made.keySet().removeIf(k -> k.startsWith(parentName + "("));
    }
}
