package dev.backendteam.queryoptimizer.targetdb;

import dev.backendteam.queryoptimizer.data.TableStatistics;
import dev.backendteam.sandbox.targetdb.TargetDatabase;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The planner statistics of a target's tables ({@code pg_class.reltuples}, {@code pg_stats}), read in read-only
 * transactions: the shape the sandbox's generated data must reproduce for its plans to be the target's.
 *
 * <p>pg_stats shows nothing of a column its reader may not select, nor of a table whose row level security applies
 * to it — common on Supabase. Rather than return such a table as if it had no statistics, {@link #read} throws
 * {@link StatisticsUnreadableException} naming the tables, with what could be read.
 */
public final class TargetStatisticsReader {
    private static final String TABLES = Resources.sql("targetdb/tables.sql");
    private static final String COLUMNS = Resources.sql("targetdb/column-statistics.sql");

    private TargetStatisticsReader() {
    }

    /** By "schema.table", every table (also never analyzed ones: reltuples -1 or 0, no columns). */
    public static Map<String, TableStatistics> read(TargetDatabase target, List<String> schemas) {
        String names = dev.backendteam.sandbox.targetdb.TargetSql.textArray(schemas);
        Map<String, Double> reltuples = new LinkedHashMap<>();
        List<String> hidden = new ArrayList<>();
        for (Map<String, Object> row : target.query(TABLES, names)) {
            String key = row.get("schema") + "." + row.get("table");
            reltuples.put(key, ((Number) row.get("reltuples")).doubleValue());
            if (((Number) row.get("hidden")).longValue() > 0) {
                hidden.add(key);
            }
        }
        Map<String, Map<String, TableStatistics.Column>> columns = new HashMap<>();
        for (Map<String, Object> row : target.query(COLUMNS, names)) {
            String key = row.get("schema") + "." + row.get("table");
            columns.computeIfAbsent(key, k -> new LinkedHashMap<>()).put((String) row.get("column"), column(row));
        }
        Map<String, TableStatistics> out = new LinkedHashMap<>();
        reltuples.forEach((key, rows) -> {
            int dot = key.indexOf('.');
            // a name may hold a dot; the schema is the one asked for that the key starts with
            String schema = schemas.stream().filter(s -> key.startsWith(s + ".")).findFirst()
                    .orElse(key.substring(0, dot));
            out.put(key, new TableStatistics(schema, key.substring(schema.length() + 1), rows,
                    columns.getOrDefault(key, Map.of())));
        });
        if (!hidden.isEmpty()) {
            throw new StatisticsUnreadableException(target.name(), hidden, out);
        }
        return out;
    }

    /** pg_stats never lists a null among the most common values or histogram bounds (nulls are null_frac). */
    static TableStatistics.Column column(Map<String, Object> row) {
        List<Double> freqs = new ArrayList<>();
        for (String f : ArrayLiteral.parse((String) row.get("mcf"))) {
            freqs.add(Double.valueOf(f));
        }
        Object correlation = row.get("correlation");
        return new TableStatistics.Column(((Number) row.get("null_frac")).doubleValue(),
                ((Number) row.get("n_distinct")).doubleValue(), ArrayLiteral.parse((String) row.get("mcv")), freqs,
                ArrayLiteral.parse((String) row.get("histogram")),
                correlation == null ? null : ((Number) correlation).doubleValue());
    }
}
