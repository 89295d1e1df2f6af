package dev.backendteam.contract;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

import java.util.Locale;

/**
 * Why a step failed. Only timeouts, crashes and transient errors are retried (BRIEF §2); a step that failed on
 * its merits fails the job at once.
 */
public enum FailureKind {
    /** A dependency was briefly unavailable (sandbox busy, connection refused). */
    TRANSIENT(true),
    /** The step ran past its deadline. */
    TIMEOUT(true),
    /** The engine threw unexpectedly or its service died. */
    CRASH(true),
    /** The input cannot be worked on (malformed spec, SQL that does not parse). */
    INVALID_INPUT(false),
    /** The artifact was produced but its proof failed. */
    PROOF_FAILED(false),
    /** The result would exceed the message size limit. */
    TOO_LARGE(false),
    /** The model provider failed after the model session's own bounded retries; retrying the step would repeat them. */
    MODEL(false),
    /** A model call would have taken the job past its token budget. */
    BUDGET(false);

    private final boolean retryable;

    FailureKind(boolean retryable) {
        this.retryable = retryable;
    }

    public boolean retryable() {
        return retryable;
    }

    @JsonValue
    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    @JsonCreator
    public static FailureKind of(String wire) {
        try {
            return valueOf(wire.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            // A newer service's kind this reader does not know: a failure on its merits, never retried blindly.
            return INVALID_INPUT;
        }
    }
}
