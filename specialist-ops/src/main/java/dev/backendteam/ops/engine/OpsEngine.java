package dev.backendteam.ops.engine;

import dev.backendteam.contract.Clarification;
import dev.backendteam.contract.FailureKind;
import dev.backendteam.contract.FileInput;
import dev.backendteam.contract.Finding;
import dev.backendteam.contract.Handoff;
import dev.backendteam.contract.JobInputs;
import dev.backendteam.contract.Severity;
import dev.backendteam.contract.Specialist;
import dev.backendteam.contract.SpecialistEngine;
import dev.backendteam.contract.StepOutcome;
import dev.backendteam.contract.TaskEvent;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The ops specialist. Only the debugger's handoff classification is real so far; every other capability reports
 * what the task carried and says plainly that it is not built, without producing any file.
 */
public final class OpsEngine implements SpecialistEngine {
    static final String NO_LOGS_QUESTION = "Paste the error log or stack trace to diagnose: the debugger received no"
            + " logs.";
    private static final int LISTED_FILES = 20;

    private final DebuggerPatterns patterns;

    public OpsEngine(DebuggerPatterns patterns) {
        this.patterns = patterns;
    }

    @Override
    public Specialist specialist() {
        return Specialist.OPS;
    }

    @Override
    public StepOutcome work(TaskEvent task) {
        Optional<OpsRole> role = OpsRole.of(task.role());
        if (role.isEmpty()) {
            return StepOutcome.failed(FailureKind.INVALID_INPUT, "ops needs a role (deployment, debugger or monitor);"
                    + " the task has " + (task.role() == null ? "none" : "'" + task.role() + "'"), List.of());
        }
        return switch (role.get()) {
            case DEPLOYMENT -> deployment(task.inputs());
            case DEBUGGER -> debugger(task.inputs());
            case MONITOR -> monitor(task.inputs());
        };
    }

    @Override
    public StepOutcome validate(TaskEvent task) {
        return StepOutcome.succeeded(List.of(), List.of(Finding.info("validation.no-proofs", null,
                "ops has no proofs yet: no file was validated, so this validation ran no check")), List.of(), null);
    }

    private StepOutcome deployment(JobInputs inputs) {
        List<Finding> findings = new ArrayList<>();
        if (inputs.hasFiles()) {
            List<String> paths = inputs.files().stream().map(FileInput::path).toList();
            String listed = paths.stream().limit(LISTED_FILES).collect(Collectors.joining(", "));
            findings.add(Finding.info("input.files", null, paths.size() + " file(s) given: " + listed
                    + (paths.size() > LISTED_FILES ? ", …" : "")));
        } else {
            findings.add(Finding.info("input.none", null, "no files given to detect a stack from"));
        }
        findings.add(notBuilt("deployment: stack detection, Dockerfile, Railway configuration, CI workflow and their"
                + " validation are not built yet; no file was produced"));
        return StepOutcome.succeeded(List.of(), findings, List.of(), null);
    }

    private StepOutcome monitor(JobInputs inputs) {
        List<Finding> findings = new ArrayList<>();
        if (inputs.target() != null && !inputs.target().isBlank()) {
            findings.add(Finding.info("input.target", inputs.target(), "target database '" + inputs.target()
                    + "' named"));
        } else {
            findings.add(Finding.info("input.none", null, "no target database named"));
        }
        findings.add(notBuilt("monitor: read-only diagnostics against a target database are not built yet; no"
                + " database was contacted"));
        return StepOutcome.succeeded(List.of(), findings, List.of(), null);
    }

    private StepOutcome debugger(JobInputs inputs) {
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
        findings.add(notBuilt("debugger: only errors that hand off to another specialist are catalogued;"
                + " classification, root cause and fixes for other failures are not built yet"));
        return StepOutcome.succeeded(List.of(), findings, List.of(), handoff);
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

    private static Finding notBuilt(String what) {
        return Finding.info("capability.not-built", null, "ops " + what + ".");
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
}
