package dev.backendteam.queryoptimizer.targetdb;

import dev.backendteam.contract.QueryInput;
import dev.backendteam.sandbox.targetdb.TargetDatabase;
import dev.backendteam.sandbox.targetdb.TargetException;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A target's heaviest SELECTs from pg_stat_statements, as the workload to optimise: by total execution time, with
 * the {@code $n} parameters pg_stat_statements normalises constants into, named {@code pgss_<queryid>}, weighed by
 * calls per minute since pg_stat_statements last reset (PostgreSQL 14+) or else since the server started.
 *
 * @param queries     the statements, heaviest first (empty when unavailable)
 * @param unavailable why there are none to read (not installed, not loaded, not readable), or null
 */
public record TopStatements(List<QueryInput> queries, String unavailable) {
    private static final String PGSS = Resources.sql("targetdb/pgss.sql");
    private static final String TOP = Resources.sql("targetdb/top-statements.sql");
    private static final String SINCE = Resources.sql("targetdb/statements-since.sql");

    public TopStatements {
        queries = queries == null ? List.of() : List.copyOf(queries);
    }

    static TopStatements none(String reason) {
        return new TopStatements(List.of(), reason);
    }

    /** At most {@code limit} statements. */
    public static TopStatements read(TargetDatabase target, int limit) {
        Map<String, Object> ext = target.query(PGSS).get(0);
        if (ext.get("schema") == null) {
            return none("pg_stat_statements is not installed on target " + target.name()
                    + " (create extension pg_stat_statements, with it in shared_preload_libraries)");
        }
        if (!Boolean.TRUE.equals(ext.get("reads_all"))) {
            return none("pg_stat_statements is not readable on target " + target.name() + ": its role sees only the"
                    + " text of its own statements; grant it pg_read_all_stats");
        }
        int version = target.serverVersionNum();
        String view = quote((String) ext.get("schema")) + ".pg_stat_statements";
        String top = TOP.replace("{pgss}", view).replace("{time}", version >= 130000 ? "total_exec_time" : "total_time")
                .replace("{toplevel}", version >= 140000 ? "and s.toplevel" : "");
        boolean info = version >= 140000 && versionAtLeast19(ext.get("version"));
        String since = SINCE.replace("{info}", info ? "(select stats_reset from " + quote((String) ext.get("schema"))
                + ".pg_stat_statements_info)" : "null::timestamptz");
        List<Map<String, Object>> rows;
        double minutes;
        try {
            rows = target.query(top, limit);
            minutes = ((Number) target.query(since).get(0).get("minutes")).doubleValue();
        } catch (TargetException e) {
            if ("55000".equals(e.sqlState())) {
                return none("pg_stat_statements is installed on target " + target.name() + " but not loaded: it"
                        + " needs shared_preload_libraries = pg_stat_statements");
            }
            if ("42501".equals(e.sqlState())) {
                return none("pg_stat_statements is not readable on target " + target.name()
                        + ": its role may not select it");
            }
            throw e;
        }
        List<QueryInput> queries = new ArrayList<>();
        for (Map<String, Object> row : rows) {
            double calls = ((Number) row.get("calls")).doubleValue();
            queries.add(new QueryInput("pgss_" + row.get("queryid"), ((String) row.get("query")).strip(),
                    calls / minutes));
        }
        return new TopStatements(queries, null);
    }

    private static boolean versionAtLeast19(Object version) {
        String[] parts = String.valueOf(version).split("\\.");
        try {
            int major = Integer.parseInt(parts[0]);
            int minor = parts.length > 1 ? Integer.parseInt(parts[1]) : 0;
            return major > 1 || minor >= 9;
        } catch (NumberFormatException e) {
            return false;
        }
    }

    private static String quote(String identifier) {
        return "\"" + identifier.replace("\"", "\"\"") + "\"";
    }
}
