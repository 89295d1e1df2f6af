package dev.backendteam.ops.debugger;

import dev.backendteam.contract.Clarification;
import dev.backendteam.contract.Diagnosis;
import dev.backendteam.contract.Evidence;
import dev.backendteam.contract.FailureKind;
import dev.backendteam.contract.Finding;
import dev.backendteam.contract.Handoff;
import dev.backendteam.contract.JobInputs;
import dev.backendteam.contract.ResultStatus;
import dev.backendteam.contract.Role;
import dev.backendteam.contract.Severity;
import dev.backendteam.contract.SpecialistEngine;
import dev.backendteam.contract.StepOutcome;
import dev.backendteam.contract.TaskEvent;
import dev.backendteam.contract.llm.ModelSession;
import dev.backendteam.contract.llm.RepairLoop;
import dev.backendteam.contract.llm.StructuredDraft;
import dev.backendteam.ops.debugger.ai.ClassificationCheck;
import dev.backendteam.ops.debugger.ai.LogClassifier;
import dev.backendteam.ops.debugger.ai.ModelClassification;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The ops debugger (BRIEF §6): classifies the job's logs against its catalogue ({@link DebuggerPatterns}), reports
 * the root cause with its classification, fixes and how to verify them, and hands off to the owner of the fix with a
 * contract {@link Diagnosis} (rule, SQLSTATE, object, failing statement, error, classification).
 *
 * <p>Without logs it asks for them, unless the job brings files (a deployment: nothing to diagnose, the flow goes
 * on). A log with nothing catalogued in it asks for the piece that would help — only in a bug job, and only once:
 * build output that says it succeeded, or a job that brings the files a deployment builds from, is not held up. With a
 * model configured, such a log is first classified by the model into one of the catalogue's rules, checked by the
 * engine; the diagnosis and the handoff then come from that rule.
 */
public final class DebuggerEngine implements SpecialistEngine {
    /** Every question of the debugger opens so; an answer to one counts as more logs. */
    static final String QUESTION_OPENING = "Paste the error log";
    static final String NO_LOGS_QUESTION = QUESTION_OPENING + " or stack trace to diagnose: the debugger received no"
            + " logs.";
    public static final int DEFAULT_MAX_LOG_CHARS = 512 * 1024;

    /** The evidence of a model's classification, checked by the engine. */
    public static final String MODEL_CLASSIFICATION = "model classification: the log matched to a catalogue rule,"
            + " checked against the catalogue and the log by the engine";

    private final DebuggerPatterns patterns;
    private final int maxLogChars;
    private final Optional<ModelSession> model;

    public DebuggerEngine(DebuggerPatterns patterns, int maxLogChars) {
        this(patterns, maxLogChars, Optional.empty());
    }

    /** {@code model}: with one, a log no pattern recognises is classified by it into one of the catalogue's rules. */
    public DebuggerEngine(DebuggerPatterns patterns, int maxLogChars, Optional<ModelSession> model) {
        this.patterns = patterns;
        this.maxLogChars = maxLogChars;
        this.model = model;
    }

    public DebuggerEngine(DebuggerPatterns patterns) {
        this(patterns, DEFAULT_MAX_LOG_CHARS);
    }

    @Override
    public StepOutcome work(TaskEvent task) {
        JobInputs inputs = task.inputs();
        String logs = logs(inputs);
        if (logs == null) {
            if (inputs.hasFiles()) {
                return StepOutcome.succeeded(List.of(), List.of(Finding.info("debugger.no-logs", null, "no logs to"
                        + " diagnose; the job's " + inputs.files().size() + " file(s) go on to the next step")),
                        List.of(), null);
            }
            return StepOutcome.needsInput(NO_LOGS_QUESTION, List.of());
        }
        LogText log = LogText.of(logs, maxLogChars);
        List<Finding> findings = new ArrayList<>();
        findings.add(Finding.info("input.logs", null, "logs of " + log.originalLines() + " line(s), "
                + log.originalChars() + " characters"));
        if (log.truncated()) {
            findings.add(new Finding("input.logs-truncated", Severity.WARN, null, "the log is longer than the "
                    + maxLogChars + " characters scanned: its beginning and its end were read, the middle was not",
                    "Send the part of the log around the first error", null));
        }
        List<PatternMatch> matches = patterns.find(log);
        Optional<PatternMatch> root = DebuggerPatterns.root(matches);
        if (root.isEmpty()) {
            if (model.isPresent() && !patterns.reportsSuccess(log)) {
                return classifiedByModel(model.get(), inputs, log, findings);
            }
            return unclassified(inputs, log, findings);
        }
        PatternMatch cause = root.get();
        return diagnosed(cause, ErrorDetails.of(log, cause), matches, findings, List.of());
    }

    /**
     * The diagnosis of the root cause: its finding, classification, root cause, fixes and verification, the other
     * catalogued errors of the log, and the handoff to the owner of the fix (the rule's, whoever picked the rule).
     */
    private static StepOutcome diagnosed(PatternMatch cause, ErrorDetails details, List<PatternMatch> matches,
            List<Finding> findings, List<Evidence> evidence) {
        LogRule rule = cause.rule();
        String object = rule.id().equals("postgres.undefined-column")
                ? SqlRelations.qualifyColumn(cause.object(), details.statement()) : cause.object();
        Classification c = rule.classification();
        Diagnosis diagnosis = new Diagnosis(rule.id(), details.sqlstate(), object, details.statement(),
                details.error(), c.category(), c.layer(), c.severity(), List.of());

        findings.add(new Finding(rule.id(), severity(c), object, describe(rule, object, details, cause.line()),
                fixes(rule, object), cause.line()));
        findings.addAll(diagnosisFindings(rule, object, details, cause.line()));
        for (PatternMatch other : matches) {
            if (other != cause) {
                findings.add(new Finding(other.rule().id(), severity(other.rule().classification()), other.object(),
                        other.rule().summary() + (other.object() == null ? "" : ": " + other.object())
                                + " (also in the log, line " + other.line() + ": " + other.matched() + ")",
                        LogRule.fill(other.rule().fix().proper(), other.object()), other.line()));
            }
        }
        Handoff handoff = null;
        if (rule.owner().none()) {
            findings.add(Finding.info("diagnosis.owner", object, "the fix is in your own application code, not a"
                    + " specialist's: no handoff"));
        } else {
            String reason = rule.summary() + (object == null ? "" : ": " + object)
                    + (details.sqlstate() == null ? "" : " (SQLSTATE " + details.sqlstate() + ")") + " at log line "
                    + cause.line() + "; the fix belongs to " + rule.owner().label();
            handoff = new Handoff(rule.owner().service(), rule.owner().role(), reason, diagnosis);
            findings.add(Finding.info("diagnosis.owner", object, "handed off to " + rule.owner().label()
                    + " with the diagnosis"));
        }
        return StepOutcome.succeeded(List.of(), findings, evidence, handoff);
    }

    /**
     * No pattern recognised the log: the model names the catalogue rule it shows, and where. The engine checks the
     * answer (the rule exists, what it quotes stands in the log, the error on an error line), reads the SQLSTATE, the
     * detail and the hint from the log at that place, and diagnoses from the rule as for a match; the handoff is the
     * rule's. A classification the model could not get right fails the step with the reasons.
     */
    private StepOutcome classifiedByModel(ModelSession m, JobInputs inputs, LogText log, List<Finding> findings) {
        long started = System.nanoTime();
        ClassificationCheck check = new ClassificationCheck(patterns, log);
        RepairLoop.Outcome<StructuredDraft.Answer> outcome = new LogClassifier(m, patterns).classify(log, check);
        List<Evidence> evidence = List.of(new Evidence(MODEL_CLASSIFICATION, outcome.accepted(), m.provider() + " "
                + m.modelName() + ": " + outcome.reason(), (System.nanoTime() - started) / 1_000_000));
        String by = "the model (" + m.provider() + " " + m.modelName() + ")";
        if (!outcome.accepted()) {
            findings.addAll(outcome.findings(patterns.askFor(log)));
            return new StepOutcome(ResultStatus.FAILED, outcome.reason(), FailureKind.INVALID_INPUT, null, List.of(),
                    findings, evidence, null);
        }
        ModelClassification c = ModelClassification.read(outcome.value().json(), new ArrayList<>());
        if (!c.classified()) {
            findings.add(Finding.info("debugger.model-unclassified", null, by + " matched none of the catalogue's"
                    + " rules either: " + c.reason()));
            StepOutcome none = unclassified(inputs, log, findings);
            return new StepOutcome(none.status(), none.reason(), none.failureKind(), none.question(), none.artifacts(),
                    none.findings(), evidence, none.handoff());
        }
        LogRule rule = patterns.rule(c.rule()).orElseThrow();
        ClassificationCheck.Span error = check.locate(c.error()).orElseThrow();
        String object = c.object() == null ? null : quoted(log, check.locate(c.object()).orElseThrow());
        String quote = quoted(log, error).replaceAll("\\s+", " ");
        PatternMatch cause = new PatternMatch(rule, object, log.lineNumber(error.start()), error.start(), error.end(),
                quote.length() <= 200 ? quote : quote.substring(0, 200) + "…", log.blockStart(error.start()),
                log.depth(error.start()));
        ErrorDetails found = ErrorDetails.of(log, cause);
        String statement = c.statement() == null ? found.statement()
                : quoted(log, check.locate(c.statement()).orElseThrow());
        findings.add(Finding.info("diagnosis.classified-by-model", object, by + " classified the log as " + rule.id()
                + " (" + c.reason() + "): none of the catalogue's patterns recognised it. The engine checked that the"
                + " rule is the catalogue's and that what the model quoted stands in the log (line " + cause.line()
                + "); the classification, root cause, fixes and owner of the fix are the rule's"));
        return diagnosed(cause, new ErrorDetails(found.error(), found.sqlstate(), statement, found.detail(),
                found.hint()), List.of(), findings, evidence);
    }

    /** The log's own text at {@code span}: what is delivered is the log's, never the model's spelling of it. */
    private static String quoted(LogText log, ClassificationCheck.Span span) {
        return log.text().substring(span.start(), span.end());
    }

    private StepOutcome unclassified(JobInputs inputs, LogText log, List<Finding> findings) {
        String none = "none of the " + patterns.rules().size() + " catalogued errors appears in the "
                + log.originalLines() + " line(s) received";
        if (patterns.reportsSuccess(log)) {
            findings.add(Finding.info("debugger.no-failure", null, "the build output reports success and " + none
                    + ": nothing to fix, no handoff"));
            return StepOutcome.succeeded(List.of(), findings, List.of(), null);
        }
        String ask = patterns.askFor(log);
        findings.add(new Finding("debugger.unclassified", Severity.WARN, null, none + ": unclassified, no handoff",
                "Send " + ask, null));
        boolean shipping = inputs.files().stream().anyMatch(f -> patterns.isBuildFile(f.path()));
        if (shipping || askedBefore(inputs)) {
            return StepOutcome.succeeded(List.of(), findings, List.of(), null);
        }
        return StepOutcome.needsInput(QUESTION_OPENING + " around the failure: " + none + ". Most useful: " + ask
                + ".", findings);
    }

    private static List<Finding> diagnosisFindings(LogRule rule, String object, ErrorDetails details, int line) {
        List<Finding> out = new ArrayList<>();
        Classification c = rule.classification();
        out.add(Finding.info("diagnosis.classification", object, "category " + c.category() + ", layer " + c.layer()
                + ", severity " + c.severity()));
        out.add(Finding.info("diagnosis.root-cause", object, LogRule.fill(rule.rootCause(), object)));
        out.add(new Finding("diagnosis.error", Severity.INFO, object, details.error()
                + (details.detail() == null ? "" : " — detail: " + details.detail())
                + (details.hint() == null ? "" : " — hint: " + details.hint()), null, line));
        if (details.statement() != null) {
            out.add(Finding.info("diagnosis.statement", object, details.statement()));
        }
        out.add(new Finding("diagnosis.fix.immediate", Severity.INFO, object, "immediate fix",
                LogRule.fill(rule.fix().immediate(), object), null));
        out.add(new Finding("diagnosis.fix.proper", Severity.INFO, object, "proper fix",
                LogRule.fill(rule.fix().proper(), object), null));
        out.add(new Finding("diagnosis.fix.preventive", Severity.INFO, object, "preventive fix",
                LogRule.fill(rule.fix().preventive(), object), null));
        out.add(Finding.info("diagnosis.verify", object, LogRule.fill(rule.verify(), object)));
        return out;
    }

    private static Severity severity(Classification c) {
        return c.severity().equals("minor") ? Severity.WARN : Severity.ERROR;
    }

    private static String describe(LogRule rule, String object, ErrorDetails details, int line) {
        StringBuilder s = new StringBuilder(rule.summary());
        if (object != null) {
            s.append(": ").append(object);
        }
        if (details.sqlstate() != null) {
            s.append(" (SQLSTATE ").append(details.sqlstate()).append(')');
        }
        return s.append(" [").append(rule.classification().label()).append("], log line ").append(line).append(": ")
                .append(details.error()).toString();
    }

    private static String fixes(LogRule rule, String object) {
        return "Immediate: " + LogRule.fill(rule.fix().immediate(), object) + " Proper: "
                + LogRule.fill(rule.fix().proper(), object) + " Preventive: "
                + LogRule.fill(rule.fix().preventive(), object);
    }

    /** The job's logs, followed by every answer to one of the debugger's own questions (those count as logs too). */
    private static String logs(JobInputs inputs) {
        StringBuilder s = new StringBuilder(inputs.hasLogs() ? inputs.logs() : "");
        for (Clarification c : inputs.clarifications()) {
            if (ownQuestion(c) && c.answer() != null && !c.answer().isBlank()) {
                s.append(s.isEmpty() ? "" : "\n").append(c.answer());
            }
        }
        return s.toString().isBlank() ? null : s.toString();
    }

    private static boolean askedBefore(JobInputs inputs) {
        return inputs.clarifications().stream().anyMatch(c -> ownQuestion(c) && c.answer() != null);
    }

    private static boolean ownQuestion(Clarification c) {
        return c.question() != null && c.question().startsWith(QUESTION_OPENING);
    }

    /** A diagnosis delivers no artifact: there is nothing to replay. */
    @Override
    public StepOutcome validate(TaskEvent task) {
        return StepOutcome.succeeded(List.of(), List.of(Finding.info("validation.nothing-to-replay", null,
                "the debugger delivers a diagnosis, no artifact: nothing to replay")), List.of(), null);
    }

    @Override
    public Role role() {
        return Role.DEBUGGER;
    }
}
