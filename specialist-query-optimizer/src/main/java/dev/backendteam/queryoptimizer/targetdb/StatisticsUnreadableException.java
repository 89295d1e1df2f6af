package dev.backendteam.queryoptimizer.targetdb;

import dev.backendteam.queryoptimizer.data.TableStatistics;

import java.util.List;
import java.util.Map;

/**
 * pg_stats hides some tables' columns from the role reading the target (no SELECT on them, or row level security
 * applies to it): their statistics would silently be missing, so the reader says so. What could be read travels
 * along, for a caller that goes on with it.
 */
public final class StatisticsUnreadableException extends RuntimeException {
    private final transient Map<String, TableStatistics> readable;
    private final List<String> hidden;

    StatisticsUnreadableException(String target, List<String> hidden, Map<String, TableStatistics> readable) {
        super("pg_stats of target " + target + " hides the columns of " + String.join(", ", hidden) + " from its role:"
                + " pg_stats shows a column only to a role that may select it, and nothing of a table whose row level"
                + " security applies to the role; grant the read-only role SELECT on those tables (and BYPASSRLS, or"
                + " read as the owner) to read their statistics");
        this.hidden = List.copyOf(hidden);
        this.readable = Map.copyOf(readable);
    }

    /** "schema.table" of the tables whose columns pg_stats hides, fully or partly. */
    public List<String> hidden() {
        return hidden;
    }

    /** The statistics that could be read, the hidden tables' included with what was visible of them. */
    public Map<String, TableStatistics> readable() {
        return readable;
    }
}
