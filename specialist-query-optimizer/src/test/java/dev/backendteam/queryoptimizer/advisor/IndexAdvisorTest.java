package dev.backendteam.queryoptimizer.advisor;

import dev.backendteam.queryoptimizer.QueryOptimizerSandbox;
import dev.backendteam.queryoptimizer.plan.WorkloadQuery;
import dev.backendteam.sandbox.PostgresServers;
import dev.backendteam.sandbox.SandboxDatabase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

@ExtendWith(PostgresServers.class)
class IndexAdvisorTest {
    static final String SCHEMA = """
            create table posts (id bigint generated always as identity primary key, author_id uuid not null,
              title text not null, status text not null default 'draft' check (status in ('draft', 'published', 'archived')),
              published_at timestamptz, created_at timestamptz not null default now());
            create table comments (id bigint generated always as identity primary key,
              post_id bigint not null references posts(id) on delete cascade, author_id uuid not null,
              email text not null, body text not null, deleted_at timestamptz, created_at timestamptz not null default now());
            insert into posts (author_id, title, status, published_at, created_at)
              select md5((g % 500)::text)::uuid, 'post ' || g, case when g % 20 = 0 then 'draft' when g % 50 = 1 then 'archived' else 'published' end,
                     now() - g * interval '1 minute', now() - g * interval '1 minute' from generate_series(1, 20000) g;
            insert into comments (post_id, author_id, email, body, deleted_at, created_at)
              select 1 + (g * 7919) % 20000, md5((g % 3000)::text)::uuid, 'User' || g || '@Example.com', repeat('words ', 10),
                     case when g % 10 = 0 then now() end, now() - g * interval '10 seconds' from generate_series(1, 200000) g;
            analyze posts; analyze comments;
            """;

    static List<WorkloadQuery> workload() {
        return List.of(
                WorkloadQuery.given("latest_comments", "select id, author_id, body, created_at from comments"
                        + " where post_id = $1 and deleted_at is null order by created_at desc limit 20", 600.0),
                WorkloadQuery.given("by_email", "select id from comments where lower(email) = lower($1)", 30.0),
                WorkloadQuery.given("post_by_id", "select * from posts where id = $1", 1000.0),
                WorkloadQuery.given("status_counts", "select status, count(*) from posts group by status", 1.0));
    }

    /** The gate can fail: asked for a saving no index reaches, the proof keeps none of the set the search chose. */
    @Test
    void anIndexThatMissesTheThresholdIsNotKept(PostgresServers.Servers servers) {
        try (SandboxDatabase db = QueryOptimizerSandbox.on(servers.pg17()).create("qo-gate")) {
            assertNull(db.apply(SCHEMA).error());
            IndexAdvisor.Settings d = IndexAdvisor.Settings.defaults();
            IndexAdvisor.Advice advice = new IndexAdvisor(new IndexAdvisor.Settings(d.maxIndexes(), 0.9999, d.runs(),
                    d.maxCandidates(), d.exhaustiveLimit(), d.exhaustivePlanBudget())).advise(db, workload(), Map.of(),
                    Map.of(), Set.of());
            assertTrue(!advice.search().chosen().isEmpty(), "the search chose a set");
            assertTrue(advice.indexes().stream().noneMatch(IndexAdvisor.Chosen::kept), advice.indexes().toString());
            assertTrue(advice.indexes().stream().allMatch(i -> i.reason().startsWith("no query that uses it got")),
                    advice.indexes().toString());
        }
    }

    /** An index with another NULLS order or operator class serves other queries: it covers no plain candidate. */
    @Test
    void aSpecialExistingIndexCoversNoPlainCandidate(PostgresServers.Servers servers) {
        try (SandboxDatabase db = QueryOptimizerSandbox.on(servers.pg17()).create("qo-special")) {
            assertNull(db.apply("create table t (id int primary key, created_at timestamptz, name text);"
                    + " create index t_created on t (created_at desc nulls last);"
                    + " create index t_name on t (name text_pattern_ops); create index t_plain on t (name);").error());
            List<IndexCatalog.Existing> existing = IndexCatalog.indexes(db);
            Candidate byDate = new Candidate("public", "t", List.of(new Candidate.Key("created_at", true, true)), null,
                    null, "btree", null, "single");
            Candidate byName = new Candidate("public", "t", List.of(new Candidate.Key("name", true, false)), null,
                    null, "btree", null, "single");
            assertNull(IndexCatalog.covering(byDate, existing), "desc nulls last is not desc");
            assertEquals("t_plain", IndexCatalog.covering(byName, existing).name(), "text_pattern_ops is not it");
        }
    }

    @Test
    void aCompositeAnExpressionAndNothingForTheRest(PostgresServers.Servers servers) {
        try (SandboxDatabase db = QueryOptimizerSandbox.on(servers.pg17()).create("qo-advisor")) {
            assertNull(db.apply(SCHEMA).error());
            IndexAdvisor.Advice advice = new IndexAdvisor(IndexAdvisor.Settings.defaults()).advise(db, workload(),
                    Map.of(), Map.of(), Set.of());
            List<IndexAdvisor.Chosen> kept = advice.indexes().stream().filter(IndexAdvisor.Chosen::kept).toList();
            assertTrue(kept.stream().anyMatch(i -> i.serves().contains("latest_comments")));
            assertTrue(kept.stream().anyMatch(i -> i.serves().contains("by_email")));
            assertTrue(kept.stream().noneMatch(i -> i.serves().contains("post_by_id")
                    || i.serves().contains("status_counts")));
            assertEquals(List.of(), advice.failed());
        }
    }
}
