package dev.backendteam.orchestrator.engine;

import dev.backendteam.contract.Artifact;
import dev.backendteam.contract.Evidence;
import dev.backendteam.contract.EvidenceData;
import dev.backendteam.contract.JobInputs;
import dev.backendteam.contract.JobStatus;
import dev.backendteam.contract.Json;
import dev.backendteam.contract.ResultEvent;
import dev.backendteam.contract.Specialist;
import dev.backendteam.contract.StepOutcome;
import dev.backendteam.contract.TaskEvent;
import dev.backendteam.contract.TaskKind;
import dev.backendteam.contract.access.AccessIntent;
import dev.backendteam.contract.access.Grantee;
import dev.backendteam.contract.access.Operation;
import dev.backendteam.contract.access.TableIntent;
import dev.backendteam.contract.evidence.CatalogDiff;
import dev.backendteam.contract.evidence.EvidenceKind;
import dev.backendteam.contract.evidence.GrantCheck;
import dev.backendteam.contract.evidence.PlanCosts;
import dev.backendteam.contract.evidence.RlsMatrix;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** How evidence reaches the report: its status, where it ran, its structured kinds as tables, and "proven". */
class EvidenceReportTest {

    /** A completed security-review job whose validation step returned {@code evidence}. */
    private static Job validatedWith(Evidence... evidence) {
        Instant t = Instant.parse("2026-12-01T10:00:00Z");
        Step work = new Step(1, TaskKind.WORK, Specialist.SECURITY, "security", "flow", StepStatus.SUCCEEDED, 1, 0, t,
                t.plusMillis(50), null, null, null);
        Step validate = new Step(2, TaskKind.VALIDATE, Specialist.SECURITY, "security", "validation",
                StepStatus.SUCCEEDED, 1, 0, t, t.plusMillis(90), null, null, null);
        Job job = new Job(UUID.randomUUID(), "alice", "review the policies", null, null, "h", t, JobStatus.COMPLETED,
                "security-review", JobInputs.empty(), List.of(), null, "done", 0, 6, t, t.plusSeconds(1),
                List.of(work, validate), List.of(), false);
        TaskEvent task = new TaskEvent(1, "t", job.id.toString(), 2, 1, Specialist.SECURITY, "security",
                TaskKind.VALIDATE, "x", null, null, 0, null);
        validate.result = ResultEvent.of(task, StepOutcome.succeeded(null, null, List.of(evidence), null), 90);
        return job;
    }

    private static String markdown(Job job) {
        return ReportRenderer.markdown(new ReportBuilder().build(job));
    }

    /** A case as the runner reports it: ok when the verdict and the row count are what the intent says. */
    private static RlsMatrix.Case rls(String table, String operation, String actor, String expected, Long expectedRows,
            String actual, long rows, String sqlState) {
        long want = expectedRows == null ? 0 : expectedRows;
        boolean ok = expected.equals(actual) && rows == want;
        return new RlsMatrix.Case(table, operation, actor, expected, want, actual, rows, sqlState, null, ok);
    }

    private static String markdownOf(RlsMatrix matrix, boolean passed) {
        return markdown(validatedWith(new Evidence("rls matrix", passed, "cells", 80)
                .on(new Evidence.SandboxRun("explicit", "17.11")).with(EvidenceKind.RLS_MATRIX.wrap(matrix))));
    }

    @Test
    void theRlsMatrixIsAGridPerTableWithIntegrityColumnsOnlyWherePresentAndItsSensitivity() {
        RlsMatrix matrix = new RlsMatrix("explicit", List.of(
                rls("public.comment", "select", "owner", "allow", 1L, "allow", 1L, null),
                rls("public.comment", "select", "anon", "deny-grant", null, "allow", 3L, null),
                rls("public.comment", "update", "other-user", "deny-rls", null, "deny-rls", 0L, null),
                rls("public.comment", "delete", "anon", "deny-grant", null, "deny-grant", 0L, "42501"),
                rls("public.comment", "insert-foreign", "owner", "deny-rls", null, "deny-rls", 0L, "42501"),
                rls("public.tag", "select", "authenticated", "allow", 2L, "allow", 2L, null)),
                List.of(new RlsMatrix.Sensitivity("public.comment", "comment_select", "drop", List.of("a"), true),
                        new RlsMatrix.Sensitivity("public.comment", "comment_select", "true", List.of("a", "b"), true),
                        new RlsMatrix.Sensitivity("public.comment", "comment_update", "drop", List.of(), false),
                        new RlsMatrix.Sensitivity("public.comment", "comment_update", "true", List.of(), false),
                        new RlsMatrix.Sensitivity("public.comment", "comment_delete", "drop", List.of(), false),
                        new RlsMatrix.Sensitivity("public.comment", "comment_delete", "true", List.of("c"), true)));
        String md = markdownOf(matrix, false);
        assertTrue(md.contains("**failed** — rls matrix (security, step 2, 80 ms, explicit grants, PostgreSQL"
                + " 17.11): cells"), md);
        assertTrue(md.contains("""
                **`public.comment`**

                | actor | select | insert | update | delete | insert-foreign |
                |---|---|---|---|---|---|
                | owner | ✓ 1 |  |  |  | ✗ rls |
                | anon | ‼ expected deny-grant got allow (3 rows) |  |  | ✗ grant |  |
                | other-user |  |  | ✗ rls |  |  |
                """), md);
        assertTrue(md.contains("""
                **`public.tag`**

                | actor | select | insert | update | delete |
                |---|---|---|---|---|
                | authenticated | ✓ 2 |  |  |  |
                """), "no integrity column where the table has no such case: " + md);
        assertTrue(md.contains("""
                | table | policy | dropped | made true |  |
                |---|---|---|---|---|
                | `public.comment` | `comment_select` | 1 cell | 2 cells | ok |
                | `public.comment` | `comment_update` | 0 cells | 0 cells | **the matrix proves nothing about this policy** |
                | `public.comment` | `comment_delete` | 0 cells | 1 cell | **dropped: no cell changes** |
                """), md);
    }

    @Test
    void aMismatchStandsOutWithWhatWasExpectedAndWhatHappened() {
        String md = markdownOf(new RlsMatrix("explicit", List.of(
                rls("public.task", "update", "owner", "allow", 1L, "allow", 0L, null),
                rls("public.task", "delete", "owner", "allow", 1L, "error", 0L, "42P17"))), false);
        assertTrue(md.contains("| owner |  |  | ‼ expected allow (1 row) got allow (0 rows) |"
                + " ‼ expected allow (1 row) got error (42P17) |"), md);
    }

    @Test
    void aDenialByTheGrantsIsShownAsGrantNeverAsRls() {
        String md = markdownOf(new RlsMatrix("explicit", List.of(
                rls("public.task", "select", "anon", "deny-grant", null, "deny-grant", 0L, "42501"),
                rls("public.task", "delete", "other-user", "deny-rls", null, "deny-grant", 0L, "42501"))), false);
        assertTrue(md.contains("| anon | ✗ grant |  |  |  |"), md);
        assertTrue(md.contains("| other-user |  |  |  | ‼ expected deny-rls got deny-grant (42501) |"),
                "a refusal by the wrong layer is a mismatch, not RLS doing its job: " + md);
        assertFalse(md.contains("| ✗ rls |"), md);
    }

    @Test
    void theAccessIntentIsTheLatestOneAStepStatedAndTheJsonReportCarriesIt() {
        TableIntent byWork = new TableIntent("public.task", "inferred", "user_id", null, null, false, false, false,
                false, null, Map.of(Operation.SELECT, List.of(Grantee.OWNER)), List.of("user_id is the owner"));
        TableIntent byValidation = byWork.withRules("declared", Map.of(Operation.SELECT,
                List.of(Grantee.ANON, Grantee.AUTHENTICATED)), List.of());
        Job job = validatedWith(new Evidence("access intent", true, "1 table", 1)
                .with(EvidenceKind.ACCESS_INTENT.wrap(new AccessIntent(List.of(), List.of(byValidation)))));
        Step work = job.steps.get(0);
        work.result = ResultEvent.of(new TaskEvent(1, "t", job.id.toString(), 1, 1, Specialist.SECURITY, "security",
                TaskKind.WORK, "x", null, null, 0, null), StepOutcome.succeeded(null, null, List.of(
                new Evidence("access intent", true, "1 table", 1).with(EvidenceKind.ACCESS_INTENT.wrap(
                        new AccessIntent(List.of(), List.of(byWork))))), null), 50);
        JobReport report = new ReportBuilder().build(job);
        assertEquals(2, report.access().step(), "the validation round's intent is newer than the work step's");
        String md = ReportRenderer.markdown(report);
        assertTrue(md.contains("| `public.task` | anon, authenticated | — | — | — | declared |"), md);
        assertTrue(md.contains("stated by step 2, validation by security"), md);
        assertFalse(md.contains("| table | operation"), "the intent is shown once, in ## Access, not as evidence");
        String json = Json.write(report);
        assertTrue(json.contains("\"access\":{\"step\":2,\"kind\":\"validate\",\"intent\":{\"tenancies\":[],"
                + "\"tables\":[{\"table\":\"public.task\",\"source\":\"declared\""), json);

        job.steps.get(1).result = null;
        assertEquals(1, new ReportBuilder().build(job).access().step());
    }

    @Test
    void planCostsCatalogDiffsAndGrantChecksAreTablesToo() {
        String md = markdown(validatedWith(
                new Evidence("index set", true, "1 query faster", 20).with(EvidenceKind.PLAN_COSTS.wrap(
                        new PlanCosts(List.of(new PlanCosts.Query("latest_comments", 1843.2, 8.4, 41.0, 0.3,
                                List.of("idx_comment_post_id_created_at")))))),
                new Evidence("down", false, "left behind: table public.comment", 5).with(EvidenceKind.CATALOG_DIFF
                        .wrap(new CatalogDiff("before the migrations", "after the down scripts", 12,
                                List.of("table public.comment"), List.of()))),
                new Evidence("grants", true, "1 table", 3).with(EvidenceKind.GRANT_CHECK.wrap(new GrantCheck(
                        "explicit", List.of(new GrantCheck.Row("public.task", "authenticated", "owner",
                        List.of("select", "insert", "update", "delete"), List.of(), "missing")))))));
        assertTrue(md.contains("| query | cost before → after | ms (median) | indexes used |\n"), md);
        assertTrue(md.contains("| latest_comments | 1843.20 → 8.40 (-99.5 %) | 41 → 0.30 (-99.3 %) |"
                + " `idx_comment_post_id_created_at` |"), md);
        assertFalse(md.contains("Indexes weighed") || md.contains("Totals:"), "nothing for what the data lacks");
        assertTrue(md.contains("| `table public.comment` | left behind (not there before the migrations) |"), md);
        assertTrue(md.contains("| `public.task` | authenticated | owner | select, insert, update, delete | none |"
                + " **missing** |"), md);
    }

    @Test
    void planCostsShowPlansBuffersIndexesTotalsAndTheBaseline() {
        PlanCosts costs = new PlanCosts(List.of(
                new PlanCosts.Query("latest_comments", 1843.2, 8.4, 41.0, 0.3, List.of("idx_comment_post_created"),
                        "Limit ← Sort ← Seq Scan on comments", "Limit ← Index Scan using idx_comment_post_created on "
                        + "comments", 2210L, 12L, 1200.0, "cost −99 %, buffers −99 %"),
                new PlanCosts.Query("comment_count", 950, 940, null, null, List.of(), "Aggregate ← Seq Scan on "
                        + "comments", null, null, null, null, "cost −1 %: below the gate")),
                List.of(new PlanCosts.Index("idx_comment_post_created", "public.comments",
                        "create index idx_comment_post_created on public.comments (post_id, created_at desc)",
                        8_192_000L, List.of("latest_comments"), true, null),
                        new PlanCosts.Index("idx_comment_author", "public.comments", null, 4_194_304L, List.of(), false,
                                "no plan uses it; it would cost 40 inserts/s")),
                new PlanCosts.Baseline("an index per filtered column", 2793.2, 120.0, 3, 20_971_520L),
                new PlanCosts.Totals(2793.2, 948.4, 41.0, 0.3));
        String md = markdown(validatedWith(new Evidence("index set", true, "1 of 2 queries faster", 20)
                .with(EvidenceKind.PLAN_COSTS.wrap(costs))));
        assertTrue(md.contains("| query | calls/min | plan before → after | cost before → after | buffers | ms (median) |"
                + " indexes used | gate |\n"), md);
        assertTrue(md.contains("| latest_comments | 1200 | Limit ← Sort ← Seq Scan on comments → Limit ← Index Scan"
                + " using idx_comment_post_created on comments | 1843.20 → 8.40 (-99.5 %) | 2210 → 12 (-99.5 %) |"
                + " 41 → 0.30 (-99.3 %) | `idx_comment_post_created` | cost −99 %, buffers −99 % |"), md);
        assertTrue(md.contains("| comment_count |  | Aggregate ← Seq Scan on comments → ? | 950 → 940 (-1.1 %) |  |"
                + "  |  | cost −1 %: below the gate |"), md);
        assertTrue(md.contains("| `idx_comment_post_created` | `public.comments` | 8000 kB | latest_comments | kept |"
                + " `create index idx_comment_post_created on public.comments (post_id, created_at desc)` |"), md);
        assertTrue(md.contains("| `idx_comment_author` | `public.comments` | 4096 kB |  | **not kept**: no plan uses"
                + " it; it would cost 40 inserts/s |  |"), md);
        assertTrue(md.contains("| this index set | 2793.20 → 948.40 (-66.0 %) | 41 → 0.30 (-99.3 %) | 1 | 8000 kB |"),
                md);
        assertTrue(md.contains("| baseline: an index per filtered column | 2793.20 → 120 (-95.7 %) |  | 3 | 20 MB |"),
                md);
    }

    @Test
    void anIndexMigrationOfTheOptimizerIsListedUnderIndexes() {
        Job job = validatedWith(new Evidence("index set", true, "1 query faster", 20));
        job.artifacts.add(new Job.StoredArtifact(1, 1, Artifact.migration("add_comment_post_created_index",
                "-- serves latest_comments\ncreate index concurrently if not exists idx_comment_post_created\n"
                        + "  on public.comments (post_id, created_at desc);",
                "drop index concurrently if exists idx_comment_post_created;", Specialist.QUERY_OPTIMIZER)));
        String md = markdown(job);
        String indexes = md.substring(md.indexOf("## Indexes"), md.indexOf("## Setup"));
        assertTrue(indexes.contains("| `001_add_comment_post_created_index.sql` | `create index concurrently if not exists"
                + " idx_comment_post_created on public.comments (post_id, created_at desc)` |"), indexes);
        assertFalse(indexes.contains("drop index"), "a down script creates no index: " + indexes);
    }

    @Test
    void anUnknownKindOrVersionIsShownWithoutATableAndKeptInTheJson() throws Exception {
        Job job = validatedWith(new Evidence("flame graph", true, "1 sample", 1)
                .with(new EvidenceData("flame-graph", 1, Json.events().readTree("{\"frames\":3}"))),
                new Evidence("rls matrix", true, "future shape", 1)
                        .with(new EvidenceData("rls-matrix", 9, Json.events().readTree("{\"cells\":[]}"))));
        String md = markdown(job);
        assertTrue(md.contains("passed — flame graph"), md);
        assertFalse(md.contains("| table | operation"), "no table for a version this reader does not know");
        String json = Json.write(new ReportBuilder().build(job));
        assertTrue(json.contains("\"kind\":\"flame-graph\"") && json.contains("\"frames\":3"), json);
    }

    @Test
    void checksThatDidNotRunAreSaidSoAndTheJobIsNotProven() {
        Job job = validatedWith(Evidence.notRun("rls matrix", "not built yet: no access case was executed"));
        JobReport report = new ReportBuilder().build(job);
        assertFalse(report.proven());
        assertEquals(List.of("not_run"), report.validation().stream().map(v -> v.status().wire()).toList());
        String md = ReportRenderer.markdown(report);
        assertTrue(md.contains("- **Proven:** no — The validation round passed no check (0 passed, 0 failed, 1 not"
                + " run): nothing in this job is proven."), md);
        assertTrue(md.contains("- not run — rls matrix (security, step 2): not built yet"), md);
        assertTrue(Json.write(report).contains("\"status\":\"not_run\",\"passed\":false"), Json.write(report));
    }

    @Test
    void aPassedCheckAndNoFailureProveTheJob() {
        Job job = validatedWith(new Evidence("rls matrix", true, "16 cases", 40),
                Evidence.notRun("security lints", "not built yet"));
        JobReport report = new ReportBuilder().build(job);
        assertTrue(report.proven());
        assertTrue(ReportRenderer.markdown(report).contains("- **Proven:** yes — Validation round: 1 passed, 0"
                + " failed, 1 not run; the job is proven."));
        Job failed = validatedWith(new Evidence("rls matrix", true, "16 cases", 40),
                new Evidence("security lints", false, "2 errors", 9));
        assertFalse(failed.proven(), "a failed check in the round means not proven");
    }
}
