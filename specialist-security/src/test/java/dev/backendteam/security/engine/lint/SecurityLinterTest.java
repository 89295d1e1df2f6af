package dev.backendteam.security.engine.lint;

import dev.backendteam.contract.Finding;
import dev.backendteam.contract.Severity;
import dev.backendteam.sandbox.PostgresServers;
import dev.backendteam.sandbox.SandboxDatabase;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The linter around the rules: failures contained, findings ordered, schemas and intent passed to the SQL. */
@ExtendWith(PostgresServers.class)
class SecurityLinterTest {

    @BeforeAll
    static void servers(PostgresServers.Servers servers) {
        LintPostgres.use(servers);
    }


    private static List<Finding> lint(SecurityLinter linter, String sql, LintIntent intent) {
        try (SandboxDatabase db = LintPostgres.database()) {
            assertTrue(db.apply(sql).ok(), sql);
            return linter.lint(db, intent);
        }
    }

    @Test
    void aFailingRuleIsReportedAndTheOthersStillRunInOrder() {
        SecurityLinter linter = new SecurityLinter(LintCatalogue.load("/lint/broken"), SecurityLinter.DEFAULT_EXPOSED_SCHEMAS);
        List<Finding> findings = lint(linter, "create table public.alpha (id int primary key);"
                + " create table public.echo (id int primary key); create table public.zulu (id int primary key);",
                LintIntent.none());
        assertEquals(List.of(
                "ERROR security.every-table public.echo",
                "WARN security.every-table public.alpha",
                "WARN security.every-table public.zulu",
                "INFO security.lint-failed security.broken-sql",
                "INFO security.lint-failed security.broken-template"),
                findings.stream().map(f -> f.severity() + " " + f.ruleId() + " " + f.object()).toList(),
                "ordered by severity, rule and object; the rule for PostgreSQL 99 skipped: " + findings);
        Finding sql = findings.get(3);
        assertTrue(sql.message().contains("22012"), "the SQLSTATE of the failure: " + sql.message());
        assertTrue(sql.fix().startsWith(FixKind.ADVICE.prefix()), sql.fix());
        assertTrue(findings.get(4).message().contains("{missing}"), findings.get(4).message());
    }

    @Test
    void exposedSchemasAreAParameterAndIgnoredSchemasNeverCount() {
        String sql = "create schema api; create schema private;"
                + " create table api.widgets (id int primary key); create table private.secrets (id int primary key);"
                + " create table public.posts (id int primary key);";
        List<String> defaults = objects(lint(new SecurityLinter(), sql, LintIntent.none()), "security.rls-disabled");
        assertEquals(List.of("public.posts"), defaults);
        List<String> both = objects(lint(new SecurityLinter(List.of("public", "api", "private", "auth")), sql,
                LintIntent.none()), "security.rls-disabled");
        assertEquals(List.of("api.widgets", "public.posts"), both);
    }

    @Test
    void withoutIntentGrantsAndProtectedColumnsAreNotJudged() {
        String sql = "create table public.posts (id uuid primary key, user_id uuid not null);"
                + " create index idx_posts_user_id on public.posts (user_id);"
                + " grant all on public.posts to anon, authenticated;";
        List<Finding> none = lint(new SecurityLinter(), sql, LintIntent.none());
        assertTrue(objects(none, "security.grant-broader-than-intent").isEmpty(), none.toString());
        assertTrue(objects(none, "security.protected-column-updatable").isEmpty(), none.toString());
        assertFalse(objects(none, "security.rls-disabled").isEmpty(), none.toString());

        LintIntent owned = new LintIntent() {
            @Override
            public boolean serviceOnly(String table) {
                return false;
            }

            @Override
            public Optional<Set<String>> privileges(String table, String role) {
                return Optional.of("anon".equals(role) ? Set.of() : Set.of("select", "insert", "update", "delete"));
            }

            @Override
            public Set<String> protectedColumns(String table) {
                return Set.of("user_id");
            }
        };
        List<Finding> judged = lint(new SecurityLinter(), sql, owned);
        Map<String, Long> byRule = Map.of(
                "security.grant-broader-than-intent", 2L,
                "security.protected-column-updatable", 1L);
        byRule.forEach((rule, count) -> assertEquals(count, (long) objects(judged, rule).size(), rule + ": " + judged));
        assertTrue(judged.stream().filter(f -> f.ruleId().equals("security.grant-broader-than-intent"))
                .allMatch(f -> f.severity() == Severity.ERROR), judged.toString());
    }

    private static List<String> objects(List<Finding> findings, String ruleId) {
        return findings.stream().filter(f -> f.ruleId().equals(ruleId)).map(Finding::object).toList();
    }
}
