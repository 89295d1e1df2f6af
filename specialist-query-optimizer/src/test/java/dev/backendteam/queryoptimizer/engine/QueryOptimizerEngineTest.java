package dev.backendteam.queryoptimizer.engine;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.backendteam.contract.Artifact;
import dev.backendteam.contract.ArtifactKind;
import dev.backendteam.contract.Contract;
import dev.backendteam.contract.Evidence;
import dev.backendteam.contract.EvidenceStatus;
import dev.backendteam.contract.Finding;
import dev.backendteam.contract.JobInputs;
import dev.backendteam.contract.JobRequest;
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
import dev.backendteam.sandbox.targetdb.TargetException;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.File;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The engine on the README's performance example (deploy/examples/performance.json), on PostgreSQL 17. */
@ExtendWith(PostgresServers.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class QueryOptimizerEngineTest {
    static final OptimizerSettings SMALL = new OptimizerSettings(60_000, 10, 0.2, 0.5);
    static final TargetAccess NO_TARGET = new TargetAccess(name -> {
        throw new TargetException("no target " + name + " in this test");
    });
    private Sandbox sandbox;
    private StepOutcome outcome;
    private JobInputs inputs;

    @BeforeAll
    void runTheExample(PostgresServers.Servers servers) throws IOException {
        sandbox = QueryOptimizerSandbox.on(servers.pg17());
        JobRequest request = new ObjectMapper().readValue(new File("../deploy/examples/performance.json"),
                JobRequest.class);
        inputs = request.inputs();
        outcome = new QueryOptimizerEngine(Optional.of(sandbox), SMALL, NO_TARGET).work(task(TaskKind.WORK, inputs,
                List.of()));
    }

    static TaskEvent task(TaskKind kind, JobInputs inputs, List<Artifact> artifacts) {
        return new TaskEvent(Contract.VERSION, "t-1", "job-1", 2, 1, Specialist.QUERY_OPTIMIZER, "query-optimizer",
                kind, "make it fast", inputs, artifacts, 0, Instant.now().plusSeconds(300));
    }

    private PlanCosts costs() {
        Evidence e = outcome.evidence().stream().filter(x -> x.check().equals(QueryOptimizerEngine.INDEX_SET))
                .findFirst().orElseThrow();
        return EvidenceKind.read(e.data(), PlanCosts.class).orElseThrow();
    }

    @Test
    void theExampleGetsProvenIndexesEachAloneAndConcurrent() {
        assertEquals(ResultStatus.SUCCEEDED, outcome.status(), outcome.toString());
        assertTrue(outcome.evidence().stream().allMatch(e -> e.status() != EvidenceStatus.FAILED));
        List<Artifact> migrations = outcome.artifacts().stream().filter(a -> a.kind() == ArtifactKind.MIGRATION)
                .toList();
        assertFalse(migrations.isEmpty());
        for (Artifact m : migrations) {
            long creates = m.content().lines().filter(l -> l.startsWith("create index")).count();
            assertTrue(creates <= 1, m.name() + " holds one index at most");
            if (creates == 1) {
                assertTrue(m.content().contains("create index concurrently if not exists idx_"), m.content());
                assertTrue(m.down().startsWith("drop index concurrently if exists "), m.down());
            }
        }
        PlanCosts.Query latest = costs().queries().stream().filter(q -> q.query().equals("latest_comments"))
                .findFirst().orElseThrow();
        assertTrue(latest.costAfter() < latest.costBefore() * 0.2, latest.toString());
        assertTrue(latest.indexes().stream().anyMatch(i -> i.startsWith("idx_comments_post_id")), latest.toString());
    }

    @Test
    void thePastedProductionPlanIsComparedWithTheSandboxs() {
        Finding f = outcome.findings().stream().filter(x -> x.ruleId().equals("query-optimizer.pasted-plan"))
                .findFirst().orElseThrow();
        assertEquals("latest_comments", f.object(), f.message());
        assertTrue(f.message().endsWith("the same scans"), f.message());
    }

    @Test
    void theInSubqueryIsFlaggedAndOffsetPagingToo() {
        List<String> rules = outcome.findings().stream().map(Finding::ruleId).toList();
        assertTrue(rules.contains("query-optimizer.in-subquery"), rules.toString());
        assertTrue(rules.contains("query-optimizer.offset-pagination"), rules.toString());
    }

    @Test
    void theValidationRoundReplaysTheBundleOnFreshDataAndTheClaimsHold() {
        List<Artifact> bundle = new ArrayList<>(outcome.artifacts());
        StepOutcome v = new QueryOptimizerEngine(Optional.of(sandbox), SMALL, NO_TARGET).validate(task(
                TaskKind.VALIDATE, inputs, bundle));
        assertEquals(1, v.evidence().size());
        assertEquals(EvidenceStatus.PASSED, v.evidence().get(0).status(), v.evidence().get(0).details());
    }

    @Test
    void aClaimTheIndexCannotKeepFailsTheValidationRound() {
        // the same claim, but the migration builds an index on a column no query filters on
        List<Artifact> broken = outcome.artifacts().stream().map(a -> a.content().contains("idx_comments_post_id")
                ? new Artifact(a.kind(), a.name(), a.content().replaceAll("(?m)^create index concurrently .*$",
                "create index concurrently if not exists idx_comments_body on public.comments (body);"), a.down(),
                a.producedBy()) : a).toList();
        StepOutcome v = new QueryOptimizerEngine(Optional.of(sandbox), SMALL, NO_TARGET).validate(task(
                TaskKind.VALIDATE, inputs, broken));
        assertEquals(EvidenceStatus.FAILED, v.evidence().get(0).status(), v.evidence().get(0).details());
        assertTrue(v.evidence().get(0).details().contains("broken: latest_comments"), v.evidence().get(0).details());
    }

    @Test
    void anIndexDeliveredWithoutAClaimFailsTheValidationRound() {
        // the same migrations with their headers cut: nothing to hold the indexes to, so the round does not pass
        List<Artifact> unclaimed = outcome.artifacts().stream().map(a -> new Artifact(a.kind(), a.name(),
                a.content().replaceAll("(?m)^-- serves .*\\R", ""), a.down(), a.producedBy())).toList();
        StepOutcome v = new QueryOptimizerEngine(Optional.of(sandbox), SMALL, NO_TARGET).validate(task(
                TaskKind.VALIDATE, inputs, unclaimed));
        assertEquals(EvidenceStatus.FAILED, v.evidence().get(0).status(), v.evidence().get(0).details());
        assertTrue(v.evidence().get(0).details().contains("claims nothing"), v.evidence().get(0).details());
    }

    @Test
    void aSchemaThatDoesNotApplyFailsTheStepWithWhere() {
        StepOutcome o = new QueryOptimizerEngine(Optional.of(sandbox), SMALL, NO_TARGET).work(task(TaskKind.WORK,
                new JobInputs(null, "create table t (id int primary key);\ncreate tabel u (id int);",
                        List.of(new dev.backendteam.contract.QueryInput("q", "select id from t where id = $1")),
                        null, null, null, null, null), List.of()));
        assertEquals(ResultStatus.FAILED, o.status());
        assertEquals(dev.backendteam.contract.FailureKind.INVALID_INPUT, o.failureKind());
        Evidence loaded = o.evidence().stream().filter(e -> e.check().equals(QueryOptimizerEngine.SCHEMA))
                .findFirst().orElseThrow();
        assertEquals(EvidenceStatus.FAILED, loaded.status());
        assertTrue(loaded.details().contains("42601"), loaded.details());
    }

    @Test
    void aPerformanceJobWithoutQueriesAsksForThem() {
        StepOutcome o = new QueryOptimizerEngine(Optional.of(sandbox), SMALL, NO_TARGET).work(task(TaskKind.WORK,
                new JobInputs(null, "create table t (id int primary key);", null, Map.of("t", 1_000_000L), null,
                        null, null, null), List.of()));
        assertEquals(ResultStatus.NEEDS_INPUT, o.status());
        assertTrue(o.question().contains("\"queries\""), o.question());
    }

    @Test
    void anotherFlowWithoutQueriesIsNotHeldUp() {
        // a new feature or a review with no declared queries and no policy columns: nothing to do, and it says so
        StepOutcome o = new QueryOptimizerEngine(Optional.of(sandbox), SMALL, NO_TARGET).work(task(TaskKind.WORK,
                new JobInputs(null, "create table t (id int primary key);", null, null, null, null, null, null),
                List.of()));
        assertEquals(ResultStatus.SUCCEEDED, o.status());
        assertTrue(o.artifacts().isEmpty());
        assertTrue(o.findings().stream().anyMatch(f -> f.ruleId().equals("query-optimizer.no-workload")));
    }

    @Test
    void withoutASandboxNothingIsClaimed() {
        StepOutcome o = new QueryOptimizerEngine(Optional.empty(), SMALL, NO_TARGET).work(task(TaskKind.WORK, inputs,
                List.of()));
        assertEquals(ResultStatus.SUCCEEDED, o.status());
        assertTrue(o.artifacts().isEmpty());
        assertEquals(EvidenceStatus.NOT_RUN, o.evidence().get(0).status());
    }
}
