package dev.backendteam.ops.engine;

import dev.backendteam.contract.Clarification;
import dev.backendteam.contract.Finding;
import dev.backendteam.contract.Handoff;
import dev.backendteam.contract.JobInputs;
import dev.backendteam.contract.Role;
import dev.backendteam.contract.Severity;
import dev.backendteam.contract.SpecialistEngine;
import dev.backendteam.contract.StepOutcome;
import dev.backendteam.contract.TaskEvent;

import java.util.ArrayList;
import java.util.List;

/**
 * The ops debugger (BRIEF §6). Only the handoff classification is real so far: errors of its catalogue
 * ({@link DebuggerPatterns}) are reported with their line and fix, and the earliest one hands off to the specialist
 * that owns the fix; classification, root cause and fixes of other failures are not built and it says so.
 */
public final class DebuggerEngine implements SpecialistEngine {
    static final String NO_LOGS_QUESTION = "Paste the error log or stack trace to diagnose: the debugger received no"
            + " logs.";

    private final DebuggerPatterns patterns;

    public DebuggerEngine(DebuggerPatterns patterns) {
        this.patterns = patterns;
    }


    @Override
    public StepOutcome work(TaskEvent task) {
        JobInputs inputs = task.inputs();
        String logs = inputs.hasLogs() ? inputs.logs() : answeredLogs(inputs);
        if (logs == null) {
            return StepOutcome.needsInput(NO_LOGS_QUESTION, List.of());
        }
        List<Finding> findings = new ArrayList<>();
        findings.add(Finding.info("input.logs", null, "logs of " + logs.lines().count() + " line(s), "
                + logs.length() + " characters"));
        List<Diagnosis> diagnoses = patterns.diagnose(logs);
        for (Diagnosis d : diagnoses) {
            findings.add(new Finding(d.rule().id(), Severity.ERROR, d.object(), describe(d), d.rule().fix(),
                    d.line()));
        }
        Handoff handoff = null;
        if (diagnoses.isEmpty()) {
            findings.add(Finding.info("debugger.no-known-pattern", null, "none of the " + patterns.rules().size()
                    + " catalogued errors appears in the logs"));
        } else {
            Diagnosis root = diagnoses.get(0);
            handoff = new Handoff(root.rule().handoff(), null, describe(root) + "; the fix belongs to "
                    + root.rule().handoff().id());
        }
        findings.add(Finding.info("capability.not-built", null, "ops debugger: only errors that hand off to another"
                + " specialist are catalogued; classification, root cause and fixes for other failures are not built"
                + " yet."));
        return StepOutcome.succeeded(List.of(), findings, List.of(), handoff);
    }

    /** A diagnosis delivers no artifact: there is nothing to replay. */
    @Override
    public StepOutcome validate(TaskEvent task) {
        return StepOutcome.succeeded(List.of(), List.of(Finding.info("validation.nothing-to-replay", null,
                "the debugger delivers a diagnosis, no artifact: nothing to replay")), List.of(), null);
    }

    private static String describe(Diagnosis d) {
        StringBuilder s = new StringBuilder(d.rule().summary());
        if (d.object() != null) {
            s.append(": ").append(d.object());
        }
        if (d.rule().sqlstate() != null) {
            s.append(" (SQLSTATE ").append(d.rule().sqlstate()).append(')');
        }
        return s.append(", log line ").append(d.line()).append(": ").append(d.matched()).toString();
    }

    /** A log pasted as the plain answer to this engine's own question counts as the logs. */
    private static String answeredLogs(JobInputs inputs) {
        for (int i = inputs.clarifications().size() - 1; i >= 0; i--) {
            Clarification c = inputs.clarifications().get(i);
            if (NO_LOGS_QUESTION.equals(c.question()) && c.answer() != null && !c.answer().isBlank()) {
                return c.answer();
            }
        }
        return null;
    }

    @Override
    public Role role() {
        return Role.DEBUGGER;
    }
}
