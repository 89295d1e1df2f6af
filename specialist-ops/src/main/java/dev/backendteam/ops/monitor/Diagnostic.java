package dev.backendteam.ops.monitor;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import dev.backendteam.contract.Severity;
import dev.backendteam.contract.Specialist;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One diagnostic of the monitor's catalogue (monitor/catalogue.yaml): its rule id and title, its query (an SQL file of
 * monitor/sql/, or {@code source: pg_stat_statements}), its thresholds by setting name with their defaults, the
 * severity, message and fix of its findings, the specialist that owns the fix ({@code handoff}, null: ops's own), and
 * the columns that carry a session's query text, whose literals are replaced before they reach a finding
 * ({@code redact}).
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record Diagnostic(String id, String title, String sql, String shared, String source,
        Map<String, Double> thresholds, Severity severity, String message, String fix, String handoff, String skipped,
        String doc, List<String> redact) {
    static final String PG_STAT_STATEMENTS = "pg_stat_statements";

    public Diagnostic {
        thresholds = thresholds == null ? Map.of() : java.util.Collections.unmodifiableMap(new LinkedHashMap<>(thresholds));
        redact = redact == null ? List.of() : List.copyOf(redact);
        if (id == null || title == null || severity == null || message == null) {
            throw new IllegalArgumentException("a diagnostic needs id, title, severity and message: " + id);
        }
        if ((sql == null) == (source == null)) {
            throw new IllegalArgumentException(id + ": give either sql or source");
        }
    }

    /** The specialist that owns the fix, or null when the fix is ops's own (a setting, a vacuum). */
    public Specialist owner() {
        return handoff == null || handoff.isBlank() ? null : Specialist.of(handoff);
    }

    boolean readsStatements() {
        return PG_STAT_STATEMENTS.equals(source);
    }
}
