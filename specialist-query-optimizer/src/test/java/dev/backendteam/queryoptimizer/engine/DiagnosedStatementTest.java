package dev.backendteam.queryoptimizer.engine;

import dev.backendteam.contract.Artifact;
import dev.backendteam.contract.Contract;
import dev.backendteam.contract.Diagnosis;
import dev.backendteam.contract.Evidence;
import dev.backendteam.contract.EvidenceStatus;
import dev.backendteam.contract.Handoff;
import dev.backendteam.contract.JobInputs;
import dev.backendteam.contract.QueryInput;
import dev.backendteam.contract.ResultStatus;
import dev.backendteam.contract.Specialist;
import dev.backendteam.contract.StepOutcome;
import dev.backendteam.contract.TaskEvent;
import dev.backendteam.contract.TaskKind;
import dev.backendteam.contract.evidence.EvidenceKind;
import dev.backendteam.contract.evidence.PlanCosts;
import dev.backendteam.queryoptimizer.QueryOptimizerSandbox;
import dev.backendteam.sandbox.PostgresServers;
import dev.backendteam.sandbox.Sandbox;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What the debugger and the monitor hand over (README, "Fixing what the debugger diagnosed"): a statement that timed
 * out joins the workload and gets proven indexes; the monitor's top statements are the workload when the job has
 * none; with nothing to load, the question names the tables.
 */
@ExtendWith(PostgresServers.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DiagnosedStatementTest {
    private static final OptimizerSettings SMALL = QueryOptimizerEngineTest.SMALL;
    private static final String SHOP = """
            create table public.customers (
                id bigint generated always as identity primary key,
                email text not null unique,
                created_at timestamptz not null default now()
            );
            create table public.orders (
                id bigint generated always as identity primary key,
                customer_id bigint not null references public.customers (id) on delete cascade,
                status text not null check (status in ('open', 'paid', 'shipped', 'cancelled', 'refunded')),
                total numeric(12, 2) not null,
                created_at timestamptz not null default now()
            );
            """;
    private static final Map<String, Long> ROWS = Map.of("customers", 20_000L, "orders", 2_000_000L);
    /** As the server logs it: the literal values of one call, the error after it. */
    private static final String LOGGED = "select * from orders where customer_id = 42 and status = 'open'"
            + " order by created_at desc";
    private static final Diagnosis TIMEOUT = new Diagnosis("postgres.statement-timeout", "57014", "orders", LOGGED,
            "canceling statement due to statement timeout", "runtime", "database", "major", null);

    private Sandbox sandbox;
    private QueryOptimizerEngine engine;
    private StepOutcome timedOut;

    @BeforeAll
    void work(PostgresServers.Servers servers) {
        sandbox = QueryOptimizerSandbox.on(servers.pg17());
        engine = new QueryOptimizerEngine(Optional.of(sandbox), SMALL, QueryOptimizerEngineTest.NO_TARGET);
        timedOut = engine.work(task(TaskKind.WORK, inputs(SHOP, null), TIMEOUT, List.of()));
    }

    static TaskEvent task(TaskKind kind, JobInputs inputs, Diagnosis d, List<Artifact> artifacts) {
        return new TaskEvent(Contract.VERSION, "t-1", "job-bug", 2, 1, Specialist.QUERY_OPTIMIZER,
                "query-optimizer", kind, "orders page times out", inputs, artifacts, 1, Instant.now().plusSeconds(300),
                List.of(), d == null ? null : new Handoff(Specialist.QUERY_OPTIMIZER, null, "slow", d));
    }

    static JobInputs inputs(String sql, List<QueryInput> queries) {
        return new JobInputs(null, sql, queries, ROWS, null, null, null, null);
    }

    private static PlanCosts.Query cost(StepOutcome out, String query) {
        Evidence e = out.evidence().stream().filter(x -> x.check().equals(QueryOptimizerEngine.INDEX_SET))
                .findFirst().orElseThrow(() -> new AssertionError(out.toString()));
        return EvidenceKind.read(e.data(), PlanCosts.class).orElseThrow().queries().stream()
                .filter(q -> q.query().equals(query)).findFirst().orElseThrow(() -> new AssertionError(e.details()));
    }

    @Test
    void theStatementThatTimedOutGetsAProvenIndex() {
        assertEquals(ResultStatus.SUCCEEDED, timedOut.status(), timedOut.toString());
        assertTrue(timedOut.evidence().stream().noneMatch(Evidence::failed), timedOut.evidence().toString());
        assertTrue(timedOut.findings().stream().anyMatch(f -> f.ruleId().equals("input.diagnosis-statement")
                && f.message().endsWith("select * from orders where customer_id = $1 and status = $2 order by"
                + " created_at desc")), timedOut.findings().toString());
        PlanCosts.Query q = cost(timedOut, Workload.TIMED_OUT);
        assertTrue(q.costAfter() < q.costBefore() * (1 - SMALL.threshold()), q.toString());
        assertTrue(q.indexes().stream().anyMatch(i -> i.startsWith("idx_orders_customer_id")), q.toString());
        Artifact index = timedOut.artifacts().stream().filter(a -> a.content().contains("idx_orders_customer_id"))
                .findFirst().orElseThrow();
        assertTrue(index.content().contains("create index concurrently if not exists idx_orders_customer_id"),
                index.content());
        assertTrue(index.content().contains("-- serves \"" + Workload.TIMED_OUT + "\": planned cost"), index.content());
    }

    @Test
    void validationReprovesItWithTheDiagnosisAndCannotWithoutIt() {
        StepOutcome v = engine.validate(task(TaskKind.VALIDATE, inputs(SHOP, null), TIMEOUT, timedOut.artifacts()));
        assertEquals(EvidenceStatus.PASSED, v.evidence().get(v.evidence().size() - 1).status(), v.evidence().toString());
        // the claim names the diagnosed statement: without the diagnosis the round has nothing to hold it to
        StepOutcome without = engine.validate(task(TaskKind.VALIDATE, inputs(SHOP, null), null, timedOut.artifacts()));
        Evidence replay = without.evidence().get(without.evidence().size() - 1);
        assertEquals(EvidenceStatus.FAILED, replay.status(), replay.details());
        assertTrue(replay.details().contains(Workload.TIMED_OUT + " (the query is not in the job any more)"),
                replay.details());
    }

    @Test
    void aStatementCastingAParameterAsPgStatStatementsShowsATypedLiteralIsPlannedWithAValueOfThatType() {
        Diagnosis top = new Diagnosis("monitor.top-statements", null, null, null, null, "runtime", "database",
                "major", List.of(new QueryInput("pgss_3", "select id, customer_id, total, created_at from orders"
                        + " where status = $1 and created_at > now() - $2::interval order by created_at desc", 80.0)));
        StepOutcome out = engine.work(task(TaskKind.WORK, inputs(SHOP, null), top, List.of()));
        assertEquals(ResultStatus.SUCCEEDED, out.status(), out.toString());
        assertTrue(out.findings().stream().noneMatch(f -> f.ruleId().equals("query-optimizer.query-failed")
                || f.ruleId().equals("query-optimizer.note") && f.message().contains("do not fit")),
                "the interval parameter gets an interval, not a sampled created_at: " + out.findings());
        PlanCosts.Query q = cost(out, "pgss_3");
        assertTrue(q.costBefore() > 0, q.toString());
        System.out.println("pgss_3: " + q);
    }

    @Test
    void theMonitorsTopStatementsAreTheWorkloadWhenTheJobHasNone() {
        Diagnosis top = new Diagnosis("monitor.top-statements", null, null, null, null, "runtime", "database",
                "major", List.of(new QueryInput("pgss_1", "select id, total from orders where customer_id = $1"
                        + " order by created_at desc limit $2", 900.0),
                new QueryInput("pgss_2", "select email from customers where id = $1", 3000.0)));
        StepOutcome out = engine.work(task(TaskKind.WORK, inputs(SHOP, null), top, List.of()));
        assertEquals(ResultStatus.SUCCEEDED, out.status(), out.toString());
        PlanCosts.Query q = cost(out, "pgss_1");
        assertTrue(q.costAfter() < q.costBefore() * (1 - SMALL.threshold()), q.toString());
        assertTrue(q.indexes().stream().anyMatch(i -> i.startsWith("idx_orders_customer_id")), q.toString());
        assertTrue(out.findings().stream().anyMatch(f -> f.ruleId().equals("input.diagnosis-queries")));
    }

    @Test
    void queriesGivenComeBeforeTheMonitorsAndTheTimedOutStatementJoinsThem() {
        Diagnosis top = new Diagnosis("monitor.top-statements", "57014", null, LOGGED, null, null, null, null,
                List.of(new QueryInput("pgss_1", "select 1", null)));
        Workload w = Workload.of(task(TaskKind.WORK, inputs(SHOP, List.of(new QueryInput("mine",
                "select id from orders where id = $1"))), top, List.of()));
        assertEquals(List.of("mine", Workload.TIMED_OUT), w.queries().stream().map(q -> q.name()).toList());
        assertEquals("diagnosis", w.queries().get(1).origin());
        Workload none = Workload.of(task(TaskKind.WORK, inputs(SHOP, null), top, List.of()));
        assertEquals(List.of("pgss_1", Workload.TIMED_OUT), none.queries().stream().map(q -> q.name()).toList());
    }

    @Test
    void withNoSchemaAndNoTargetTheQuestionNamesTheTablesAndAsksForRowCounts() {
        Diagnosis joined = new Diagnosis("postgres.statement-timeout", "57014", null, "select o.* from orders o join"
                + " customers c on c.id = o.customer_id where c.email = 'a@b.c'", null, null, null, null, null);
        StepOutcome out = engine.work(task(TaskKind.WORK, new JobInputs(null, null, null, null, null, null, null,
                null), joined, List.of()));
        assertEquals(ResultStatus.NEEDS_INPUT, out.status());
        assertTrue(out.question().contains("schema of orders, customers"), out.question());
        assertTrue(out.question().contains("rowCounts"), out.question());
        assertFalse(out.question().contains("Which queries"), out.question());
    }
}
