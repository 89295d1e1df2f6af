package dev.backendteam.orchestrator.engine;

import dev.backendteam.contract.Artifact;
import dev.backendteam.contract.ArtifactKind;
import dev.backendteam.contract.Evidence;
import dev.backendteam.contract.JobCompleted;
import dev.backendteam.contract.JobInputs;
import dev.backendteam.contract.JobStatus;
import dev.backendteam.contract.Json;
import dev.backendteam.contract.ResultEvent;
import dev.backendteam.contract.Specialist;
import dev.backendteam.contract.StepOutcome;
import dev.backendteam.contract.Finding;
import dev.backendteam.contract.Severity;
import dev.backendteam.contract.TaskEvent;
import dev.backendteam.contract.Topics;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BundleAndReportTest {

    private static Job jobWith(List<Artifact> artifacts, List<Evidence> evidence) {
        Instant t = Instant.parse("2026-11-24T10:00:00Z");
        Step step = new Step(1, dev.backendteam.contract.TaskKind.WORK, Specialist.DB_ARCHITECT, null, "flow",
                StepStatus.SUCCEEDED, 1, 0, t, t.plusMillis(120), null, null, null);
        List<Job.StoredArtifact> stored = new ArrayList<>();
        for (Artifact a : artifacts) {
            stored.add(new Job.StoredArtifact(stored.size() + 1, 1, a));
        }
        Job job = new Job(UUID.randomUUID(), "alice", "add comments", "c-1", null, "h", t, JobStatus.COMPLETED,
                "new-feature", JobInputs.empty(), List.of(), null, "done", 0, 3, t, t.plusSeconds(1), List.of(step),
                stored, false);
        step.result = dev.backendteam.contract.ResultEvent.of(new dev.backendteam.contract.TaskEvent(1, "t",
                job.id.toString(), 1, 1, Specialist.DB_ARCHITECT, null, dev.backendteam.contract.TaskKind.WORK, "x",
                null, null, 0, null), StepOutcome.succeeded(artifacts, List.of(new Finding("schema.fk-index",
                Severity.WARN, "comments.post_id", "foreign key without an index", "create index …", 3)), evidence,
                null), 120);
        return job;
    }

    @Test
    void migrationsAreNumberedInStepOrderAndFilesKeepTheirPaths() {
        List<Artifact> numbered = ReportBuilder.numbered(List.of(
                Artifact.migration("Create Posts.sql", "create table posts();", "drop table posts;",
                        Specialist.DB_ARCHITECT),
                Artifact.file("Dockerfile", "FROM eclipse-temurin:17", Specialist.OPS),
                Artifact.migration("002_idx_posts_author", "create index concurrently idx on posts(a);",
                        "drop index concurrently idx;", Specialist.QUERY_OPTIMIZER)));
        assertEquals("001_create_posts.sql", numbered.get(0).name());
        assertEquals("Dockerfile", numbered.get(1).name());
        assertEquals("002_idx_posts_author.sql", numbered.get(2).name());
    }

    @Test
    void aFileDeliveredAgainUnderTheSameNameSupersedesTheEarlierOneWithANote() {
        List<String> notes = new ArrayList<>();
        List<Artifact> bundle = ReportBuilder.deliverable(List.of(
                new Artifact(ArtifactKind.TYPES, "database.types.ts", "Tables only", null, "db-architect"),
                Artifact.migration("create_posts", "create table posts();", "drop table posts;",
                        Specialist.DB_ARCHITECT),
                Artifact.file("supabase/api/openapi.json", "{}", Specialist.DB_ARCHITECT),
                new Artifact(ArtifactKind.TYPES, "database.types.ts", "Tables, Views, Functions", null, "db-architect"),
                Artifact.migration("create_api", "create view v as select 1;", "drop view v;",
                        Specialist.DB_ARCHITECT)), notes);

        assertEquals(List.of("001_create_posts.sql", "supabase/api/openapi.json", "database.types.ts",
                "002_create_api.sql"), bundle.stream().map(Artifact::name).toList());
        assertEquals("Tables, Views, Functions", bundle.get(2).content());
        assertEquals(1, notes.size(), notes.toString());
        assertTrue(notes.get(0).contains("superseded"), notes.get(0));
    }

    @Test
    void theMarkdownReportHasEverySectionAndShowsFindingsAndEvidence() {
        JobReport report = new ReportBuilder().build(jobWith(List.of(Artifact.migration("create_comments",
                "create table comments(id bigint primary key);\ncreate index idx_comments_post_id on comments(id);",
                "drop table comments;", Specialist.DB_ARCHITECT)), List.of(new Evidence("applied in sandbox", true,
                "1 migration", 33))));
        String md = ReportRenderer.markdown(report);
        for (String section : List.of("## Summary", "## Migrations", "## Edge Functions", "## Indexes", "## Setup",
                "## Notes", "## Validation")) {
            assertTrue(md.contains(section), section + " missing:\n" + md);
        }
        assertTrue(md.contains("### `001_create_comments.sql`"));
        assertTrue(md.contains("| `001_create_comments.sql` | `create index idx_comments_post_id on comments(id)` |"),
                "listed under Indexes:\n" + md);
        assertTrue(md.contains("**warn** `schema.fk-index`"));
        assertTrue(md.contains("line 3"));
        assertTrue(md.contains("passed — applied in sandbox (db-architect, step 1, 33 ms)"));
        assertTrue(md.contains("Rollback: apply the down scripts in reverse order: 001_create_comments.sql."));
    }

    private static Map<String, String> unzip(byte[] zipped) throws IOException {
        Map<String, String> entries = new LinkedHashMap<>();
        try (ZipInputStream zip = new ZipInputStream(new ByteArrayInputStream(zipped))) {
            for (ZipEntry e; (e = zip.getNextEntry()) != null; ) {
                entries.put(e.getName(), new String(zip.readAllBytes(), StandardCharsets.UTF_8));
            }
        }
        return entries;
    }

    private static byte[] bundle(JobReport report) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        BundleWriter.write(report, out);
        return out.toByteArray();
    }

    @Test
    void theBundleUsesTheSupabaseLayoutAndCannotEscapeItsFolder() throws Exception {
        Job job = jobWith(List.of(
                Artifact.migration("create_comments", "create table comments();", "drop table comments;",
                        Specialist.DB_ARCHITECT),
                Artifact.migration("add_index", "create index concurrently i on comments(x);", null,
                        Specialist.QUERY_OPTIMIZER),
                Artifact.file("../../etc/passwd", "nope", Specialist.OPS),
                new Artifact(ArtifactKind.TYPES, "database.types.ts", "export type X = {}", null, "db-architect"),
                Artifact.file("supabase/functions/hello/index.ts", "Deno.serve(() => new Response('hi'))",
                        Specialist.OPS)), List.of());
        JobReport report = new ReportBuilder().build(job);
        Map<String, String> entries = unzip(bundle(report));
        assertEquals(List.of("REPORT.md", "supabase/migrations/20261124100000_create_comments.sql",
                "supabase/rollbacks/20261124100000_create_comments.down.sql",
                "supabase/migrations/20261124100001_add_index.sql", "types/database.types.ts",
                "supabase/functions/hello/index.ts"), List.copyOf(entries.keySet()));
        assertEquals("create table comments();", entries.get("supabase/migrations/20261124100000_create_comments.sql"));
        assertTrue(report.notes().contains("Left out of the bundle: file `../../etc/passwd` from ops, because its "
                + "name has a '..' segment."), report.notes().toString());
        assertTrue(entries.get("REPORT.md").contains("- Left out of the bundle: file `../../etc/passwd` from ops"));
    }

    @Test
    void unsafeNamesInASpecialistsResultAreLeftOutOfTheBundleWithANote() throws Exception {
        JobCoordinatorTest.MutableClock clock = new JobCoordinatorTest.MutableClock();
        JobCoordinator coordinator = new JobCoordinator(FlowCatalog.fromClasspath(),
                new JobCoordinator.Settings(Duration.ofSeconds(60), 2, 2), clock);
        Job job = Job.create(UUID.randomUUID(), "alice", "review our policies", JobInputs.empty(), "security-review",
                "c-1", null, "h", clock.instant());
        coordinator.submit(job);
        TaskEvent work = lastTask(job);
        coordinator.apply(job, ResultEvent.of(work, StepOutcome.succeeded(List.of(
                Artifact.migration("enable_rls", "alter table posts enable row level security;",
                        "alter table posts disable row level security;", Specialist.SECURITY),
                Artifact.file("../../etc/passwd", "root::0:0", Specialist.SECURITY),
                Artifact.file("/etc/passwd", "root::0:0", Specialist.SECURITY),
                Artifact.file("C:\\evil", "x", Specialist.SECURITY),
                new Artifact(ArtifactKind.TYPES, "a/../../b", "export type X = {}", null, "security"),
                new Artifact(ArtifactKind.DIAGRAM, "../er.md", "erDiagram", null, "security"),
                Artifact.file("supabase/policies/README.md", "how the policies work", Specialist.SECURITY)),
                null, null, null), 5));
        coordinator.apply(job, ResultEvent.of(lastTask(job), StepOutcome.succeeded(null, null, null, null), 5));
        assertEquals(JobStatus.COMPLETED, job.status);

        JobReport report = new ReportBuilder().build(job);
        Map<String, String> entries = unzip(bundle(report));
        assertEquals(List.of("REPORT.md", "supabase/migrations/20261124100000_enable_rls.sql",
                "supabase/rollbacks/20261124100000_enable_rls.down.sql", "supabase/policies/README.md"),
                List.copyOf(entries.keySet()), "only the safe artifacts are delivered");
        assertEquals(List.of(
                "Left out of the bundle: file `../../etc/passwd` from security, because its name has a '..' segment.",
                "Left out of the bundle: file `/etc/passwd` from security, because its name is absolute (starts "
                        + "with '/').",
                "Left out of the bundle: file `C:\\evil` from security, because its name contains '\\'; separate "
                        + "segments with '/'.",
                "Left out of the bundle: types `a/../../b` from security, because its name has a '..' segment.",
                "Left out of the bundle: diagram `../er.md` from security, because its name has a '..' segment."),
                report.notes().stream().filter(n -> n.startsWith("Left out")).toList());
        String md = entries.get("REPORT.md");
        assertTrue(md.contains("- Left out of the bundle: file `/etc/passwd` from security"), md);
        assertFalse(md.contains("root::0:0"), "a refused artifact's content is not in the report either");

        // the event that announces the job carries the same bundle
        JobCompleted completed = job.outgoing().stream().filter(o -> o.topic().equals(Topics.JOBS_COMPLETED))
                .map(o -> Json.read(o.payload(), JobCompleted.class)).findFirst().orElseThrow();
        assertEquals(List.of("001_enable_rls.sql", "supabase/policies/README.md"),
                completed.bundle().stream().map(Artifact::name).toList());
    }

    private static TaskEvent lastTask(Job job) {
        List<TaskEvent> tasks = job.outgoing().stream().filter(o -> o.topic().startsWith(Topics.TASKS_PREFIX))
                .map(o -> Json.read(o.payload(), TaskEvent.class)).toList();
        return tasks.get(tasks.size() - 1);
    }

    @Test
    void aMigrationWhoseFileNameIsTooLongIsLeftOutAndTheOthersStayNumberedInOrder() throws Exception {
        String longPurpose = "x".repeat(250);
        JobReport report = new ReportBuilder().build(jobWith(List.of(
                Artifact.migration("create_posts", "create table posts();", null, Specialist.DB_ARCHITECT),
                Artifact.migration(longPurpose, "create table x();", null, Specialist.DB_ARCHITECT),
                Artifact.migration("create_comments", "create table comments();", null, Specialist.DB_ARCHITECT)),
                List.of()));
        assertEquals(List.of("001_create_posts.sql", "002_create_comments.sql"),
                report.bundle().stream().map(Artifact::name).toList());
        assertTrue(report.notes().stream().anyMatch(n -> n.startsWith("Left out of the bundle: migration `xxx")
                && n.contains("from db-architect, because its path in the bundle has a segment of 269 bytes")),
                report.notes().toString());
        assertEquals(List.of("REPORT.md", "supabase/migrations/20261124100000_create_posts.sql",
                "supabase/migrations/20261124100001_create_comments.sql"),
                List.copyOf(unzip(bundle(report)).keySet()));
    }

    @ParameterizedTest
    @ValueSource(strings = {"../../etc/passwd", "/etc/passwd", "C:\\evil", "a/../../b", "a//b", "C:evil"})
    void theWriterRefusesAnUnsafeNameItIsGiven(String name) {
        for (ArtifactKind kind : List.of(ArtifactKind.FILE, ArtifactKind.TYPES, ArtifactKind.DIAGRAM)) {
            JobReport report = reportWithBundle(List.of(new Artifact(kind, name, "x", null, "ops")));
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> BundleWriter.write(report, new ByteArrayOutputStream()));
            assertTrue(e.getMessage().contains(name), e.getMessage());
        }
    }

    @Test
    void theWriterRefusesAMigrationWhoseNameWouldClimbOutOfItsFolder() {
        JobReport report = reportWithBundle(List.of(new Artifact(ArtifactKind.MIGRATION, "001_../../../../etc/x.sql",
                "x", "y", "db-architect")));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> BundleWriter.write(report, new ByteArrayOutputStream()));
        assertTrue(e.getMessage().contains("'..' segment"), e.getMessage());
    }

    private static JobReport reportWithBundle(List<Artifact> bundle) {
        JobReport built = new ReportBuilder().build(jobWith(List.of(), List.of()));
        return new JobReport(built.jobId(), built.status(), built.proven(), built.flow(), built.task(),
                built.correlationId(),
                built.reason(), built.question(), built.createdAt(), built.finishedAt(), built.specialists(),
                built.steps(), built.access(), bundle, built.notes(), built.validation(), built.validationSummary());
    }
}
