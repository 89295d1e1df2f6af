package dev.backendteam.security.engine;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.backendteam.contract.Artifact;
import dev.backendteam.contract.Evidence;
import dev.backendteam.contract.EvidenceStatus;
import dev.backendteam.contract.JobInputs;
import dev.backendteam.contract.Json;
import dev.backendteam.contract.ResultStatus;
import dev.backendteam.contract.StepOutcome;
import dev.backendteam.contract.TaskKind;
import dev.backendteam.sandbox.PostgresServers;
import dev.backendteam.sandbox.targetdb.TargetDatabase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static dev.backendteam.security.engine.NewFeatureMatrixTest.evidence;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A live database as the target of a review: its schema is read in read-only transactions, the review and its proof
 * run on a copy in the sandbox, and the target is exactly as it was.
 */
@ExtendWith(PostgresServers.class)
class TargetReviewTest {

    private static String fingerprint(PostgresServers.TestServer server) throws SQLException {
        try (Connection c = server.connect("clinic_live"); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("""
                     select md5(string_agg(x, '|' order by x)) from (
                       select c.relname || c.relrowsecurity || coalesce(c.relacl::text, '') as x from pg_class c
                       union all select polname || pg_get_expr(polqual, polrelid) from pg_policy
                       union all select proname || coalesce(proconfig::text, '') || coalesce(proacl::text, '')
                         from pg_proc where pronamespace = 'public'::regnamespace
                       union all select count(*)::text from pg_namespace) s""")) {
            rs.next();
            return rs.getString(1);
        }
    }

    @Test
    void aLiveSchemaIsReviewedOnACopyAndTheTargetIsNotTouched(PostgresServers.Servers servers) throws SQLException {
        PostgresServers.TestServer server = servers.pg17();
        try (Connection c = server.connect("postgres"); Statement st = c.createStatement()) {
            st.execute("drop database if exists clinic_live");
            st.execute("create database clinic_live");
        }
        try (Connection c = server.connect("clinic_live"); Statement st = c.createStatement()) {
            // what a Supabase project has before the app's migrations
            st.execute("create role anon nologin; create role authenticated nologin; create role service_role nologin"
                    .replace("create role", "do $$ begin create role").replace(" nologin", " nologin; exception when"
                            + " duplicate_object then null; end $$"));
            st.execute("create schema auth; create table auth.users (id uuid primary key, email text,"
                    + " raw_user_meta_data jsonb, raw_app_meta_data jsonb);"
                    + " create function auth.uid() returns uuid language sql stable as $$ select (nullif("
                    + "current_setting('request.jwt.claims', true), '')::jsonb ->> 'sub')::uuid $$;"
                    + " create function auth.jwt() returns jsonb language sql stable as $$ select nullif("
                    + "current_setting('request.jwt.claims', true), '')::jsonb $$;"
                    + " create function auth.role() returns text language sql stable as $$ select auth.jwt() ->> 'role' $$;"
                    + " create schema extensions;");
            st.execute(SecuritySandbox.resource("review/schema.sql"));
        }
        String before = fingerprint(server);
        Map<String, String> env = Map.of(TargetDatabase.variable("clinic", "URL"), "postgresql://"
                + server.superuser() + ":" + server.password() + "@127.0.0.1:" + server.port() + "/clinic_live");
        SecurityEngine engine = new SecurityEngine(Optional.of(SecuritySandbox.on(server)), new CatalogueLints(),
                name -> TargetDatabase.open(name, env, Duration.ofSeconds(10)));
        ObjectNode spec = Json.events().createObjectNode();
        spec.set("access", SecuritySandbox.yaml(SecuritySandbox.resource("review/access.yaml")).get("access"));
        JobInputs inputs = new JobInputs(spec, null, null, null, null, null, "clinic", null, null);
        StepOutcome out = engine.work(SecuritySandbox.task(TaskKind.WORK, inputs, List.of()));
        for (Evidence e : out.evidence()) {
            assertTrue(e.status() != EvidenceStatus.FAILED, e.check() + ": " + e.details());
        }
        assertEquals(ResultStatus.SUCCEEDED, out.status(), out.reason());
        assertTrue(evidence(out, "target clinic read without writing").details().contains("read-only"));
        List<String> rules = out.findings().stream().map(f -> f.ruleId()).distinct().toList();
        for (String rule : List.of("security.rls-disabled", "security.policy-exists-rls-disabled",
                "security.always-true-policy", "security.security-definer-function-executable",
                "security.view-exposes-auth-users", "security.duplicate-index")) {
            assertTrue(rules.contains(rule), rule + " in " + rules);
        }
        assertEquals(before, fingerprint(server), "the target is exactly as it was");

        // under the old auto-grants too, the copy holds the target's privileges, not the sandbox's defaults: the down
        // script (run against the real project) grants back only what the target really has
        JobInputs legacy = new JobInputs(spec, null, null, null, null, null, "clinic", null, "legacy");
        StepOutcome underLegacy = engine.work(SecuritySandbox.task(TaskKind.WORK, legacy, List.of()));
        assertEquals(ResultStatus.SUCCEEDED, underLegacy.status(), underLegacy.reason());
        String down = underLegacy.artifacts().get(0).down();
        java.util.regex.Matcher grant = java.util.regex.Pattern.compile(
                "(?m)^grant (\\w+) on table (\\S+) to (\\w+);$").matcher(down);
        int grants = 0;
        try (Connection c = server.connect("clinic_live"); Statement st = c.createStatement()) {
            while (grant.find()) {
                grants++;
                try (ResultSet rs = st.executeQuery("select has_table_privilege('" + grant.group(3) + "', '"
                        + grant.group(2) + "', '" + grant.group(1) + "')")) {
                    rs.next();
                    assertTrue(rs.getBoolean(1), "the target never granted " + grant.group(0));
                }
            }
        }
        assertTrue(grants > 0, "the down script restores the target's grants: " + down);
        assertEquals(before, fingerprint(server));

        List<Artifact> bundle = out.artifacts();
        StepOutcome again = engine.validate(SecuritySandbox.task(TaskKind.VALIDATE, inputs, bundle));
        assertEquals(EvidenceStatus.PASSED, evidence(again, AccessProof.MATRIX).status(),
                evidence(again, AccessProof.MATRIX).details());
        assertEquals(before, fingerprint(server));
    }
}
