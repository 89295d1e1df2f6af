package dev.backendteam.contract;

import java.util.List;

/** What a specialist engine decided for one task; the service wraps it into a {@link ResultEvent}. */
public record StepOutcome(ResultStatus status, String reason, FailureKind failureKind, String question,
        List<Artifact> artifacts, List<Finding> findings, List<Evidence> evidence, Handoff handoff) {

    public StepOutcome {
        artifacts = artifacts == null ? List.of() : List.copyOf(artifacts);
        findings = findings == null ? List.of() : List.copyOf(findings);
        evidence = evidence == null ? List.of() : List.copyOf(evidence);
    }

    public static StepOutcome succeeded(List<Artifact> artifacts, List<Finding> findings, List<Evidence> evidence,
            Handoff handoff) {
        return new StepOutcome(ResultStatus.SUCCEEDED, null, null, null, artifacts, findings, evidence, handoff);
    }

    /** A validation that produced these checks (some perhaps {@code not_run}) and nothing else. */
    public static StepOutcome checked(Evidence... evidence) {
        return succeeded(List.of(), List.of(), List.of(evidence), null);
    }

    public static StepOutcome failed(FailureKind kind, String reason, List<Finding> findings) {
        return new StepOutcome(ResultStatus.FAILED, reason, kind, null, null, findings, null, null);
    }

    public static StepOutcome needsInput(String question, List<Finding> findings) {
        return new StepOutcome(ResultStatus.NEEDS_INPUT, null, null, question, null, findings, null, null);
    }
}
