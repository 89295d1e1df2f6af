package dev.backendteam.queryoptimizer.data;

import java.util.List;
import java.util.Map;

/**
 * What a real database's planner statistics say of one table ({@code pg_class.reltuples} and {@code pg_stats}): the
 * shape the generated data reproduces, since PostgreSQL before 18 cannot import statistics.
 *
 * @param reltuples the table's estimated rows (-1 or 0: never analyzed)
 * @param columns   by column name
 */
public record TableStatistics(String schema, String table, double reltuples, Map<String, Column> columns) {

    public TableStatistics {
        columns = columns == null ? Map.of() : Map.copyOf(columns);
    }

    /**
     * One column of {@code pg_stats}, values as text.
     *
     * @param nullFrac         fraction of rows that are null
     * @param nDistinct        distinct values: positive a count, negative minus the fraction of rows (-1: unique)
     * @param mostCommonValues the most common values, most frequent first
     * @param mostCommonFreqs  their fractions of all rows, in the same order
     * @param histogramBounds  bounds of equal-population buckets of the other values (may be empty)
     * @param correlation      between physical and logical order, -1…1 (null: not computed)
     */
    public record Column(double nullFrac, double nDistinct, List<String> mostCommonValues, List<Double> mostCommonFreqs,
            List<String> histogramBounds, Double correlation) {

        public Column {
            mostCommonValues = mostCommonValues == null ? List.of() : List.copyOf(mostCommonValues);
            mostCommonFreqs = mostCommonFreqs == null ? List.of() : List.copyOf(mostCommonFreqs);
            histogramBounds = histogramBounds == null ? List.of() : List.copyOf(histogramBounds);
        }
    }
}
