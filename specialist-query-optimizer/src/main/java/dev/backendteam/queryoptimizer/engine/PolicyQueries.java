package dev.backendteam.queryoptimizer.engine;

import dev.backendteam.queryoptimizer.advisor.Identifiers;
import dev.backendteam.queryoptimizer.plan.WorkloadQuery;
import dev.backendteam.sandbox.JwtClaims;
import dev.backendteam.sandbox.SandboxDatabase;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * What the Data API does with a table whose policies filter on columns: a signed-in user lists the rows they may
 * see. Each such table gets the query {@code select count(*) from <table>} run as {@code authenticated} with the
 * claims of the busiest user (the one most rows point at), so the planner plans the policies' conditions and an index
 * on a policy column is proven like any other: by a query that gets cheaper.
 */
final class PolicyQueries {
    private static final String USER_COLUMNS = """
            select n.nspname as schema, c.relname as "table", a.attname as "column"
              from pg_constraint k
              join pg_class c on c.oid = k.conrelid
              join pg_namespace n on n.oid = c.relnamespace
              join pg_attribute a on a.attrelid = k.conrelid and a.attnum = k.conkey[1]
             where k.contype = 'f' and k.confrelid = 'auth.users'::regclass and array_length(k.conkey, 1) = 1
             order by n.nspname, c.relname, a.attnum
            """;

    private PolicyQueries() {
    }

    static List<WorkloadQuery> of(SandboxDatabase db, Map<String, List<String>> policyColumns) {
        if (policyColumns.isEmpty()) {
            return List.of();
        }
        UUID user = busiestUser(db, policyColumns);
        if (user == null) {
            return List.of();
        }
        List<WorkloadQuery> out = new ArrayList<>();
        for (String table : policyColumns.keySet()) {
            String[] p = table.split("\\.", 2);
            out.add(new WorkloadQuery(name(p[0], p[1]), "select count(*) from " + quote(p[0]) + "." + quote(p[1]), null,
                    "authenticated", JwtClaims.authenticated(user), "policy"));
        }
        return out;
    }

    /** {@code policy:task}, or {@code policy:app.task} outside public: one name per table. */
    static String name(String schema, String table) {
        return "policy:" + ("public".equals(schema) ? "" : schema + ".") + table;
    }

    /** The user most rows of the policy tables (or, failing that, of any table) point at. */
    private static UUID busiestUser(SandboxDatabase db, Map<String, List<String>> policyColumns) {
        List<Map<String, Object>> columns = db.query(USER_COLUMNS);
        Map<String, Object> pick = columns.stream()
                .filter(c -> policyColumns.containsKey(c.get("schema") + "." + c.get("table"))).findFirst()
                .orElse(columns.isEmpty() ? null : columns.get(0));
        if (pick == null) {
            return null;
        }
        List<Map<String, Object>> rows = db.query("select " + quote(String.valueOf(pick.get("column"))) + " as u from "
                + quote(String.valueOf(pick.get("schema"))) + "." + quote(String.valueOf(pick.get("table")))
                + " group by 1 order by count(*) desc limit 1");
        return rows.isEmpty() || rows.get(0).get("u") == null ? null : UUID.fromString(String.valueOf(rows.get(0)
                .get("u")));
    }

    private static String quote(String name) {
        return Identifiers.quote(name);
    }
}
