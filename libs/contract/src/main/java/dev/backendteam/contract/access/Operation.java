package dev.backendteam.contract.access;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

import java.util.Locale;

/** The four things a Data API role may do to a table's rows. */
public enum Operation {
    SELECT, INSERT, UPDATE, DELETE;

    @JsonValue
    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    @JsonCreator
    public static Operation of(String wire) {
        return valueOf(wire.toUpperCase(Locale.ROOT));
    }
}
