package dev.backendteam.orchestrator.engine;

import dev.backendteam.contract.Artifact;
import dev.backendteam.contract.ArtifactKind;
import dev.backendteam.contract.Evidence;
import dev.backendteam.contract.JobInputs;
import dev.backendteam.contract.JobStatus;
import dev.backendteam.contract.Specialist;
import dev.backendteam.contract.StepOutcome;
import dev.backendteam.contract.Finding;
import dev.backendteam.contract.Severity;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
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
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        BundleWriter.write(new ReportBuilder().build(job), out);
        Map<String, String> entries = new LinkedHashMap<>();
        try (ZipInputStream zip = new ZipInputStream(new ByteArrayInputStream(out.toByteArray()))) {
            for (ZipEntry e; (e = zip.getNextEntry()) != null; ) {
                entries.put(e.getName(), new String(zip.readAllBytes(), StandardCharsets.UTF_8));
            }
        }
        assertEquals(List.of("REPORT.md", "supabase/migrations/20261124100000_create_comments.sql",
                "supabase/rollbacks/20261124100000_create_comments.down.sql",
                "supabase/migrations/20261124100001_add_index.sql", "etc/passwd", "types/database.types.ts",
                "supabase/functions/hello/index.ts"), List.copyOf(entries.keySet()));
        assertEquals("create table comments();", entries.get("supabase/migrations/20261124100000_create_comments.sql"));
    }
}
