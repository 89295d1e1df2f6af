package dev.backendteam.contract;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

import java.util.Locale;

/** queued → routing → running → (needs_input) → validating → completed | failed | cancelled. */
public enum JobStatus {
    QUEUED, ROUTING, RUNNING, NEEDS_INPUT, VALIDATING, COMPLETED, FAILED, CANCELLED;

    public boolean terminal() {
        return this == COMPLETED || this == FAILED || this == CANCELLED;
    }

    @JsonValue
    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    @JsonCreator
    public static JobStatus of(String wire) {
        return valueOf(wire.toUpperCase(Locale.ROOT));
    }
}
