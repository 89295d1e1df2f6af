package dev.backendteam.ops.debugger;

import java.util.Set;

/** What kind of failure a rule names (BRIEF §6): category, layer and severity, each from a closed set. */
public record Classification(String category, String layer, String severity) {
    static final Set<String> CATEGORIES = Set.of("build", "runtime", "logic", "network", "data");
    static final Set<String> LAYERS = Set.of("database", "application", "messaging", "platform", "build", "runtime");
    static final Set<String> SEVERITIES = Set.of("critical", "major", "minor");

    public Classification {
        check("category", category, CATEGORIES);
        check("layer", layer, LAYERS);
        check("severity", severity, SEVERITIES);
    }

    private static void check(String what, String value, Set<String> allowed) {
        if (!allowed.contains(value)) {
            throw new IllegalArgumentException(what + " '" + value + "' is not one of " + allowed);
        }
    }

    public String label() {
        return category + " / " + layer + " / " + severity;
    }
}
