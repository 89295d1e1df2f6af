package dev.backendteam.sandbox;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The sandbox run by an admin with CREATEDB and CREATEROLE but no SUPERUSER — what a managed PostgreSQL gives an
 * operator. The operator's one-time grants: ADMIN OPTION on the Supabase roles when they already exist, and (15+)
 * SET on temp_file_limit. What cannot be done without a superuser is reported, and the rest still holds.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@ExtendWith(PostgresServers.class)
class NonSuperuserAdminTest {
    private Sandbox sandbox;
    private PrepareReport prepared;

    @BeforeAll
    void start(PostgresServers.Servers servers) throws SQLException {
        PostgresServers.TestServer server = servers.pg17();
        try (Connection c = server.connect("postgres"); Statement st = c.createStatement()) {
            st.execute("""
                    do $$ begin
                      if not exists (select 1 from pg_roles where rolname = 'anon') then create role anon nologin noinherit; end if;
                      if not exists (select 1 from pg_roles where rolname = 'authenticated') then create role authenticated nologin noinherit; end if;
                      if not exists (select 1 from pg_roles where rolname = 'service_role') then create role service_role nologin noinherit bypassrls; end if;
                      if not exists (select 1 from pg_roles where rolname = 'sandbox_admin') then
                        create role sandbox_admin login createdb createrole password 'admin-secret';
                      end if;
                    end $$""");
            st.execute("grant anon, authenticated, service_role to sandbox_admin with admin option");
            st.execute("grant set on parameter temp_file_limit to sandbox_admin");
            // a sandbox prepared earlier on this server revoked CONNECT from PUBLIC on its other databases
            st.execute("grant connect on database postgres to sandbox_admin");
        }
        // sslmode=prefer: every runner connection starts with an SSLRequest, which this server (no TLS) answers 'N'
        sandbox = new Sandbox(SandboxSettings.builder(server.adminUrl() + "?sslmode=prefer", "sandbox_admin", "admin-secret")
                .pgVersion(17)
                .runnerRole("sandbox_runner_ns")
                .templateName("sandbox_template_ns")
                .statementTimeout(Duration.ofSeconds(2))
                .watchdogGrace(Duration.ofSeconds(1))
                .tempFileLimit("32MB")
                .build());
        prepared = sandbox.prepare();
    }

    @AfterAll
    void stop() {
        sandbox.close();
    }

    @Test
    void reportsWhatOnlyASuperuserCouldDo() {
        assertFalse(prepared.adminIsSuperuser());
        assertEquals(Sandbox.MODDATETIME_FUNCTION, prepared.updatedAtHelper());
        assertTrue(prepared.limitations().stream().anyMatch(l -> l.contains("allow-list is not enforced")), prepared.limitations().toString());
        assertTrue(prepared.limitations().stream().anyMatch(l -> l.contains("moddatetime extension is not installed")), prepared.limitations().toString());
        assertFalse(prepared.limitations().stream().anyMatch(l -> l.contains("temp_file_limit")), "granted SET on the parameter");
        PrepareReport again = sandbox.prepare();
        assertFalse(again.templateRebuilt());
        assertEquals(Sandbox.MODDATETIME_FUNCTION, again.updatedAtHelper());
        assertTrue(again.limitations().containsAll(prepared.limitations().stream()
                .filter(l -> !l.startsWith("cannot revoke")).toList()), again.limitations().toString());
    }

    @Test
    void theSupabaseSchemaStillAppliesAndRlsStillDecides() {
        UUID alice = UUID.randomUUID();
        try (SandboxDatabase db = sandbox.create("non-superuser")) {
            ScriptResult applied = db.apply(SupabaseSchema.SCRIPT + SupabaseSchema.GRANTS);
            assertTrue(applied.ok(), () -> applied.error().describe());
            assertTrue(applied.statements().get(5).notices().get(0).contains("extensions.moddatetime()"));
            assertEquals("32MB", db.query("select current_setting('temp_file_limit') as v").get(0).get("v"));
            db.inRolledBackTransaction(tx -> {
                tx.execute("insert into auth.users (id) values (?)", alice);
                tx.execute("update profiles set updated_at = '2000-01-01' where id = ?", alice);
                assertEquals(List.of(Map.of("touched", true)),
                        tx.execute("select updated_at = now() as touched from profiles where id = ?", alice).rows(),
                        "the plpgsql moddatetime works like the extension");
                tx.actAs("authenticated", JwtClaims.authenticated(alice));
                assertTrue(tx.execute("insert into todos (task) values ('mine')").ok(), "granted, and RLS lets it in");
                StatementOutcome other = tx.execute("insert into todos (user_id, task) values (gen_random_uuid(), 'not mine')");
                assertEquals("42501", other.sqlState());
                assertTrue(other.error().message().contains("row-level security"), "refused by RLS, not by a missing grant: "
                        + other.error().message());
                return null;
            });
            ScriptResult dblink = db.apply("create extension dblink");
            assertEquals("42501", dblink.error().sqlState());
            assertEquals("42501", db.apply("copy (select 1) to program 'id'").error().sqlState());
        }
    }

    @Test
    void afterAnSslRequestRefusedWithNTheOutputIsStillFramed() throws SQLException {
        try (SandboxDatabase db = sandbox.create("ssl request")) {
            assertEquals(50, SandboxContract.warningsHeldByTheDriver(db, SandboxContract.NOTICE_LOOP));
            assertEquals(49_950, db.outputGuard().droppedNotices());
            ScriptResult huge = db.apply("select repeat('x', 34000000)");
            assertEquals(Limit.OUTPUT_LIMIT, huge.error().limit(), huge.error().describe());
            assertTrue(db.apply("select 1").ok());
        }
    }

    @Test
    void theWatchdogCanStillTerminateAndCloseStillDrops() {
        SandboxDatabase db = sandbox.create("terminate", Duration.ofSeconds(1));
        db.watchdogCancels(false);
        ScriptResult r = db.apply("set statement_timeout = 0; select pg_sleep(30);");
        assertEquals(Limit.WATCHDOG_TERMINATE, r.error().limit(), r.error().describe());
        assertTrue(r.error().sqlState().startsWith("57P"), "terminated by the admin, not by dropping the socket: " + r.error().describe());
        db.close();
        assertEquals(List.of(), sandbox.sweep(Duration.ZERO.plusSeconds(1)).failures());
    }
}
