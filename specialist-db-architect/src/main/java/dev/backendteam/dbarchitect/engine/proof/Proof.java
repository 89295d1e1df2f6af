package dev.backendteam.dbarchitect.engine.proof;

import dev.backendteam.contract.Evidence;
import dev.backendteam.contract.Finding;

import java.util.List;

/**
 * What a prover ran: {@code evidence} (each check with its result and timing, or {@code not_run} with the reason)
 * and {@code findings} (errors with the script's line, limitations). A check that did not run is never counted as
 * passed; only a check that ran and failed counts as failed.
 * {@code unavailable} says why the proof could not run at all (the sandbox server was unreachable): the step is then
 * worth retrying.
 */
public record Proof(List<Evidence> evidence, List<Finding> findings, String unavailable) {

    public Proof {
        evidence = List.copyOf(evidence);
        findings = List.copyOf(findings);
    }

    public Proof(List<Evidence> evidence, List<Finding> findings) {
        this(evidence, findings, null);
    }

    public static Proof unavailable(String reason, List<Evidence> evidence) {
        return new Proof(evidence, List.of(Finding.info("proof.sandbox-unavailable", null, reason)), reason);
    }

    /** Whether any check really ran. */
    public boolean ran() {
        return evidence.stream().anyMatch(Evidence::ran);
    }

    public List<Evidence> failed() {
        return evidence.stream().filter(Evidence::failed).toList();
    }

    public boolean passed() {
        return failed().isEmpty();
    }

    /** Whether the check named {@code check} ran and failed. */
    public boolean failed(String check) {
        return evidence.stream().anyMatch(e -> e.check().equals(check) && e.failed());
    }
}
