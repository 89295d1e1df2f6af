package dev.backendteam.ops.monitor;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The monitor's settings: every threshold of the catalogue by its setting name ({@code backend-team.monitor.<name>}),
 * and the statement timeout of each query on a target.
 */
public record MonitorSettings(Map<String, Double> thresholds, Duration statementTimeout) {
    public static final String PREFIX = "backend-team.monitor.";
    public static final Duration DEFAULT_STATEMENT_TIMEOUT = Duration.ofSeconds(10);

    public MonitorSettings {
        thresholds = Map.copyOf(thresholds);
        if (statementTimeout == null || statementTimeout.isNegative() || statementTimeout.isZero()) {
            throw new IllegalArgumentException("the monitor's statement timeout must be positive");
        }
    }

    /** The catalogue's defaults. */
    public static MonitorSettings defaults(MonitorCatalogue catalogue) {
        return new MonitorSettings(catalogue.defaults(), DEFAULT_STATEMENT_TIMEOUT);
    }

    /** The same settings with one threshold changed; a name the catalogue does not know is refused. */
    public MonitorSettings with(String name, double value) {
        if (!thresholds.containsKey(name)) {
            throw new IllegalArgumentException("no monitor threshold " + name + "; known: " + thresholds.keySet());
        }
        Map<String, Double> t = new LinkedHashMap<>(thresholds);
        t.put(name, value);
        return new MonitorSettings(t, statementTimeout);
    }

    public double threshold(String name) {
        Double v = thresholds.get(name);
        if (v == null) {
            throw new IllegalArgumentException("no monitor threshold " + name);
        }
        return v;
    }
}
