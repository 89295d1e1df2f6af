package dev.backendteam.queryoptimizer.engine;

import dev.backendteam.contract.Artifact;
import dev.backendteam.contract.Contract;
import dev.backendteam.contract.EvidenceStatus;
import dev.backendteam.contract.Finding;
import dev.backendteam.contract.JobInputs;
import dev.backendteam.contract.QueryInput;
import dev.backendteam.contract.ResultStatus;
import dev.backendteam.contract.Severity;
import dev.backendteam.contract.Specialist;
import dev.backendteam.contract.StepOutcome;
import dev.backendteam.contract.TaskEvent;
import dev.backendteam.contract.TaskKind;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class QueryOptimizerEngineTest {
    private final QueryOptimizerEngine engine = new QueryOptimizerEngine();

    private static TaskEvent task(JobInputs inputs, List<Artifact> artifacts) {
        return new TaskEvent(Contract.VERSION, "t-1", "job-1", 3, 1, Specialist.QUERY_OPTIMIZER, null, TaskKind.WORK,
                "list the latest comments per post fast", inputs, artifacts, 0, null);
    }

    private static JobInputs inputs(String sql, List<QueryInput> queries, Map<String, Long> rowCounts) {
        return new JobInputs(null, sql, queries, rowCounts, null, null, null, null);
    }

    private static List<String> ruleIds(StepOutcome outcome) {
        return outcome.findings().stream().map(Finding::ruleId).toList();
    }

    private static String message(StepOutcome outcome, String ruleId) {
        return outcome.findings().stream().filter(f -> f.ruleId().equals(ruleId)).findFirst().orElseThrow().message();
    }

    /** A shell reports what it read and says what it did not do: it invents no index and claims no proof. */
    private static void assertHonest(StepOutcome outcome) {
        assertEquals(StepOutcome.notBuilt(outcome.findings().subList(0, outcome.findings().size() - 1),
                outcome.findings().get(outcome.findings().size() - 1).message()), outcome);
    }

    @Test
    void queriesAreCountedAndNamed() {
        StepOutcome outcome = engine.work(task(inputs(null, List.of(
                new QueryInput("latest_comments", "select * from comments where post_id = $1 limit 20"),
                new QueryInput(null, "select count(*) from posts"),
                new QueryInput("draft", " ")), null), List.of()));
        assertHonest(outcome);
        assertEquals("3 queries: latest_comments, #2, draft (1 without SQL)", message(outcome, "input.queries"));
    }

    @Test
    void rowCountsAreListedByTable() {
        StepOutcome outcome = engine.work(task(inputs(null, null, Map.of("posts", 1_200L, "comments", 5_000_000L)),
                List.of()));
        assertHonest(outcome);
        assertEquals("row counts for 2 table(s): comments (5000000), posts (1200)",
                message(outcome, "input.row-counts"));
    }

    @Test
    void theSchemaSourceIsNamed() {
        List<Artifact> migrations = List.of(Artifact.migration("create_comments", "create table comments ();", null,
                Specialist.DB_ARCHITECT), Artifact.file("Dockerfile", "FROM x", Specialist.OPS));
        assertEquals("schema from the SQL given", message(engine.work(task(inputs("create table a ();", null, null),
                List.of())), "input.schema"));
        assertEquals("schema from 1 earlier migration(s) in the bundle", message(engine.work(task(
                JobInputs.empty(), migrations)), "input.schema"));
        assertEquals("schema from the SQL given and 1 earlier migration(s) in the bundle", message(engine.work(task(
                inputs("create table a ();", null, null), migrations)), "input.schema"));
    }

    @Test
    void withNothingToWorkFromItStillSucceedsAndSaysSo() {
        StepOutcome outcome = engine.work(task(JobInputs.empty(), List.of()));
        assertHonest(outcome);
        assertEquals(List.of("input.none", "capability.not-built"), ruleIds(outcome));
    }

    private static TaskEvent handedOver(List<Finding> handover) {
        return new TaskEvent(Contract.VERSION, "t-1", "job-1", 3, 1, Specialist.QUERY_OPTIMIZER, null, TaskKind.WORK,
                "list the tasks fast", JobInputs.empty(), List.of(), 0, null, handover);
    }

    private static Finding policyColumns(String table, String columns) {
        return new Finding("handover.policy-columns", Severity.INFO, table, "the policies of " + table
                + " filter on " + columns, columns, null);
    }

    @Test
    void theColumnsSecuritysPoliciesFilterOnAreReportedAsUncheckedCandidates() {
        StepOutcome outcome = engine.work(handedOver(List.of(
                policyColumns("public.task", "user_id,project_id"),
                new Finding("handover.api-shape", Severity.INFO, "public.task", "for api-data", null, null),
                policyColumns("public.project", "organization_id"),
                policyColumns("public.task", "project_id, assignee_id"))));
        assertHonest(outcome);
        List<Finding> reported = outcome.findings().stream().filter(f -> f.ruleId().equals("input.policy-columns"))
                .toList();
        assertEquals(List.of("public.task", "public.project"), reported.stream().map(Finding::object).toList());
        assertEquals("security's policies filter on public.task(user_id, project_id, assignee_id): candidates for an"
                + " index, not yet checked: the query-optimizer does not build indexes yet", reported.get(0).message());
        assertEquals("security's policies filter on public.project(organization_id): candidates for an index, not yet"
                + " checked: the query-optimizer does not build indexes yet", reported.get(1).message());
        assertTrue(reported.stream().allMatch(f -> f.severity() == Severity.INFO && f.fix() == null),
                "a candidate nobody checked carries no fix");
        assertEquals(List.of("input.policy-columns", "input.policy-columns", "capability.not-built"), ruleIds(outcome),
                "a handover addressed to another role is not this one's input, and it is input enough: no input.none");
    }

    @Test
    void withoutAHandoverNothingIsSaidOfPolicyColumns() {
        assertTrue(ruleIds(engine.work(handedOver(List.of()))).stream()
                .noneMatch(r -> r.equals("input.policy-columns")));
    }

    @Test
    void validationClaimsNoProofItDidNotRun() {
        StepOutcome outcome = engine.validate(task(JobInputs.empty(), List.of()));
        assertEquals(ResultStatus.SUCCEEDED, outcome.status());
        assertEquals(1, outcome.evidence().size());
        assertEquals(EvidenceStatus.NOT_RUN, outcome.evidence().get(0).status(),
                "a check that did not run is said so, never counted as passed");
    }
}
