package dev.backendteam.orchestrator.engine;

import java.util.Locale;

public enum StepStatus {
    RUNNING, SUCCEEDED, FAILED, NEEDS_INPUT, SKIPPED, CANCELLED;

    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static StepStatus of(String wire) {
        return valueOf(wire.toUpperCase(Locale.ROOT));
    }
}
