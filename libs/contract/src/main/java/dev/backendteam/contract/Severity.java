package dev.backendteam.contract;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

import java.util.Locale;

public enum Severity {
    ERROR, WARN, INFO;

    @JsonValue
    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    @JsonCreator
    public static Severity of(String wire) {
        return valueOf(wire.toUpperCase(Locale.ROOT));
    }
}
