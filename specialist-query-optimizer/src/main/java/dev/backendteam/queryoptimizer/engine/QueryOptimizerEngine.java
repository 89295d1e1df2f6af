package dev.backendteam.queryoptimizer.engine;

import dev.backendteam.contract.Artifact;
import dev.backendteam.contract.Evidence;
import dev.backendteam.contract.EvidenceStatus;
import dev.backendteam.contract.FailureKind;
import dev.backendteam.contract.Finding;
import dev.backendteam.contract.QueryInput;
import dev.backendteam.contract.ResultStatus;
import dev.backendteam.contract.Role;
import dev.backendteam.contract.Severity;
import dev.backendteam.contract.SpecialistEngine;
import dev.backendteam.contract.StepOutcome;
import dev.backendteam.contract.TaskEvent;
import dev.backendteam.contract.llm.ModelSession;
import dev.backendteam.contract.llm.RepairLoop;
import dev.backendteam.contract.llm.StructuredDraft;
import dev.backendteam.queryoptimizer.advisor.IndexAdvisor;
import dev.backendteam.queryoptimizer.advisor.IndexCatalog;
import dev.backendteam.queryoptimizer.data.DataGenerator;
import dev.backendteam.queryoptimizer.data.GenerationReport;
import dev.backendteam.queryoptimizer.data.GenerationSettings;
import dev.backendteam.queryoptimizer.data.SandboxLostException;
import dev.backendteam.queryoptimizer.data.TableStatistics;
import dev.backendteam.queryoptimizer.engine.ai.DraftedWorkload;
import dev.backendteam.queryoptimizer.engine.ai.WorkloadCheck;
import dev.backendteam.queryoptimizer.engine.ai.WorkloadDrafter;
import dev.backendteam.queryoptimizer.plan.PlanException;
import dev.backendteam.queryoptimizer.plan.WorkloadQuery;
import dev.backendteam.queryoptimizer.sql.LoggedStatement;
import dev.backendteam.queryoptimizer.targetdb.ExistingIndexes;
import dev.backendteam.sandbox.Limit;
import dev.backendteam.sandbox.Sandbox;
import dev.backendteam.sandbox.SandboxDatabase;
import dev.backendteam.sandbox.SandboxException;
import dev.backendteam.sandbox.SandboxSqlException;
import dev.backendteam.sandbox.ScriptResult;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The query-optimizer specialist (BRIEF §6): the schema loaded into a sandbox and filled with realistic data, every
 * query planned and run, index candidates built and searched for the whole workload, the chosen set proven by the
 * planner and by real runs, rewrites proven to return the same rows; delivered as one concurrent-index migration per
 * index. Its validation replays the bundle on fresh data and checks the set still cuts what it claimed. With a model,
 * a job that names no query gets its workload drafted from the task's words (checked query by query in the sandbox),
 * and that workload then takes the same path.
 */
public final class QueryOptimizerEngine implements SpecialistEngine {
    static final String SCHEMA = "schema loaded in the sandbox";
    static final String DATA = "realistic data generated";
    static final String INDEX_SET = "index set proven on the data";
    static final String SEARCH = "exhaustive search compared";
    static final String REPLAY = "index set: every kept index still cuts the workload's cost";

    static final String WORKLOAD_DRAFT = "model draft: the workload from the task's words, each query prepared and"
            + " planned in the sandbox by the engine";

    private final Optional<Sandbox> sandbox;
    private final OptimizerSettings settings;
    private final TargetAccess targets;
    private final Optional<ModelSession> model;

    public QueryOptimizerEngine(Optional<Sandbox> sandbox, OptimizerSettings settings, TargetAccess targets) {
        this(sandbox, settings, targets, Optional.empty());
    }

    /** {@code model}: with one, a job that names no query gets its workload drafted from the task's words. */
    public QueryOptimizerEngine(Optional<Sandbox> sandbox, OptimizerSettings settings, TargetAccess targets,
            Optional<ModelSession> model) {
        this.sandbox = sandbox;
        this.settings = settings;
        this.targets = targets;
        this.model = model;
    }

    @Override
    public StepOutcome work(TaskEvent task) {
        Workload given = Workload.of(task);
        List<Finding> findings = new ArrayList<>(given.notes());
        List<Evidence> evidence = new ArrayList<>();
        Inputs in = inputs(task, given, evidence, findings);
        SchemaScripts schema = in.schema();
        Workload workload = in.workload();
        TargetAccess.Read target = in.target();
        boolean drafting = drafts(task, workload, schema, target);
        if (workload.empty() && !drafting) {
            return noWorkload(task, target, findings, evidence);
        }
        Optional<WorkloadQuery> timedOut = task.diagnosis().flatMap(Workload::timedOut);
        if (schema.empty() && timedOut.isPresent()) {
            List<String> tables = LoggedStatement.tables(task.diagnosis().orElseThrow().statement());
            String named = tables.isEmpty() ? "the tables it reads" : String.join(", ", tables);
            return StepOutcome.needsInput("The debugger found a statement that timed out (57014): `" + task.diagnosis()
                    .orElseThrow().statement().strip() + "`. To prove indexes for it the optimizer needs the schema of "
                    + named + ": add their CREATE TABLE statements with their indexes and constraints (`pg_dump"
                    + " --schema-only" + tables.stream().map(t -> " --table " + t).reduce("", String::concat)
                    + "`) as \"sql\" or your migrations as files, and their row counts as \"rowCounts\" (a timeout"
                    + " depends on how many rows there are), or name a \"target\" database to read both from.",
                    findings);
        }
        if (schema.empty()) {
            return StepOutcome.needsInput("Which schema do these queries run on? Add it as \"sql\" (the CREATE TABLE"
                    + " statements or your migrations as files), or name a \"target\" database to copy it from.",
                    findings);
        }
        if (sandbox.isEmpty()) {
            evidence.add(Evidence.notRun(INDEX_SET, "no sandbox is configured: no plan was measured"));
            findings.add(Finding.info("query-optimizer.not-run", null, "no sandbox: no index was proposed"));
            return StepOutcome.succeeded(List.of(), findings, evidence, null);
        }
        Sandbox box = sandbox.get();
        try (SandboxDatabase db = box.create("qo-" + task.jobId(), box.settings().stepBudget())) {
            Evidence loaded = load(db, schema.scripts());
            evidence.add(loaded);
            if (loaded.failed()) {
                return new StepOutcome(ResultStatus.FAILED, "the schema does not apply in"
                        + " the sandbox: " + loaded.details(), FailureKind.INVALID_INPUT, null, List.of(), findings,
                        evidence, null);
            }
            List<Artifact> artifacts = new ArrayList<>();
            if (drafting) {
                Drafted drafted = draftWorkload(db, task, schema, findings, evidence);
                if (drafted.stop() != null) {
                    return drafted.stop();
                }
                if (!drafted.workload().queries().isEmpty()) {
                    artifacts.add(drafted.workload().artifact());
                    workload = workload.withQueries(drafted.workload().queries().stream()
                            .map(q -> new WorkloadQuery(q.name(), q.sql(), q.frequency(), null, null, Workload.MODEL))
                            .toList());
                }
                if (workload.empty()) {
                    StepOutcome none = noWorkload(task, target, findings, evidence);
                    return new StepOutcome(none.status(), none.reason(), none.failureKind(), none.question(),
                            none.artifacts(), none.findings(), located(evidence, db), none.handoff());
                }
            }
            if (!target.readFrom()) {
                // a target's own indexes were judged there, with their real sizes and scans: not twice
                findings.addAll(ExistingIndexes.find(db::query, TargetAccess.schemas(db::query), false));
            }
            GenerationReport data = generate(db, task, target.statistics());
            evidence.add(dataEvidence(data, task.inputs().target(), target.statistics()));
            List<WorkloadQuery> queries = new ArrayList<>(workload.queries());
            queries.addAll(PolicyQueries.of(db, workload.policyColumns()));
            List<IndexCatalog.Existing> existing = IndexCatalog.indexes(db);
            IndexAdvisor.Advice advice = new IndexAdvisor(settings.advisor()).advise(db, queries,
                    task.inputs().writeRates(), workload.policyColumns(), SchemaScripts.bundleIndexes(task));
            String provenOn = rows(data) + " generated rows in PostgreSQL " + db.serverVersionNum() / 10000;
            artifacts.addAll(0, IndexMigrations.of(advice, provenOn));
            evidence.addAll(AdviceReport.evidence(advice, provenOn));
            findings.addAll(AdviceReport.findings(advice, db));
            findings.addAll(target.compare(advice));
            findings.addAll(policyColumns(workload, advice, existing));
            findings.addAll(PastedPlan.compare(task.inputs().explain(), advice));
            Rewrites.prove(db, advice, findings, evidence);
            if (model.isPresent()) {
                Rewrites.proveDrafted(model.get(), db, advice, findings, evidence);
            }
            return StepOutcome.succeeded(artifacts, findings, located(evidence, db), null);
        } catch (PlanException | SandboxException | SandboxLostException e) {
            return cutOff(e, findings, evidence);
        }
    }

    /** The model's workload, or the outcome that ends the step when the draft was not accepted. */
    private record Drafted(DraftedWorkload workload, StepOutcome stop) {
    }

    /**
     * Whether the model drafts the workload: one is configured, the job names no query in any way (queries, spec,
     * diagnosis, the target's pg_stat_statements), and it has words to read, a schema to read them against and a
     * sandbox to check the draft in. A target that could not be read fails the step as it does without a model.
     */
    private boolean drafts(TaskEvent task, Workload workload, SchemaScripts schema, TargetAccess.Read target) {
        return model.isPresent() && workload.queries().isEmpty() && task.task() != null && !task.task().isBlank()
                && !schema.empty() && sandbox.isPresent() && !(task.inputs().target() != null && target.failed());
    }

    /**
     * The model drafts the workload from the task's words and the schema loaded in {@code db}; the engine checks every
     * query there (read-only, PREPAREd and planned, on the job's tables) and hands problems back, at most twice.
     */
    private Drafted draftWorkload(SandboxDatabase db, TaskEvent task, SchemaScripts schema, List<Finding> findings,
            List<Evidence> evidence) {
        long started = System.nanoTime();
        ModelSession m = model.orElseThrow();
        StringBuilder sql = new StringBuilder();
        // A live database's definitions (function and view bodies, defaults, policies) may hold secrets: the model
        // gets the job's own scripts, and list_tables for a target's tables and columns.
        schema.scripts().forEach(s -> sql.append("-- ").append(s.name()).append('\n').append(s.name()
                .startsWith(SchemaScripts.TARGET) ? "-- (not shown: call list_tables for its tables and columns)"
                : s.sql()).append('\n'));
        RepairLoop.Outcome<StructuredDraft.Answer> outcome = new WorkloadDrafter(m).draft(task, sql.toString(),
                new WorkloadCheck(db));
        evidence.add(new Evidence(WORKLOAD_DRAFT, outcome.accepted(), m.provider() + " " + m.modelName() + ": "
                + outcome.reason(), millis(started)));
        String by = "the model (" + m.provider() + " " + m.modelName() + ")";
        if (!outcome.accepted()) {
            findings.addAll(outcome.findings("the queries as \"queries\""));
            return new Drafted(null, new StepOutcome(ResultStatus.FAILED, outcome.reason(), FailureKind.INVALID_INPUT,
                    null, List.of(), findings, located(evidence, db), null));
        }
        DraftedWorkload workload = DraftedWorkload.read(outcome.value().json(), new ArrayList<>());
        findings.add(workload.queries().isEmpty() ? Finding.info("workload.none-drafted", null, by + " read no query"
                + " in the task's words")
                : Finding.info("workload.drafted", DraftedWorkload.FILE, by + " drafted the workload from the task's"
                + " words and the schema: " + workload.queries().size() + " query(ies) (" + String.join(", ",
                workload.queries().stream().map(QueryInput::name).toList()) + "), each prepared and planned in the"
                + " sandbox by the engine, which chose and proved the indexes for them. The workload is delivered as "
                + DraftedWorkload.FILE + ": review it, and resubmit its queries as \"queries\" to optimize without a"
                + " model"));
        return new Drafted(workload, null);
    }

    /**
     * A step with no query and no policy column: a target that could not be read fails it; a job about performance
     * waits for its queries; another flow's step has nothing to do and says so.
     */
    private static StepOutcome noWorkload(TaskEvent task, TargetAccess.Read target, List<Finding> findings,
            List<Evidence> evidence) {
        if (task.inputs().target() != null && target.failed()) {
            return StepOutcome.failed(FailureKind.INVALID_INPUT, "target " + task.inputs().target()
                    + " could not be read: " + findings.get(findings.size() - 1).message(), findings);
        }
        String ask = "Which queries should be fast? Add them as \"queries\" (each with a name and its SQL,"
                + " parameters as $1, $2 …, optionally \"frequency\" in calls per minute), or name a \"target\""
                + " database with pg_stat_statements to read the workload from.";
        // a job about performance (row counts, a plan, write rates, a target) waits for its queries; in another
        // flow (a new feature without declared queries, a review) this step has nothing to do and says so
        if (performanceJob(task)) {
            return StepOutcome.needsInput(ask, findings);
        }
        findings.add(Finding.info("query-optimizer.no-workload", null, "no queries to optimize and no policy"
                + " columns handed over: no index was proposed. " + ask));
        return StepOutcome.succeeded(List.of(), findings, evidence, null);
    }

    @Override
    public StepOutcome validate(TaskEvent task) {
        SchemaScripts schema = SchemaScripts.of(task);
        if (schema.own().isEmpty()) {
            return StepOutcome.checked(new Evidence(REPLAY, true, "the bundle holds no index of the query-optimizer:"
                    + " nothing to replay", 0));
        }
        if (sandbox.isEmpty()) {
            return StepOutcome.checked(Evidence.notRun(REPLAY, "no sandbox is configured"));
        }
        // a target's job is replayed on the target's schema and statistics again, read-only, as its work step was
        List<Evidence> evidence = new ArrayList<>();
        List<Finding> findings = new ArrayList<>();
        Inputs in = inputs(task, Workload.of(task), evidence, findings);
        schema = in.schema();
        Workload workload = in.workload();
        TargetAccess.Read target = in.target();
        Sandbox box = sandbox.get();
        try (SandboxDatabase db = box.create("qo-validate-" + task.jobId(), box.settings().stepBudget())) {
            Evidence loaded = load(db, schema.scripts());
            if (loaded.failed()) {
                evidence.add(new Evidence(REPLAY, false, loaded.details(), loaded.durationMs()));
                return StepOutcome.succeeded(List.of(), findings, evidence, null);
            }
            GenerationReport data = generate(db, task, target.statistics());
            List<WorkloadQuery> queries = new ArrayList<>(workload.queries());
            queries.addAll(PolicyQueries.of(db, workload.policyColumns()));
            evidence.add(Replay.check(db, schema.own(), queries, settings, rows(data)));
            return StepOutcome.succeeded(List.of(), findings, located(evidence, db), null);
        } catch (PlanException | SandboxException | SandboxLostException e) {
            return cutOff(e, findings, evidence);
        }
    }

    /**
     * What became of each table's policy columns security handed over: the index (an earlier step's, or one of this
     * set) that serves them, or why there is none.
     */
    private static List<Finding> policyColumns(Workload workload, IndexAdvisor.Advice advice,
            List<IndexCatalog.Existing> existing) {
        List<Finding> out = new ArrayList<>();
        workload.policyColumns().forEach((table, columns) -> {
            List<String> led = new ArrayList<>();
            for (String c : columns) {
                existing.stream().filter(e -> e.valid() && e.shape().tableName().equals(table)
                        && !e.shape().keys().isEmpty() && e.shape().keys().get(0).expr().equals(c)).findFirst()
                        .ifPresent(e -> led.add(c + " by " + e.name()));
            }
            String query = PolicyQueries.name(table.substring(0, table.indexOf('.')), table.substring(table.indexOf('.')
                    + 1));
            List<String> serving = advice.indexes().stream().filter(c -> c.kept() && c.serves().contains(query))
                    .map(IndexAdvisor.Chosen::name).toList();
            IndexAdvisor.QueryResult r = advice.queries().stream().filter(q -> q.query().name().equals(query))
                    .findFirst().orElse(null);
            String outcome = (led.isEmpty() ? "" : "already indexed: " + String.join(", ", led) + "; ")
                    + (r == null ? "it could not be planned as a signed-in user"
                    : !serving.isEmpty() ? "served by " + String.join(", ", serving) + " (" + r.gate() + ")"
                    : led.size() == columns.size() ? "no further index lowered its cost (" + r.gate() + ")"
                    : "no index lowered its cost enough to keep (" + r.gate() + ")");
            out.add(Finding.info("input.policy-columns", table, "security's policies filter on " + table + "("
                    + String.join(", ", columns) + "): exercised as " + query + ", a count of the rows the busiest"
                    + " signed-in user may see; " + outcome));
        });
        return out;
    }

    /** The schema and workload of a step: the task's, completed from its target (read-only) where it names one. */
    private record Inputs(SchemaScripts schema, Workload workload, TargetAccess.Read target) {
    }

    private Inputs inputs(TaskEvent task, Workload given, List<Evidence> evidence, List<Finding> findings) {
        SchemaScripts schema = SchemaScripts.of(task);
        TargetAccess.Read target = targets.read(task, schema.empty(), given.queries().isEmpty(), evidence, findings);
        return new Inputs(target.schema() == null ? schema : schema.withTarget(task.inputs().target(),
                target.schema()), target.queries().isEmpty() ? given : given.withQueries(target.queries()), target);
    }

    private static boolean performanceJob(TaskEvent task) {
        var in = task.inputs();
        return !in.rowCounts().isEmpty() || in.hasExplain() || !in.writeRates().isEmpty() || in.target() != null
                || !in.hasSpec() && task.artifacts().isEmpty() && !in.hasSql();
    }

    /**
     * A step the sandbox cut short keeps what it found so far and says why: out of its time (the sandbox's step
     * budget or a statement's timeout: a retry may fit), or the sandbox itself unavailable or lost (transient).
     */
    private static StepOutcome cutOff(RuntimeException e, List<Finding> findings, List<Evidence> evidence) {
        boolean time = e instanceof PlanException p && ("57014".equals(p.sqlState()) || p.getMessage() != null
                && p.getMessage().contains("budget"))
                || e instanceof SandboxSqlException s && s.limit() == Limit.BUDGET_EXHAUSTED;
        List<Evidence> all = new ArrayList<>(evidence);
        all.add(new Evidence(INDEX_SET, false, "cut short: " + e.getMessage(), 0));
        return new StepOutcome(ResultStatus.FAILED, (time ? "the step ran out of its sandbox"
                + " time (BACKEND_TEAM_SANDBOX_STEP_BUDGET, or a smaller BACKEND_TEAM_OPTIMIZER_ROW_BUDGET): "
                : "the sandbox could not run: ") + e.getMessage(), time ? FailureKind.TIMEOUT : FailureKind.TRANSIENT,
                null, List.of(), findings, all, null);
    }

    private static Evidence load(SandboxDatabase db, List<SchemaScripts.Script> scripts) {
        long started = System.nanoTime();
        for (SchemaScripts.Script s : scripts) {
            ScriptResult r = db.apply(s.sql());
            if (r.error() != null) {
                return new Evidence(SCHEMA, false, s.name() + ": " + r.error().describe(), millis(started));
            }
        }
        return new Evidence(SCHEMA, true, scripts.size() + " script(s) applied", millis(started));
    }

    private GenerationReport generate(SandboxDatabase db, TaskEvent task, Map<String, TableStatistics> statistics) {
        GenerationSettings d = GenerationSettings.defaults();
        GenerationSettings s = new GenerationSettings(settings.rowBudget(), d.defaultRows(), d.seed(), d.chunkTarget());
        return new DataGenerator(s).fill(db, PastedPlan.rowCounts(task.inputs()), statistics);
    }

    /** What was generated, and which tables a target's statistics shaped: the report's only sign that they did. */
    private static Evidence dataEvidence(GenerationReport data, String target, Map<String, TableStatistics> statistics) {
        StringBuilder d = new StringBuilder(rows(data) + " rows in " + data.rows().size() + " table(s)");
        if (data.scale() < 1) {
            d.append(String.format(java.util.Locale.ROOT, ", every table scaled by %.4f to fit the row budget",
                    data.scale()));
        }
        data.rows().forEach((t, n) -> d.append("; ").append(t).append(' ').append(n));
        data.notes().forEach(n -> d.append(". ").append(n));
        List<String> shaped = data.rows().keySet().stream().filter(t -> statistics.containsKey(t)
                && (statistics.get(t).reltuples() > 0 || !statistics.get(t).columns().isEmpty())).toList();
        if (target != null && !shaped.isEmpty()) {
            d.append(". The statistics of target ").append(target).append(" shaped ").append(shaped.size())
                    .append(" of ").append(data.rows().size()).append(" table(s) (rows from reltuples where no row count"
                    + " was given, values from pg_stats): ").append(String.join(", ", shaped));
        }
        return new Evidence(DATA, true, d.toString(), data.millis());
    }

    static long rows(GenerationReport data) {
        return data.rows().values().stream().mapToLong(Long::longValue).sum();
    }

    private static List<Evidence> located(List<Evidence> evidence, SandboxDatabase db) {
        int v = db.serverVersionNum();
        Evidence.SandboxRun where = new Evidence.SandboxRun(db.grants().wire(), v / 10000 + "." + v % 100);
        return evidence.stream().map(e -> e.status() == EvidenceStatus.NOT_RUN || e.sandbox() != null ? e
                : new Evidence(e.check(), e.status(), e.details(), e.durationMs(), where, e.data())).toList();
    }

    private static long millis(long started) {
        return (System.nanoTime() - started) / 1_000_000;
    }

    @Override
    public Role role() {
        return Role.QUERY_OPTIMIZER;
    }
}
