package dev.backendteam.sandbox.targetdb;

import dev.backendteam.contract.QueryInput;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A target's heaviest SELECTs from pg_stat_statements, as the workload to optimise (query-optimizer) and the
 * statements a diagnosis names (ops monitor): only this database's (dbid), by total execution time, with
 * the {@code $n} parameters pg_stat_statements normalises constants into, named {@code pgss_<queryid>}, weighed by
 * calls per minute since pg_stat_statements last reset (PostgreSQL 14+) or else since the server started.
 *
 * @param statements  the statements, heaviest first (empty when unavailable)
 * @param unavailable why there are none to read (not installed, not loaded, not readable), or null
 */
public record TopStatements(List<Statement> statements, String unavailable) {
    private static final String PGSS = TargetSql.read("pgss.sql");
    private static final String TOP = TargetSql.read("top-statements.sql");
    private static final String SINCE = TargetSql.read("statements-since.sql");
    private static final Pattern TYPED_PARAMETER = Pattern.compile("(?i)(?<![\\w.\"$])(interval|date|timestamptz"
            + "|timestamp(?:\\s+with(?:out)?\\s+time\\s+zone)?|timetz|time(?:\\s+with(?:out)?\\s+time\\s+zone)?"
            + "|uuid|jsonb|json|inet|cidr|money|numeric|bigint|integer|int|smallint|boolean|bool|text|bytea)"
            + "\\s+(\\$\\d+)");

    /**
     * One statement as pg_stat_statements counts it: {@code query} as a named workload query ({@code frequency}: calls
     * per minute), its calls and its total execution time in milliseconds since the counters began.
     */
    public record Statement(QueryInput query, long calls, double totalMs) {

        public double meanMs() {
            return calls == 0 ? 0 : totalMs / calls;
        }
    }

    public TopStatements {
        statements = statements == null ? List.of() : List.copyOf(statements);
    }

    /** The statements as a workload: named {@code pgss_<queryid>}, weighed by calls per minute. */
    public List<QueryInput> queries() {
        return statements.stream().map(Statement::query).toList();
    }

    static TopStatements none(String reason) {
        return new TopStatements(List.of(), reason);
    }

    /** At most {@code limit} statements, none the reading role ran itself. */
    public static TopStatements read(TargetDatabase target, int limit) {
        return read(target, limit, false);
    }

    /**
     * At most {@code limit} statements; {@code withOwnRole}: the reading role's own count too — for a reader that runs
     * only catalog queries (the ops monitor), as the application may be read with its own role.
     */
    public static TopStatements read(TargetDatabase target, int limit, boolean withOwnRole) {
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
                .replace("{toplevel}", version >= 140000 ? "and s.toplevel" : "")
                .replace("{own}", withOwnRole ? ""
                        : "and s.userid <> (select oid from pg_roles where rolname = current_user)");
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
        List<Statement> statements = new ArrayList<>();
        for (Map<String, Object> row : rows) {
            long calls = ((Number) row.get("calls")).longValue();
            statements.add(new Statement(new QueryInput("pgss_" + row.get("queryid"),
                    preparable((String) row.get("query")), calls / minutes), calls,
                    ((Number) row.get("total_ms")).doubleValue()));
        }
        return new TopStatements(statements, null);
    }

    /**
     * pg_stat_statements normalises a typed literal's string into a parameter and keeps its type name in front
     * ({@code interval '7 days'} is shown as {@code interval $2}), which no PREPARE accepts: it becomes a cast
     * ({@code $2::interval}) that means the same.
     */
    static String preparable(String query) {
        return TYPED_PARAMETER.matcher(query.strip()).replaceAll(m -> Matcher.quoteReplacement(m.group(2) + "::"
                + m.group(1).toLowerCase(Locale.ROOT).replaceAll("\\s+", " ")));
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
