package dev.backendteam.contract;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

import java.util.Locale;

/** A step either does work, or (in the validation round) replays the whole bundle and re-runs its proofs. */
public enum TaskKind {
    WORK, VALIDATE;

    @JsonValue
    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    @JsonCreator
    public static TaskKind of(String wire) {
        return valueOf(wire.toUpperCase(Locale.ROOT));
    }
}
