package dev.backendteam.contract;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

import java.util.Locale;

/**
 * How a check came out. {@code not_run} is a check that should have run and did not (no sandbox configured, a
 * missing toolchain, no target database): it is never counted as passed.
 */
public enum EvidenceStatus {
    PASSED, FAILED, NOT_RUN;

    @JsonValue
    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    @JsonCreator
    public static EvidenceStatus of(String wire) {
        return valueOf(wire.toUpperCase(Locale.ROOT));
    }
}
