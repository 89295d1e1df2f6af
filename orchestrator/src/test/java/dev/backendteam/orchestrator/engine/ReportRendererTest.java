package dev.backendteam.orchestrator.engine;

import dev.backendteam.contract.Artifact;
import dev.backendteam.contract.Diagnosis;
import dev.backendteam.contract.Handoff;
import dev.backendteam.contract.JobStatus;
import dev.backendteam.contract.Specialist;
import dev.backendteam.contract.access.AccessIntent;
import dev.backendteam.contract.access.Grantee;
import dev.backendteam.contract.access.Operation;
import dev.backendteam.contract.access.TableIntent;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ReportRendererTest {

    private static JobReport reportWith(List<Artifact> bundle) {
        return reportWith(bundle, null);
    }

    private static JobReport reportWith(List<Artifact> bundle, JobReport.Access access) {
        Instant t = Instant.parse("2026-11-24T10:00:00Z");
        List<JobReport.StepReport> steps = List.of(new JobReport.StepReport(2, "work", "security", "security", "flow",
                "succeeded", 1, 0, 80L, null, null, List.of(), List.of()));
        return new JobReport("j-1", JobStatus.COMPLETED, false, "new-feature", "add comments", null, "done", null, t, t,
                List.of("db-architect"), steps, access, bundle, List.of(), List.of(), "nothing was validated.");
    }

    private static TableIntent table(String name, String source, Map<Operation, List<Grantee>> rules,
            List<String> assumptions) {
        return new TableIntent(name, source, null, null, null, false, false, false, false, null, rules, assumptions);
    }

    /** The lines of a section, without its heading, up to the next section. */
    private static List<String> section(String md, String heading) {
        int from = md.indexOf("## " + heading + "\n\n") + heading.length() + 5;
        return md.substring(from, md.indexOf("\n## ", from)).strip().lines().toList();
    }

    private static Artifact migration(String name, String up) {
        return new Artifact(dev.backendteam.contract.ArtifactKind.MIGRATION, name, up, null, "db-architect");
    }

    private static List<String> indexesSection(String md) {
        return section(md, "Indexes");
    }

    @Test
    void theDiagnosisSectionShowsWhatTheDebuggerFoundAndWhomItHandedTheFixTo() {
        Instant t = Instant.parse("2026-11-24T10:00:00Z");
        Diagnosis d = new Diagnosis("postgres.undefined-column", "42703", "comments.body",
                "insert into comments (post_id, body)\nvalues ($1, $2)", "column \"body\" does not exist", "data",
                "database", "critical", null);
        List<JobReport.StepReport> steps = List.of(
                new JobReport.StepReport(1, "work", "ops", "debugger", "flow", "succeeded", 1, 0, 12L, null, null,
                        List.of(), List.of(), new Handoff(Specialist.DB_ARCHITECT, null, "the column is missing", d)),
                new JobReport.StepReport(2, "work", "db-architect", "schema", "handoff", "succeeded", 1, 0, 80L, null,
                        null, List.of(), List.of()));
        JobReport report = new JobReport("j-1", JobStatus.COMPLETED, false, "bug", "500 on comments", null, "done",
                null, t, t, List.of("ops(debugger)", "db-architect"), steps, null, List.of(), List.of(), List.of(),
                "nothing was validated.");
        String md = ReportRenderer.markdown(report);
        assertEquals(List.of(
                "- **`postgres.undefined-column`** (ops(debugger), step 1) — data · database · critical → handed to"
                        + " db-architect",
                "  - object: `comments.body`",
                "  - SQLSTATE: `42703`",
                "  - error: `column \"body\" does not exist`",
                "  - statement: `insert into comments (post_id, body) values ($1, $2)`",
                "  - why: the column is missing"), section(md, "Diagnosis"));
        assertFalse(ReportRenderer.markdown(reportWith(List.of())).contains("## Diagnosis"),
                "no diagnosis, no section");
        // text from a log is shown, never read as Markdown or HTML
        assertEquals("`<script>alert(1)</script> **x**`", ReportRenderer.literal("<script>alert(1)</script> **x**"));
        assertEquals("`` a `quoted` b ``", ReportRenderer.literal("a `quoted` b"));
        assertEquals("log line 3: &lt;img src=x onerror=alert(1)> &lt;/b> where status <> 'done' and a < b",
                ReportRenderer.prose("log line 3: <img src=x onerror=alert(1)> </b>\n where status <> 'done' and a < b"));
    }

    @Test
    void theIndexesSectionShowsEachIndexStatementWithItsMigration() {
        String first = """
                -- create index in_a_comment on comments(x);
                /* create index in_a_block_comment on comments(x); */
                create table comments(id bigint primary key, post_id bigint, body text,
                    note text default 'create index in_a_string on comments(x);');
                create index idx_comments_post_id on comments(post_id);
                CREATE UNIQUE INDEX IF NOT EXISTS uq_comments_body
                    ON comments (body)
                    WHERE body <> '';
                create function touch() returns trigger language plpgsql as $$
                begin
                    execute 'create index in_a_function_string on comments(x)';
                    create index in_a_function_body on comments(x);
                    return new;
                end $$;
                create index idx_comments_pipe on comments ((body || note));
                """;
        String second = "create index concurrently if not exists idx_comments_recent\n"
                + "  on comments using btree (post_id, id desc);\n";
        String md = ReportRenderer.markdown(reportWith(List.of(migration("001_create_comments.sql", first),
                migration("002_index_recent.sql", second))));
        assertEquals(List.of(
                "| migration | statement |",
                "|---|---|",
                "| `001_create_comments.sql` | `create index idx_comments_post_id on comments(post_id)` |",
                "| `001_create_comments.sql` | `CREATE UNIQUE INDEX IF NOT EXISTS uq_comments_body ON comments (body) "
                        + "WHERE body <> ''` |",
                "| `001_create_comments.sql` | `create index idx_comments_pipe on comments ((body \\|\\| note))` |",
                "| `002_index_recent.sql` | `create index concurrently if not exists idx_comments_recent on comments "
                        + "using btree (post_id, id desc)` |"), indexesSection(md));
    }

    @Test
    void migrationsWithoutIndexStatementsShowNone() {
        String md = ReportRenderer.markdown(reportWith(List.of(migration("001_create_comments.sql",
                "-- create index later\ncreate table comments(note text default 'create index x on y(z)');"))));
        assertEquals(List.of("None."), indexesSection(md));
    }

    @Test
    void aStatementHoldingABacktickKeepsItsCodeSpan() {
        String md = ReportRenderer.markdown(reportWith(List.of(migration("001_odd.sql",
                "create index \"odd`name\" on t(x);"))));
        assertEquals("| `001_odd.sql` | `` create index \"odd`name\" on t(x) `` |", indexesSection(md).get(2));
    }

    @Test
    void theAccessSectionFollowsTheSummaryWithATableThatEscapesItsCellsAndTheAssumptionsToCorrect() {
        AccessIntent intent = new AccessIntent(List.of(), List.of(
                table("public.profile", "marker (publicRead, owner)", Map.of(
                        Operation.SELECT, List.of(Grantee.ANON, Grantee.AUTHENTICATED),
                        Operation.INSERT, List.of(Grantee.OWNER), Operation.UPDATE, List.of(Grantee.OWNER),
                        Operation.DELETE, List.of(Grantee.OWNER)), List.of()),
                table("public.audit|log", "inferred", Map.of(Operation.SELECT, List.of(Grantee.member("admin"))),
                        List.of("not public, not service-only: answer with an access section to say otherwise",
                                "access follows the parent\npublic.org (org_id)"))));
        String md = ReportRenderer.markdown(reportWith(List.of(), new JobReport.Access(2, "work", intent)));
        int summary = md.indexOf("## Summary");
        int access = md.indexOf("## Access");
        assertTrue(summary >= 0 && access > summary && access < md.indexOf("## Migrations"), md);
        assertTrue(md.substring(summary, access).contains("| 2 | security(security) | succeeded |"),
                "the step table stays in the Summary, before the Access section");
        assertEquals(List.of(
                "Who may do what to which rows (the access intent stated by step 2, security):",
                "",
                "| table | select | insert | update | delete | from |",
                "|---|---|---|---|---|---|",
                "| `public.profile` | anon, authenticated | owner | owner | owner | marker (publicRead, owner) |",
                "| `public.audit\\|log` | member:admin | — | — | — | inferred |",
                "",
                "service_role (server-side code) has every privilege and bypasses RLS.",
                "",
                "Assumed — correct it by answering the job with a spec whose `access` section says otherwise, e.g."
                        + " `{\"spec\":{\"access\":{\"audit|log\":{\"select\":[\"anon\",\"authenticated\"]}}}}` via"
                        + " `POST /jobs/j-1/answers` (taken while the job waits for an answer, otherwise submit the job"
                        + " again; a spec sent replaces the job's, so keep its entities):",
                "",
                "- `public.audit|log`: not public, not service-only: answer with an access section to say otherwise",
                "- `public.audit|log`: access follows the parent public.org (org_id)"), section(md, "Access"));
    }

    @Test
    void withoutAnAccessIntentThereIsNoAccessSectionAndWithoutAssumptionsNoCorrectionHint() {
        assertFalse(ReportRenderer.markdown(reportWith(List.of())).contains("## Access"));
        AccessIntent intent = new AccessIntent(List.of(), List.of(table("public.tag", "default",
                Map.of(Operation.SELECT, List.of(Grantee.AUTHENTICATED)), List.of())));
        List<String> lines = section(ReportRenderer.markdown(reportWith(List.of(),
                new JobReport.Access(5, "validate", intent))), "Access");
        assertEquals("Who may do what to which rows (the access intent stated by step 5, validation by a"
                + " specialist):", lines.get(0));
        assertEquals("service_role (server-side code) has every privilege and bypasses RLS.",
                lines.get(lines.size() - 1), "no assumptions, nothing to correct");
    }
}
