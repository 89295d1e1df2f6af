package dev.backendteam.contract;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

import java.util.Locale;

public enum ArtifactKind {
    /** SQL named by purpose, with its down script; numbered 001… by the orchestrator when it assembles the bundle. */
    MIGRATION,
    /** Any other file: Dockerfile, Railway config, CI workflow, edge function. */
    FILE,
    /** TypeScript row types. */
    TYPES,
    /** Mermaid diagram. */
    DIAGRAM;

    @JsonValue
    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    @JsonCreator
    public static ArtifactKind of(String wire) {
        return valueOf(wire.toUpperCase(Locale.ROOT));
    }
}
