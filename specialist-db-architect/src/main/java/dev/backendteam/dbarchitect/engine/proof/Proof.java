package dev.backendteam.dbarchitect.engine.proof;

import dev.backendteam.contract.Evidence;
import dev.backendteam.contract.Finding;

import java.util.List;

/**
 * What a prover really ran: {@code evidence} (each check with its result and timing) and {@code findings} (errors
 * with the script's line, limitations). No evidence means nothing was proven — never that everything passed.
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

    public boolean ran() {
        return !evidence.isEmpty();
    }

    public List<Evidence> failed() {
        return evidence.stream().filter(e -> !e.passed()).toList();
    }

    public boolean passed() {
        return failed().isEmpty();
    }

    /** Whether the check named {@code check} ran and failed. */
    public boolean failed(String check) {
        return evidence.stream().anyMatch(e -> e.check().equals(check) && !e.passed());
    }
}
