package dev.backendteam.ops.engine;

import java.util.Locale;
import java.util.Optional;

/** The three roles of the ops service; the orchestrator names one in each task's {@code role} field. */
public enum OpsRole {
    DEPLOYMENT, DEBUGGER, MONITOR;

    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<OpsRole> of(String wire) {
        if (wire == null) {
            return Optional.empty();
        }
        for (OpsRole role : values()) {
            if (role.wire().equals(wire.trim().toLowerCase(Locale.ROOT))) {
                return Optional.of(role);
            }
        }
        return Optional.empty();
    }
}
