package dev.backendteam.orchestrator.engine;

import dev.backendteam.contract.Artifact;
import dev.backendteam.contract.JobStatus;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

class ReportRendererTest {

    private static JobReport reportWith(List<Artifact> bundle) {
        Instant t = Instant.parse("2026-11-24T10:00:00Z");
        return new JobReport("j-1", JobStatus.COMPLETED, false, "new-feature", "add comments", null, "done", null, t, t,
                List.of("db-architect"), List.of(), bundle, List.of(), List.of(), "nothing was validated.");
    }

    private static Artifact migration(String name, String up) {
        return new Artifact(dev.backendteam.contract.ArtifactKind.MIGRATION, name, up, null, "db-architect");
    }

    /** The lines of the section, without its heading. */
    private static List<String> indexesSection(String md) {
        int from = md.indexOf("## Indexes\n\n") + "## Indexes\n\n".length();
        return md.substring(from, md.indexOf("\n## Setup")).strip().lines().toList();
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
}
