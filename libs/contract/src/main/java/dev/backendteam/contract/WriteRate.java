package dev.backendteam.contract;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * How often one table is written, in rows per second: what every index on it costs the writes. Null counts as 0.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record WriteRate(Double inserts, Double updates, Double deletes) {

    /** Rows written per second, all kinds together. */
    public double perSecond() {
        return value(inserts) + value(updates) + value(deletes);
    }

    private static double value(Double d) {
        return d == null ? 0 : d;
    }
}
