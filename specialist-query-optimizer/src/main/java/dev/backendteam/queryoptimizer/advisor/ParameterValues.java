package dev.backendteam.queryoptimizer.advisor;

import dev.backendteam.queryoptimizer.plan.Predicate;
import dev.backendteam.queryoptimizer.plan.RelationUse;
import dev.backendteam.queryoptimizer.plan.WorkloadQuery;
import dev.backendteam.queryoptimizer.sql.SqlText;
import dev.backendteam.sandbox.SandboxDatabase;
import dev.backendteam.sandbox.SandboxSqlException;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Values for a query's {@code $n} when it is run for real, taken from the generated data so the run looks like a
 * typical call: an equality gets the value of a sampled row (hot values come up as often as they are called), a
 * lower bound the 90th percentile and an upper bound the 10th (a selective range, as a "recent rows" query is), a
 * pattern a piece of a real value, LIMIT 20 and OFFSET 100. A parameter the plan does not tie to a column stays null.
 */
public final class ParameterValues {
    private static final Pattern PARAMETER = Pattern.compile("\\$(\\d+)");
    private static final Pattern CAST = Pattern.compile("\\$(\\d+)::((?:timestamp|time) with(?:out)? time zone|[a-z_]+)");
    /** A call's typical value of a type a parameter is cast to, where a column sample does not fit. */
    private static final Map<String, String> TYPICAL = Map.of("interval", "7 days", "integer", "1", "int", "1",
            "bigint", "1", "numeric", "1", "boolean", "true", "bool", "true", "text", "a");

    private ParameterValues() {
    }

    public static List<String> of(SandboxDatabase db, WorkloadQuery q, List<RelationUse> uses) {
        return values(db, q, uses, false);
    }

    /**
     * Values for the busiest call: an equality gets the most common value of its column (the hot owner, the
     * dominant status), the rest as {@link #of}. Skew is where a generic plan's average hides the cost.
     */
    public static List<String> hot(SandboxDatabase db, WorkloadQuery q, List<RelationUse> uses) {
        return values(db, q, uses, true);
    }

    private static List<String> values(SandboxDatabase db, WorkloadQuery q, List<RelationUse> uses, boolean hot) {
        int n = q.parameters();
        List<String> values = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            values.add(null);
        }
        int limit = SqlText.parameterAfter(q.sql(), "limit");
        int offset = SqlText.parameterAfter(q.sql(), "offset");
        if (limit > 0) {
            values.set(limit - 1, "20");
        }
        if (offset > 0) {
            values.set(offset - 1, "100");
        }
        for (RelationUse u : uses) {
            for (Predicate p : u.predicates()) {
                if (p.operand() != Predicate.Operand.PARAMETER) {
                    continue;
                }
                Matcher m = PARAMETER.matcher(p.text());
                if (!m.find()) {
                    continue;
                }
                int index = Integer.parseInt(m.group(1)) - 1;
                if (index >= n || values.get(index) != null) {
                    continue;
                }
                String v = sample(db, u, p, hot);
                // = ANY ($1) takes an array: the sampled value as a one-element array literal
                values.set(index, v != null && p.op().equals("= ANY")
                        ? "{\"" + v.replace("\\", "\\\\").replace("\"", "\\\"") + "\"}" : v);
            }
        }
        castable(db, q.sql(), values);
        return values;
    }

    /**
     * A parameter the statement casts ({@code now() - $2::interval}, as pg_stat_statements' typed literals become)
     * must hold a value of that type: a column's value sampled for it (the plan ties {@code $2} to
     * {@code created_at}) is replaced by a typical value of the type, or null when there is none.
     */
    private static void castable(SandboxDatabase db, String sql, List<String> values) {
        Matcher m = CAST.matcher(sql);
        while (m.find()) {
            int index = Integer.parseInt(m.group(1)) - 1;
            String type = m.group(2).strip().toLowerCase(Locale.ROOT);
            if (index >= values.size()) {
                continue;
            }
            String v = values.get(index);
            if (v != null && fits(db, v, type)) {
                continue;
            }
            values.set(index, TYPICAL.get(type));
        }
    }

    private static boolean fits(SandboxDatabase db, String value, String type) {
        try {
            db.query("select '" + value.replace("'", "''") + "'::" + type + " as v");
            return true;
        } catch (SandboxSqlException e) {
            return false;
        }
    }

    private static String sample(SandboxDatabase db, RelationUse u, Predicate p, boolean hot) {
        String column = p.column() ? p.key() : innerColumn(p.key());
        if (column == null) {
            return null;
        }
        String table = Identifiers.quote(u.schema() == null ? "public" : u.schema()) + "." + Identifiers.quote(
                u.table());
        String col = Identifiers.quote(column);
        String sql;
        if (p.isRange()) {
            double at = p.op().startsWith(">") ? 0.9 : 0.1;
            sql = "select (percentile_disc(" + at + ") within group (order by " + col + "))::text as v from " + table;
        } else if (p.isPatternMatch()) {
            sql = "select substr(" + col + "::text, 2, 4) as v from " + table + " where length(" + col
                    + "::text) > 5 limit 1";
        } else if (hot) {
            sql = "select " + col + "::text as v from " + table + " where " + col + " is not null group by " + col
                    + " order by count(*) desc limit 1";
        } else {
            sql = "select " + col + "::text as v from " + table + " tablesample system (5) repeatable (7) where " + col
                    + " is not null limit 1";
        }
        try {
            List<Map<String, Object>> rows = db.query(sql);
            if (rows.isEmpty() && !p.isRange() && !p.isPatternMatch()) {
                rows = db.query("select " + col + "::text as v from " + table + " where " + col + " is not null limit 1");
            }
            return rows.isEmpty() ? null : (String) rows.get(0).get("v");
        } catch (SandboxSqlException e) {
            return null;
        }
    }

    /** The one column inside an expression key such as {@code lower(email)}. */
    private static String innerColumn(String expr) {
        Matcher m = Pattern.compile("\\(([a-z_][a-z0-9_]*)\\)").matcher(expr);
        return m.find() ? m.group(1) : null;
    }
}
