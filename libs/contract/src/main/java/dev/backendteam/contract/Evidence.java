package dev.backendteam.contract;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

import java.util.Objects;

/**
 * A check, with its result and timing. Nothing is "validated" without one that {@link EvidenceStatus#PASSED passed};
 * a check that could not run says so ({@link EvidenceStatus#NOT_RUN}, the reason in {@code details}).
 * {@code sandbox} says what a proof ran on (the grant model and the PostgreSQL version), {@code data} carries a
 * structured payload of a known kind (an RLS matrix, plan costs, a catalog diff), rendered as a table in the report.
 * {@code passed} stays on the wire for readers of contract version 1 that know no {@code status}.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record Evidence(String check, EvidenceStatus status, String details, long durationMs, SandboxRun sandbox,
        EvidenceData data) {

    /** Where a proof ran: the sandbox's grant model ({@code explicit} or {@code legacy}) and server version. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record SandboxRun(String grants, String postgres) {
    }

    public Evidence {
        Objects.requireNonNull(check, "check");
        Objects.requireNonNull(status, "status");
    }

    public Evidence(String check, boolean passed, String details, long durationMs) {
        this(check, passed ? EvidenceStatus.PASSED : EvidenceStatus.FAILED, details, durationMs, null, null);
    }

    /** A check that should have run and did not; {@code reason} says why. */
    public static Evidence notRun(String check, String reason) {
        return new Evidence(check, EvidenceStatus.NOT_RUN, reason, 0, null, null);
    }

    @JsonCreator
    static Evidence read(@JsonProperty("check") String check, @JsonProperty("status") EvidenceStatus status,
            @JsonProperty("passed") Boolean passed, @JsonProperty("details") String details,
            @JsonProperty("durationMs") long durationMs, @JsonProperty("sandbox") SandboxRun sandbox,
            @JsonProperty("data") EvidenceData data) {
        EvidenceStatus s = status != null ? status
                : Boolean.TRUE.equals(passed) ? EvidenceStatus.PASSED : EvidenceStatus.FAILED;
        return new Evidence(check == null ? "(unnamed check)" : check, s, details, durationMs, sandbox, data);
    }

    @JsonProperty("passed")
    public boolean passed() {
        return status == EvidenceStatus.PASSED;
    }

    public boolean failed() {
        return status == EvidenceStatus.FAILED;
    }

    public boolean ran() {
        return status != EvidenceStatus.NOT_RUN;
    }

    public Evidence on(SandboxRun where) {
        return new Evidence(check, status, details, durationMs, where, data);
    }

    public Evidence with(EvidenceData payload) {
        return new Evidence(check, status, details, durationMs, sandbox, payload);
    }
}
