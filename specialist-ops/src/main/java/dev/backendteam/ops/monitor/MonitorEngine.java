package dev.backendteam.ops.monitor;

import dev.backendteam.contract.Diagnosis;
import dev.backendteam.contract.Evidence;
import dev.backendteam.contract.FailureKind;
import dev.backendteam.contract.Finding;
import dev.backendteam.contract.Handoff;
import dev.backendteam.contract.QueryInput;
import dev.backendteam.contract.Role;
import dev.backendteam.contract.Severity;
import dev.backendteam.contract.SpecialistEngine;
import dev.backendteam.contract.Specialist;
import dev.backendteam.contract.StepOutcome;
import dev.backendteam.contract.TaskEvent;
import dev.backendteam.contract.llm.ModelSession;
import dev.backendteam.contract.llm.RepairLoop;
import dev.backendteam.contract.llm.StructuredDraft;
import dev.backendteam.ops.monitor.ai.StatementFocus;
import dev.backendteam.sandbox.targetdb.TargetDatabase;
import dev.backendteam.sandbox.targetdb.TargetException;
import dev.backendteam.sandbox.targetdb.TopStatements;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Ops monitor (BRIEF §6): how a live database is doing. The job's {@code target} is opened read-only from the
 * environment ({@code BACKEND_TEAM_TARGET_<NAME>_URL}, {@code _USER}, {@code _PASSWORD}) and every diagnostic of the
 * catalogue runs on it; the step hands off to query-optimizer with the statements that matter (pg_stat_statements'
 * top statements) when there are any or a finding it owns, else to another specialist for a finding it owns (the
 * catalogue's {@code handoff}; a sequence running out is no handoff: its finding carries the migration). Without a
 * target the diagnostics are {@code not_run} and the flow goes on. With a model configured and several top statements,
 * the model names the ones the task's words are about ({@link StatementFocus}), and those lead the handoff; every
 * statement is still handed over, and a focus the engine refuses leaves the diagnostics' own order (the focus is
 * advice on the order, not a result the step stands on).
 */
public final class MonitorEngine implements SpecialistEngine {
    static final String DIAGNOSTICS = "monitor diagnostics of the target database";
    static final String TOP_STATEMENTS = "monitor.top-statements";
    static final String FOCUS = "model draft: the statements the task's words are about";

    private final MonitorCatalogue catalogue;
    private final MonitorSettings settings;
    private final Map<String, String> environment;
    private final TargetDiagnostics diagnostics;
    private final Optional<ModelSession> model;

    /** {@code environment}: where targets are configured (the process environment in the service). */
    public MonitorEngine(MonitorCatalogue catalogue, MonitorSettings settings, Map<String, String> environment) {
        this(catalogue, settings, environment, Optional.empty());
    }

    public MonitorEngine(MonitorCatalogue catalogue, MonitorSettings settings, Map<String, String> environment,
            Optional<ModelSession> model) {
        this.catalogue = catalogue;
        this.settings = settings;
        this.environment = Map.copyOf(environment);
        this.diagnostics = new TargetDiagnostics(catalogue, settings);
        this.model = model;
    }

    @Override
    public StepOutcome work(TaskEvent task) {
        String target = task.inputs().target();
        if (target == null || target.isBlank()) {
            return StepOutcome.succeeded(List.of(), List.of(Finding.info("input.none", null,
                    "no target database named: the monitor reads a live database, and this job names none")),
                    List.of(Evidence.notRun(DIAGNOSTICS, "no target database: the monitor reads a live database"
                            + " (read-only), and this job names none; set \"target\" to a database configured as "
                            + TargetDatabase.PREFIX + "<NAME>_URL")), null);
        }
        if (!TargetDatabase.configured(target, environment)) {
            return StepOutcome.failed(FailureKind.INVALID_INPUT, "target " + target + " is not configured: set "
                    + TargetDatabase.variable(target, "URL") + " (and _USER, _PASSWORD) for the ops service",
                    List.of());
        }
        TargetDiagnostics.Report report;
        int version;
        try (TargetDatabase db = TargetDatabase.open(target, environment, settings.statementTimeout())) {
            version = db.serverVersionNum();
            report = diagnostics.run(db);
        } catch (TargetException e) {
            // the message names the target, never its URL or credentials
            return StepOutcome.failed(FailureKind.TRANSIENT, e.getMessage(), List.of());
        }
        List<Evidence> evidence = new ArrayList<>(report.evidence());
        List<Finding> focusNotes = new ArrayList<>();
        if (model.isPresent() && task.task() != null && !task.task().isBlank() && report.statements().size() > 1) {
            report = focus(model.get(), task.task(), report, focusNotes, evidence);
        }
        List<Finding> findings = new ArrayList<>(report.findings());
        findings.addAll(focusNotes);
        long ran = report.evidence().stream().filter(Evidence::ran).count();
        long raised = report.evidence().stream().filter(Evidence::failed).count();
        findings.add(0, Finding.info("monitor.summary", target, "target " + target + " (PostgreSQL "
                + version / 10000 + "), read-only: " + ran + " of " + report.evidence().size() + " diagnostics ran, "
                + raised + " raised findings at warn or error, " + (report.evidence().size() - ran) + " not run"));
        return StepOutcome.succeeded(List.of(), findings, evidence, handoff(target, report).orElse(null));
    }

    /** The report with the statements the model names first, in its order; unchanged if its answer is refused. */
    static TargetDiagnostics.Report focus(ModelSession m, String task, TargetDiagnostics.Report report,
            List<Finding> notes, List<Evidence> evidence) {
        long started = System.nanoTime();
        RepairLoop.Outcome<StructuredDraft.Answer> outcome;
        try {
            outcome = new StatementFocus(m).choose(task, report.statements());
        } catch (dev.backendteam.contract.llm.ModelFailedException
                | dev.backendteam.contract.llm.BudgetExceededException e) {
            // the diagnostics stand without the model's focus
            evidence.add(Evidence.notRun(FOCUS, e.getMessage()));
            return report;
        }
        evidence.add(new Evidence(FOCUS, outcome.accepted(), m.provider() + " " + m.modelName() + ": "
                + outcome.reason(), (System.nanoTime() - started) / 1_000_000));
        String by = "the model (" + m.provider() + " " + m.modelName() + ")";
        if (!outcome.accepted()) {
            outcome.findings("nothing: the statements keep the diagnostics' order").forEach(f -> notes.add(
                    new Finding(f.ruleId(), Severity.WARN, f.object(), f.message(), f.fix(), f.line())));
            return report;
        }
        List<String> chosen = StatementFocus.chosen(outcome.value());
        if (chosen.isEmpty()) {
            notes.add(Finding.info("monitor.focus", null, by + " found none of the top statements in the task's words;"
                    + " they keep the diagnostics' order"));
            return report;
        }
        List<TopStatements.Statement> ordered = new ArrayList<>();
        chosen.forEach(name -> report.statements().stream().filter(s -> s.query().name().equals(name)).findFirst()
                .filter(s -> !ordered.contains(s)).ifPresent(ordered::add));
        report.statements().stream().filter(s -> !ordered.contains(s)).forEach(ordered::add);
        notes.add(Finding.info("monitor.focus", chosen.get(0), by + " read the task's words as about "
                + String.join(", ", chosen) + ": they lead the handoff to the query-optimizer, the other statements"
                + " follow"));
        return new TargetDiagnostics.Report(report.findings(), report.evidence(), ordered);
    }

    /**
     * query-optimizer when there are statements that matter or an alarm it owns (seq scans, unused or duplicate
     * indexes, slow statements); else db-architect for an alarm it owns (none of the catalogue's today: a sequence
     * running out is ops's own finding with its fix, which db-architect, asked for a spec, could not act on); else
     * none.
     */
    Optional<Handoff> handoff(String target, TargetDiagnostics.Report report) {
        List<QueryInput> queries = report.statements().stream().map(TopStatements.Statement::query).toList();
        for (Specialist owner : List.of(Specialist.QUERY_OPTIMIZER, Specialist.DB_ARCHITECT)) {
            List<Finding> owned = report.findings().stream().filter(f -> f.severity() != Severity.INFO)
                    .filter(f -> catalogue.get(f.ruleId()).owner() == owner).toList();
            boolean statements = owner == Specialist.QUERY_OPTIMIZER && !queries.isEmpty();
            if (owned.isEmpty() && !statements) {
                continue;
            }
            // the heaviest statement leads when there is one: it is what query-optimizer works on first
            Finding lead = statements ? report.findings().stream()
                    .filter(f -> f.ruleId().equals(TOP_STATEMENTS) && f.object().equals(queries.get(0).name()))
                    .findFirst().orElseThrow() : owned.get(0);
            String reason = owned.size() + " finding(s) at warn or error on target " + target + " for " + owner.id()
                    + (statements ? ", and its " + queries.size() + " top statement(s) of pg_stat_statements" : "");
            Diagnosis diagnosis = new Diagnosis(lead.ruleId(), null, lead.object(), statements
                    ? queries.get(0).sql() : null, lead.message(), "performance", "database",
                    owned.isEmpty() ? "minor" : "major", statements ? queries : List.of());
            return Optional.of(new Handoff(owner, owner.defaultRole().map(Role::id).orElse(null), reason, diagnosis));
        }
        return Optional.empty();
    }

    /** Diagnostics deliver no artifact: there is nothing to replay. */
    @Override
    public StepOutcome validate(TaskEvent task) {
        return StepOutcome.succeeded(List.of(), List.of(Finding.info("validation.nothing-to-replay", null,
                "the monitor delivers diagnostics, no artifact: nothing to replay")), List.of(), null);
    }

    @Override
    public Role role() {
        return Role.MONITOR;
    }
}
