package dev.backendteam.queryoptimizer.data;

import java.util.List;
import java.util.Map;

/**
 * What the generator made.
 *
 * @param rows   "schema.table" → rows now in it, in fill order
 * @param scale  1.0, or the one factor every table's rows were scaled by to stay within the row budget
 * @param millis how long filling and analyzing took
 * @param notes  the assumptions made and the problems met, as sentences for the report
 */
public record GenerationReport(Map<String, Long> rows, double scale, long millis, List<String> notes) {

    public GenerationReport {
        rows = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(rows));
        notes = List.copyOf(notes);
    }

    public long totalRows() {
        return rows.values().stream().mapToLong(Long::longValue).sum();
    }
}
