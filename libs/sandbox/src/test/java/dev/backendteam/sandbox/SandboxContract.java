package dev.backendteam.sandbox;

import dev.backendteam.contract.Evidence;
import dev.backendteam.contract.Finding;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Everything the sandbox promises, against one real server: preparation, databases per step, the Supabase shims,
 * structured errors, the transaction model, and each refusal of BRIEF §5 — followed every time by proof that the
 * sandbox is still usable. Subclasses choose the server (PostgreSQL 17 and 15).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@ExtendWith(PostgresServers.class)
abstract class SandboxContract {
    static final String JOB_STORE = "backend_team";
    private static final Duration STATEMENT_TIMEOUT = Duration.ofSeconds(2);

    PostgresServers.TestServer server;
    Sandbox sandbox;
    PrepareReport prepared;

    abstract PostgresServers.TestServer server(PostgresServers.Servers servers);

    @BeforeAll
    void startSandbox(PostgresServers.Servers servers) throws SQLException {
        server = server(servers);
        try (Connection c = server.connect("postgres"); Statement st = c.createStatement()) {
            // the job store lives on the same server: the runner must not reach it
            if (!st.executeQuery("select 1 from pg_database where datname = '" + JOB_STORE + "'").next()) {
                st.execute("create database " + JOB_STORE);
            }
        }
        sandbox = new Sandbox(SandboxSettings.builder(server.adminUrl(), server.superuser(), server.password())
                .pgVersion(server.major())
                .statementTimeout(STATEMENT_TIMEOUT)
                .lockTimeout(Duration.ofSeconds(1))
                .idleInTransactionTimeout(Duration.ofSeconds(10))
                .watchdogGrace(Duration.ofSeconds(1))
                .tempFileLimit("32MB")
                .build());
        prepared = sandbox.prepare();
    }

    @AfterAll
    void stopSandbox() {
        if (sandbox != null) {
            sandbox.close();
        }
    }

    private boolean pgtapInstalled() {
        try (Connection c = server.connect("postgres"); Statement st = c.createStatement()) {
            return st.executeQuery("select 1 from pg_available_extensions where name = 'pgtap'").next();
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    // --- server and admin ---------------------------------------------------------------------------------------

    @Test
    void prepareIsIdempotentAndFastTheSecondTime() {
        assertEquals(server.major(), prepared.serverVersionNum() / 10000);
        assertTrue(prepared.adminIsSuperuser());
        // pgTAP is allowed by default but only some servers have it (Debian's postgresql-15-pgtap; not zonky's 17)
        assertEquals(pgtapInstalled() ? List.of() : List.of("allowed extension pgtap is not available on the server"),
                prepared.limitations());
        assertEquals("extension moddatetime (schema extensions)", prepared.updatedAtHelper());
        PrepareReport again = sandbox.prepare();
        assertFalse(again.templateRebuilt());
        assertTrue(again.durationMs() < 1000, "second prepare took " + again.durationMs() + " ms");
    }

    @Test
    void refusesAServerOfAnotherVersion() {
        int other = server.major() == 17 ? 15 : 17;
        try (Sandbox wrong = new Sandbox(sandbox.settings().toBuilder().pgVersion(other).build())) {
            SandboxException e = assertThrows(SandboxException.class, wrong::prepare);
            assertTrue(e.getMessage().contains("configured for PostgreSQL " + other), e.getMessage());
        }
    }

    @Test
    void rolesAreUnprivilegedAndLimited() {
        try (SandboxDatabase db = sandbox.create("roles")) {
            Map<String, Object> role = db.query("select rolsuper, rolcreatedb, rolcreaterole, rolreplication, rolbypassrls,"
                    + " rolconnlimit, rolinherit from pg_roles where rolname = session_user").get(0);
            assertEquals(Map.of("rolsuper", false, "rolcreatedb", false, "rolcreaterole", false, "rolreplication", false,
                    "rolbypassrls", false, "rolconnlimit", 10, "rolinherit", false), role);
            Map<String, Object> settings = db.query("select current_user::text as acting, current_setting('statement_timeout') as st,"
                    + " current_setting('lock_timeout') as lt, current_setting('idle_in_transaction_session_timeout') as it,"
                    + " current_setting('temp_file_limit') as tfl").get(0);
            assertEquals(Map.of("acting", "sandbox_runner", "st", "2s", "lt", "1s", "it", "10s", "tfl", "32MB"), settings);
            List<Map<String, Object>> defaults = db.query("select unnest(s.setconfig) as setting from pg_db_role_setting s"
                    + " join pg_roles r on r.oid = s.setrole where r.rolname = session_user and s.setdatabase = 0 order by 1");
            List<String> names = defaults.stream().map(m -> ((String) m.get("setting")).split("=")[0]).toList();
            assertTrue(names.containsAll(List.of("statement_timeout", "lock_timeout", "idle_in_transaction_session_timeout",
                    "temp_file_limit", "search_path", "client_connection_check_interval")), names.toString());
            assertEquals(List.of(Map.of("rolbypassrls", true)),
                    db.query("select rolbypassrls from pg_roles where rolname = 'service_role'"));
        }
    }

    // --- a fresh database per step ------------------------------------------------------------------------------

    @Test
    void createsAFreshDatabaseFromTheTemplateAndDropsItOnClose() throws SQLException {
        long started = System.nanoTime();
        SandboxDatabase db = sandbox.create("step db-architect/1");
        long createMs = (System.nanoTime() - started) / 1_000_000;
        String name = db.name();
        assertTrue(name.matches("sbx_[a-z0-9]{8}_\\d{10}"), name);
        assertTrue(db.apply("create table t (id int primary key)").ok());
        try (Connection c = server.connect("postgres"); Statement st = c.createStatement()) {
            var rs = st.executeQuery("select d.datdba::regrole::text, shobj_description(d.oid, 'pg_database')"
                    + " from pg_database d where datname = '" + name + "'");
            assertTrue(rs.next());
            assertEquals(server.superuser(), rs.getString(1), "owned by the admin, so the runner cannot drop it");
            // every role reads every database's comment: the step's label (a job id) stays out of it
            assertEquals("backend-team sandbox step", rs.getString(2));
        }
        started = System.nanoTime();
        db.close();
        long dropMs = (System.nanoTime() - started) / 1_000_000;
        db.close(); // idempotent
        try (Connection c = server.connect("postgres"); Statement st = c.createStatement()) {
            assertFalse(st.executeQuery("select 1 from pg_database where datname = '" + name + "'").next());
            assertFalse(st.executeQuery("select 1 from pg_roles where rolname = '" + name + "'").next());
        }
        assertTrue(createMs < 2000 && dropMs < 2000, "create " + createMs + " ms, drop " + dropMs + " ms");
        System.out.printf("PostgreSQL %d: create %d ms, drop %d ms%n", server.major(), createMs, dropMs);
    }

    @Test
    void dropsTheDatabaseEvenWhileAStatementRunsInIt() throws Exception {
        SandboxDatabase db = sandbox.create("busy");
        Thread runner = new Thread(() -> db.apply("select pg_sleep(1.5)"));
        runner.start();
        Thread.sleep(300);
        db.close();
        runner.join(5000);
        assertFalse(runner.isAlive());
        try (Connection c = server.connect("postgres"); Statement st = c.createStatement()) {
            assertFalse(st.executeQuery("select 1 from pg_database where datname = '" + db.name() + "'").next());
        }
    }

    @Test
    void theJanitorDropsLeftoversOlderThanTheBound() throws SQLException {
        String old = "sbx_leftover_" + (Instant.now().getEpochSecond() - 7200);
        String young = "sbx_youngone_" + (Instant.now().getEpochSecond() - 60);
        try (Connection c = server.connect("postgres"); Statement st = c.createStatement()) {
            st.execute("create role " + old + " login");
            st.execute("create database " + old + " template " + sandbox.settings().templateDatabase(sandbox.settings().grants()));
            st.execute("create role " + young + " login");
        }
        SweepReport swept = sandbox.sweep(Duration.ofHours(1));
        assertTrue(swept.droppedDatabases().contains(old), swept.toString());
        assertTrue(swept.droppedRoles().contains(old), swept.toString());
        assertFalse(swept.droppedRoles().contains(young), swept.toString());
        try (Connection c = server.connect("postgres"); Statement st = c.createStatement()) {
            assertTrue(st.executeQuery("select 1 from pg_roles where rolname = '" + young + "'").next());
            st.execute("drop role " + young);
        }
    }

    @Test
    void aTemplateBuildLeftBehindByACrashIsDroppedByTheJanitor() throws SQLException {
        // what a build that died before its rename leaves: built, closed to connections, not yet a template
        String build = "sbx_tplbuild_" + (Instant.now().getEpochSecond() - 7200);
        try (Connection c = server.connect("postgres"); Statement st = c.createStatement()) {
            st.execute("create database " + build + " template template0");
            st.execute("alter database " + build + " with allow_connections false");
        }
        SweepReport swept = sandbox.sweep(Duration.ofHours(1));
        assertTrue(swept.droppedDatabases().contains(build), swept.toString());
        assertTrue(swept.failures().isEmpty(), swept.toString());
    }

    @Test
    void aDatabaseReleasesItsOutputGuardWhenClosed() {
        int before = OutputGuard.registered();
        SandboxDatabase db = sandbox.create("output guard");
        assertTrue(db.apply("select 1").ok());
        assertEquals(before + 1, OutputGuard.registered());
        db.close();
        assertEquals(before, OutputGuard.registered(), "no guard stays behind in the registry");
    }

    // --- Supabase shims -----------------------------------------------------------------------------------------

    @Test
    void authFunctionsReadTheJwtClaims() {
        UUID user = UUID.randomUUID();
        try (SandboxDatabase db = sandbox.create("shims")) {
            StatementOutcome out = db.asRole("authenticated", JwtClaims.authenticated(user).withEmail("a@example.com"),
                    "select auth.uid() as uid, auth.role() as role, auth.email() as email, auth.jwt() ->> 'email' as jwt_email,"
                            + " current_user::text as acting");
            assertTrue(out.ok(), String.valueOf(out.error()));
            assertEquals(Map.of("uid", user, "role", "authenticated", "email", "a@example.com", "jwt_email", "a@example.com",
                    "acting", "authenticated"), out.rows().get(0));
            StatementOutcome anon = db.asRole("anon", JwtClaims.anon(), "select auth.uid() as uid, auth.role() as role");
            assertNull(anon.rows().get(0).get("uid"));
            assertEquals("anon", anon.rows().get(0).get("role"));
            // outside the rolled-back transaction nothing is set
            assertNull(db.query("select auth.uid() as uid").get(0).get("uid"));
            List<Map<String, Object>> ext = db.query("select e.extname, n.nspname from pg_extension e"
                    + " join pg_namespace n on n.oid = e.extnamespace where e.extname <> 'plpgsql' order by 1");
            List<Map<String, Object>> expected = new java.util.ArrayList<>(List.of(
                    Map.of("extname", "moddatetime", "nspname", "extensions"),
                    Map.of("extname", "pgcrypto", "nspname", "extensions")));
            if (pgtapInstalled()) {
                // allowed and untrusted: pre-installed where the server has it
                expected.add(Map.of("extname", "pgtap", "nspname", "extensions"));
            }
            expected.add(Map.of("extname", "uuid-ossp", "nspname", "extensions"));
            assertEquals(expected, ext);
            Map<String, Object> gen = db.query("select gen_random_uuid() is not null as core, uuid_generate_v4() is not null as ossp,"
                    + " crypt('pw', gen_salt('bf', 4)) like '$2a$%' as bcrypt").get(0);
            assertEquals(Map.of("core", true, "ossp", true, "bcrypt", true), gen);
        }
    }

    // --- Supabase Realtime -----------------------------------------------------------------------------------------

    @Test
    void realtimeHasItsMessagesTableTopicAndAnEmptyPublicationAsOnSupabase() {
        try (SandboxDatabase db = sandbox.create("realtime shims")) {
            assertEquals(List.of(
                    Map.of("attname", "topic", "type", "text", "notnull", true, "def", ""),
                    Map.of("attname", "extension", "type", "text", "notnull", true, "def", ""),
                    Map.of("attname", "payload", "type", "jsonb", "notnull", false, "def", ""),
                    Map.of("attname", "event", "type", "text", "notnull", false, "def", ""),
                    Map.of("attname", "private", "type", "boolean", "notnull", false, "def", "false"),
                    Map.of("attname", "updated_at", "type", "timestamp without time zone", "notnull", true, "def", "now()"),
                    Map.of("attname", "inserted_at", "type", "timestamp without time zone", "notnull", true, "def", "now()"),
                    Map.of("attname", "id", "type", "uuid", "notnull", true, "def", "gen_random_uuid()")),
                    db.query("select a.attname::text, format_type(a.atttypid, a.atttypmod) as type, a.attnotnull as notnull,"
                            + " coalesce(pg_get_expr(d.adbin, d.adrelid), '') as def from pg_attribute a"
                            + " left join pg_attrdef d on d.adrelid = a.attrelid and d.adnum = a.attnum"
                            + " where a.attrelid = 'realtime.messages'::regclass and a.attnum > 0 order by a.attnum"));
            assertEquals(List.of(Map.of("kind", "p", "rls", true, "policies", 0L, "owner", "sandbox_runner")),
                    db.query("select c.relkind::text as kind, c.relrowsecurity as rls, c.relowner::regrole::text as owner,"
                            + " (select count(*) from pg_policy where polrelid = c.oid) as policies"
                            + " from pg_class c where c.oid = 'realtime.messages'::regclass"));
            // the API roles' grants, as Supabase gives them: RLS alone decides who joins and sends
            for (String role : List.of("anon", "authenticated", "service_role")) {
                assertEquals(List.of(Map.of("s", true, "i", true, "u", true, "d", false)), db.query("select"
                        + " has_table_privilege(?, 'realtime.messages', 'select') as s, has_table_privilege(?, 'realtime.messages', 'insert') as i,"
                        + " has_table_privilege(?, 'realtime.messages', 'update') as u, has_table_privilege(?, 'realtime.messages', 'delete') as d",
                        role, role, role, role), role);
            }
            StatementOutcome topic = db.inRolledBackTransaction(tx -> {
                tx.actAs("authenticated", JwtClaims.authenticated(UUID.randomUUID()));
                tx.execute("select set_config('realtime.topic', 'project:42', true)");
                return tx.execute("select realtime.topic() as topic");
            });
            assertEquals(List.of(Map.of("topic", "project:42")), topic.rows());
            Map<String, Object> unset = db.query("select realtime.topic() is null as unset").get(0);
            assertEquals(Map.of("unset", true), unset, "no topic outside a Realtime check");
            assertEquals(List.of(Map.of("pubname", "supabase_realtime", "owner", "sandbox_runner", "alltables", false,
                    "tables", 0L)), db.query("select p.pubname::text, p.pubowner::regrole::text as owner, p.puballtables as alltables,"
                    + " (select count(*) from pg_publication_rel r where r.prpubid = p.oid) as tables from pg_publication p"));
        }
    }

    @Test
    void theRunnerPublishesTheTablesItOwnsAndNothingElse() throws SQLException {
        try (SandboxDatabase db = sandbox.create("realtime publication")) {
            assertTrue(db.apply("create table public.cursor_event (id uuid primary key default gen_random_uuid(), x int);"
                    + " alter publication supabase_realtime add table public.cursor_event;"
                    + " alter table public.cursor_event replica identity full;").ok());
            assertEquals(List.of(Map.of("tbl", "public.cursor_event")), db.query("select schemaname || '.' || tablename as tbl"
                    + " from pg_publication_tables where pubname = 'supabase_realtime'"));
            // a table the runner does not own, the superuser-only forms, and a publication of someone else
            refused(db, "alter publication supabase_realtime add table auth.users", "42501");
            refused(db, "create publication everything for all tables", "42501");
            refused(db, "create publication whole_schema for tables in schema public", "42501");
            try (Connection admin = server.connect(db.name()); Statement st = admin.createStatement()) {
                st.execute("create table public.admin_table (id int primary key)");
                st.execute("create publication admin_pub for table public.admin_table");
            }
            refused(db, "alter publication admin_pub add table public.cursor_event", "42501");
            refused(db, "alter publication admin_pub owner to current_user", "42501");
            refused(db, "drop publication admin_pub", "42501");
            refused(db, "alter publication supabase_realtime add table public.admin_table", "42501");
            assertTrue(db.apply("alter publication supabase_realtime drop table public.cursor_event").ok());
            assertEquals(List.of(), db.query("select tablename from pg_publication_tables where pubname = 'supabase_realtime'"));
        }
    }

    @Test
    void channelPoliciesOnRealtimeMessagesDecideJoinAndSendAsTheRealtimeServerChecksThem() {
        UUID alice = UUID.randomUUID();
        UUID bob = UUID.randomUUID();
        try (SandboxDatabase db = sandbox.create("realtime policies")) {
            String own = "room:" + alice;
            // nobody joins a private channel before a policy says who
            assertEquals(List.of(0L, false), joinAndSend(db, JwtClaims.authenticated(alice), own));
            assertTrue(db.apply("create policy \"owner receives\" on realtime.messages for select to authenticated"
                    + " using (realtime.messages.extension = 'broadcast' and (select realtime.topic()) = 'room:' || (select auth.uid())::text);"
                    + " create policy \"owner sends\" on realtime.messages for insert to authenticated"
                    + " with check (realtime.messages.extension = 'broadcast' and (select realtime.topic()) = 'room:' || (select auth.uid())::text);").ok());
            assertEquals(List.of(1L, true), joinAndSend(db, JwtClaims.authenticated(alice), own));
            assertEquals(List.of(0L, false), joinAndSend(db, JwtClaims.authenticated(bob), own));
            assertEquals(List.of(0L, false), joinAndSend(db, JwtClaims.anon(), own));
            assertEquals(List.of(1L, true), joinAndSend(db, JwtClaims.serviceRole(), own), "service_role bypasses RLS");
        }
    }

    /** Realtime's checks: a message inserted by the server, read back as the user with the topic set; then an insert. */
    private static List<Object> joinAndSend(SandboxDatabase db, JwtClaims claims, String topic) {
        return db.inRolledBackTransaction(tx -> {
            tx.actAsRunner();
            Object id = tx.execute("insert into realtime.messages (topic, extension, private) values (?, 'broadcast', true)"
                    + " returning id", topic).rows().get(0).get("id");
            tx.actAs(claims.role(), claims);
            tx.execute("select set_config('realtime.topic', ?, true)", topic);
            StatementOutcome read = tx.execute("select count(*) as n from realtime.messages where topic = ? and id = ?",
                    topic, id);
            StatementOutcome sent = tx.execute("insert into realtime.messages (topic, extension, event, payload, private)"
                    + " values (?, 'broadcast', 'cursor', '{}', true)", topic);
            assertTrue(read.ok(), String.valueOf(read.error()));
            assertTrue(sent.ok() || "42501".equals(sent.sqlState()), String.valueOf(sent.error()));
            return List.<Object>of(read.rows().get(0).get("n"), sent.ok());
        });
    }

    @Test
    void aSupabaseStyleSchemaNeedsItsGrantsThenRlsDecides() {
        UUID alice = UUID.randomUUID();
        UUID bob = UUID.randomUUID();
        try (SandboxDatabase db = sandbox.create("supabase schema")) {
            assertEquals(GrantModel.EXPLICIT, db.grants(), "Supabase today is the default");
            ScriptResult applied = db.apply(SupabaseSchema.SCRIPT);
            assertTrue(applied.ok(), () -> applied.error().describe());
            assertEquals(SupabaseSchema.STATEMENTS, applied.statements().size());
            // without its grants the schema is unreachable through the Data API: denied by the grant, not by RLS
            assertEquals(Map.of("anon", false, "auth", false, "service", false), tablePrivileges(db));
            db.inRolledBackTransaction(tx -> {
                tx.execute("insert into auth.users (id) values (?)", alice);
                tx.actAs("authenticated", JwtClaims.authenticated(alice));
                StatementOutcome own = tx.execute("insert into todos (task) values ('write the sandbox')");
                assertEquals("42501", own.sqlState());
                assertEquals("permission denied for table todos", own.error().message(), "a missing grant, not RLS");
                tx.actAs("service_role", JwtClaims.serviceRole());
                assertEquals("42501", tx.execute("select * from todos").sqlState(), "BYPASSRLS is no grant");
                return null;
            });

            ScriptResult granted = db.apply(SupabaseSchema.GRANTS);
            assertTrue(granted.ok(), () -> granted.error().describe());
            assertEquals(Map.of("anon", false, "auth", true, "service", true), tablePrivileges(db));
            rlsDecides(db, alice, bob);
        }
    }

    @Test
    void aSupabaseStyleSchemaAppliesUnchangedAndRlsDecidesUnderLegacyGrants() {
        UUID alice = UUID.randomUUID();
        UUID bob = UUID.randomUUID();
        try (SandboxDatabase db = sandbox.create("supabase schema, legacy", sandbox.settings().stepBudget(), GrantModel.LEGACY)) {
            assertEquals(GrantModel.LEGACY, db.grants());
            ScriptResult applied = db.apply(SupabaseSchema.SCRIPT);
            assertTrue(applied.ok(), () -> applied.error().describe());
            assertEquals(SupabaseSchema.STATEMENTS, applied.statements().size());
            // the old default privileges: the API roles may touch the table, RLS decides which rows
            assertEquals(Map.of("anon", true, "auth", true, "service", true), tablePrivileges(db));
            rlsDecides(db, alice, bob);
        }
    }

    private static Map<String, Object> tablePrivileges(SandboxDatabase db) {
        return db.query("select has_table_privilege('anon', 'public.todos', 'select') as anon,"
                + " has_table_privilege('authenticated', 'public.todos', 'insert,update,delete') as auth,"
                + " has_table_privilege('service_role', 'public.todos', 'select,insert,update,delete') as service").get(0);
    }

    /** The schema's policies at work, for users alice and bob; what anon gets on todos depends on the grants. */
    private static void rlsDecides(SandboxDatabase db, UUID alice, UUID bob) {
        boolean anonGranted = db.grants() == GrantModel.LEGACY;
        db.inRolledBackTransaction(tx -> {
            assertTrue(tx.execute("insert into auth.users (id, email, raw_user_meta_data) values (?, 'alice@example.com',"
                    + " '{\"username\":\"alice\"}'), (?, 'bob@example.com', '{\"username\":\"bob\"}')", alice, bob).ok());
            // the handle_new_user trigger on auth.users created the profiles
            assertEquals(2L, tx.execute("select * from public.profiles").rowCount());

            tx.actAs("authenticated", JwtClaims.authenticated(alice));
            StatementOutcome own = tx.execute("insert into todos (task) values ('write the sandbox')");
            assertTrue(own.ok(), String.valueOf(own.error()));
            assertEquals(1L, own.rowCount());
            StatementOutcome forBob = tx.execute("insert into todos (user_id, task) values (?, 'not yours')", bob);
            assertEquals("42501", forBob.sqlState(), "with check refuses another user's row");
            assertTrue(forBob.error().message().contains("row-level security"), forBob.error().message());
            assertEquals(1L, tx.execute("select * from todos").rowCount());
            StatementOutcome touched = tx.execute("update profiles set username = 'alice2' where id = ?", alice);
            assertEquals(1L, touched.rowCount());
            assertEquals(0L, tx.execute("update profiles set username = 'mallory' where id = ?", bob).rowCount());

            tx.actAs("authenticated", JwtClaims.authenticated(bob));
            assertEquals(0L, tx.execute("select * from todos").rowCount(), "bob sees none of alice's todos");
            assertEquals(0L, tx.execute("delete from todos").rowCount());

            tx.actAs("anon", JwtClaims.anon());
            StatementOutcome anon = tx.execute("select * from todos");
            if (anonGranted) {
                assertTrue(anon.ok(), "anon is denied by RLS (no rows), not by a missing grant: " + anon.error());
                assertEquals(0L, anon.rowCount());
            } else {
                assertEquals("42501", anon.sqlState(), "todos are not granted to anon");
                assertEquals("permission denied for table todos", anon.error().message());
            }
            assertEquals(2L, tx.execute("select * from profiles").rowCount(), "profiles are public");

            tx.actAs("service_role", JwtClaims.serviceRole());
            assertEquals(1L, tx.execute("select * from todos").rowCount(), "service_role bypasses RLS");

            tx.actAsRunner();
            // within one transaction now() does not move: the trigger shows by overriding the value written
            assertTrue(tx.execute("update profiles set updated_at = '2000-01-01' where id = ?", alice).ok());
            List<Map<String, Object>> profile = tx.execute("select username, updated_at = now() as touched"
                    + " from profiles where id = ?", alice).rows();
            assertEquals(List.of(Map.of("username", "alice2", "touched", true)), profile, "moddatetime keeps updated_at");
            return null;
        });
        assertEquals(0L, (long) db.query("select count(*) as n from auth.users").get(0).get("n"), "rolled back");
    }

    // --- grant models ---------------------------------------------------------------------------------------------

    @Test
    void explicitGrantsNewTablesAndSequencesToNoApiRole() {
        try (SandboxDatabase db = sandbox.create("explicit grants")) {
            assertTrue(db.apply("create table notes (id bigint generated always as identity primary key, body text);"
                    + " insert into notes (body) values ('x'); create sequence counter;").ok());
            for (String role : API_ROLES) {
                assertEquals("42501", db.asRole(role, claims(role), "select * from notes").sqlState(), role + " on a table");
                assertEquals("42501", db.asRole(role, claims(role), "select * from counter").sqlState(), role + " on a sequence");
            }
            assertEquals(Map.of("t", false, "s", false), db.query("select has_table_privilege('anon', 'notes', 'select') as t,"
                    + " has_sequence_privilege('anon', 'counter', 'select') as s").get(0));

            assertTrue(db.apply("grant select on notes to anon; grant select on sequence counter to anon;").ok());
            StatementOutcome table = db.asRole("anon", JwtClaims.anon(), "select body from notes");
            assertTrue(table.ok(), String.valueOf(table.error()));
            assertEquals(List.of(Map.of("body", "x")), table.rows());
            assertTrue(db.asRole("anon", JwtClaims.anon(), "select last_value from counter").ok());
            assertEquals("42501", db.asRole("authenticated", claims("authenticated"), "select * from notes").sqlState(),
                    "a grant to anon is not one to authenticated");
        }
    }

    @Test
    void legacyGrantsNewTablesAndSequencesToEveryApiRole() {
        try (SandboxDatabase db = sandbox.create("legacy grants", Duration.ofSeconds(30), GrantModel.LEGACY)) {
            assertTrue(db.apply("create table notes (id bigint generated always as identity primary key, body text);"
                    + " insert into notes (body) values ('x'); create sequence counter;").ok());
            for (String role : API_ROLES) {
                StatementOutcome table = db.asRole(role, claims(role), "select body from notes");
                assertTrue(table.ok(), role + ": " + table.error());
                assertEquals(List.of(Map.of("body", "x")), table.rows());
                assertTrue(db.asRole(role, claims(role), "select last_value from counter").ok(), role + " on a sequence");
            }
        }
    }

    @Test
    void functionsAreExecutableThroughPublicAndOnlyLegacyKeepsThemAfterRevokingFromPublic() {
        for (GrantModel model : GrantModel.values()) {
            try (SandboxDatabase db = sandbox.create("functions " + model.wire(), Duration.ofSeconds(30), model)) {
                assertTrue(db.apply("create function public.answer() returns int language sql as 'select 42';").ok());
                // PostgreSQL grants EXECUTE on a new function to PUBLIC, in both models (Supabase's change leaves it)
                assertEquals(true, canExecute(db, "anon"), model.wire());
                assertCallable(db, "anon", true, model);

                assertTrue(db.apply("revoke execute on function public.answer() from public;").ok());
                boolean legacy = model == GrantModel.LEGACY;
                assertEquals(legacy, canExecute(db, "anon"), model.wire() + ": anon after revoking from public");
                assertEquals(legacy, canExecute(db, "authenticated"), model.wire());
                assertCallable(db, "anon", legacy, model);

                assertTrue(db.apply("revoke execute on function public.answer() from anon, authenticated;").ok());
                assertEquals(false, canExecute(db, "anon"), model.wire());
                assertEquals(false, canExecute(db, "authenticated"), model.wire());
                assertCallable(db, "anon", false, model);
                assertEquals(legacy, canExecute(db, "service_role"), model.wire() + ": service_role keeps a direct grant");
            }
        }
    }

    @Test
    void databasesOfBothModelsComeFromTheirOwnTemplate() throws SQLException {
        assertEquals(GrantModel.EXPLICIT, prepared.grants());
        assertEquals("sandbox_template_explicit", prepared.template());
        try (SandboxDatabase legacy = sandbox.create("legacy", Duration.ofSeconds(30), GrantModel.LEGACY)) {
            assertEquals(GrantModel.LEGACY, legacy.grants());
        }
        try (Connection c = server.connect("postgres"); Statement st = c.createStatement()) {
            var rs = st.executeQuery("select datname, datistemplate, datallowconn, shobj_description(oid, 'pg_database')"
                    + " from pg_database where datname in ('sandbox_template_explicit', 'sandbox_template_legacy') order by 1");
            assertTrue(rs.next());
            assertEquals("sandbox_template_explicit", rs.getString(1));
            assertTrue(rs.getBoolean(2));
            assertFalse(rs.getBoolean(3));
            assertTrue(rs.getString(4).contains("grants=explicit"), rs.getString(4));
            assertTrue(rs.next());
            assertEquals("sandbox_template_legacy", rs.getString(1));
            assertTrue(rs.getString(4).contains("grants=legacy"), rs.getString(4));
            assertFalse(rs.next());
        }
    }

    @Test
    void sandboxesWithOtherDefaultModelsShareTheServerAndBuildTemplatesOnceUnderConcurrency() throws Exception {
        // a template name of their own, so that the legacy template does not exist yet: it is built on first use,
        // by whichever of three instances gets the lock first
        SandboxSettings base = sandbox.settings().toBuilder().templateName("sandbox_tpl_shared").build();
        try (Sandbox explicit = new Sandbox(base);
             Sandbox another = new Sandbox(base);
             Sandbox legacy = new Sandbox(base.toBuilder().grants(GrantModel.LEGACY).build())) {
            explicit.prepare();
            another.prepare();
            Duration budget = Duration.ofSeconds(30);
            List<java.util.concurrent.Callable<GrantModel>> creates = List.of(
                    () -> modelSeen(explicit.create("e1", budget, GrantModel.LEGACY)),
                    () -> modelSeen(another.create("a1", budget, GrantModel.LEGACY)),
                    () -> modelSeen(legacy.create("l1")),
                    () -> modelSeen(explicit.create("e2")),
                    () -> modelSeen(another.create("a2", budget, GrantModel.LEGACY)),
                    () -> modelSeen(legacy.create("l2", budget, GrantModel.EXPLICIT)));
            java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(creates.size());
            try {
                java.util.concurrent.CountDownLatch go = new java.util.concurrent.CountDownLatch(1);
                List<java.util.concurrent.Future<GrantModel>> seen = creates.stream()
                        .map(c -> pool.submit(() -> {
                            go.await();
                            return c.call();
                        })).toList();
                go.countDown();
                List<GrantModel> models = new java.util.ArrayList<>();
                for (var f : seen) {
                    models.add(f.get(120, java.util.concurrent.TimeUnit.SECONDS));
                }
                assertEquals(List.of(GrantModel.LEGACY, GrantModel.LEGACY, GrantModel.LEGACY, GrantModel.EXPLICIT,
                        GrantModel.LEGACY, GrantModel.EXPLICIT), models, "each database behaves as its model");
            } finally {
                pool.shutdownNow();
            }
            assertFalse(explicit.prepare().templateRebuilt(), "one template per model: nobody drops the other's");
            assertFalse(legacy.prepare().templateRebuilt());
        }
        try (Connection c = server.connect("postgres"); Statement st = c.createStatement()) {
            var rs = st.executeQuery("select string_agg(datname, ',' order by datname) from pg_database"
                    + " where datname like 'sandbox_tpl_shared%' or datname like 'sbx_tplbuild_%'");
            rs.next();
            assertEquals("sandbox_tpl_shared_explicit,sandbox_tpl_shared_legacy", rs.getString(1), "no half-built leftovers");
            st.execute("alter database sandbox_tpl_shared_explicit is_template false");
            st.execute("drop database sandbox_tpl_shared_explicit");
            st.execute("alter database sandbox_tpl_shared_legacy is_template false");
            st.execute("drop database sandbox_tpl_shared_legacy");
        }
    }

    @Test
    void aTemplateDroppedBehindTheSandboxsBackIsRebuiltOnTheNextCreate() throws SQLException {
        try (SandboxDatabase warm = sandbox.create("knows the template", Duration.ofSeconds(30), GrantModel.LEGACY)) {
            assertEquals(GrantModel.LEGACY, warm.grants());
        }
        try (Connection c = server.connect("postgres"); Statement st = c.createStatement()) {
            st.execute("alter database sandbox_template_legacy is_template false");
            st.execute("drop database sandbox_template_legacy");
        }
        try (SandboxDatabase db = sandbox.create("after the drop", Duration.ofSeconds(30), GrantModel.LEGACY)) {
            assertEquals(GrantModel.LEGACY, modelSeen(db));
        }
    }

    /** Which model the database behaves as: whether anon may read a table it was not granted. Closes the database. */
    private static GrantModel modelSeen(SandboxDatabase db) {
        try (db) {
            assertTrue(db.apply("create table probe (id int); insert into probe values (1);").ok());
            StatementOutcome anon = db.asRole("anon", JwtClaims.anon(), "select * from probe");
            GrantModel seen = anon.ok() ? GrantModel.LEGACY : GrantModel.EXPLICIT;
            assertEquals(db.grants(), seen, "grants() says what the database does");
            return seen;
        }
    }

    private static final List<String> API_ROLES = List.of("anon", "authenticated", "service_role");

    private static JwtClaims claims(String role) {
        return switch (role) {
            case "anon" -> JwtClaims.anon();
            case "service_role" -> JwtClaims.serviceRole();
            default -> JwtClaims.authenticated(UUID.randomUUID());
        };
    }

    private static Object canExecute(SandboxDatabase db, String role) {
        return db.query("select has_function_privilege(?, 'public.answer()', 'execute') as x", role).get(0).get("x");
    }

    private static void assertCallable(SandboxDatabase db, String role, boolean callable, GrantModel model) {
        StatementOutcome call = db.asRole(role, claims(role), "select public.answer() as a");
        if (callable) {
            assertTrue(call.ok(), model.wire() + ": " + call.error());
            assertEquals(List.of(Map.of("a", 42)), call.rows());
        } else {
            assertEquals("42501", call.sqlState(), model.wire() + ": " + call.error());
            assertEquals("permission denied for function answer", call.error().message());
        }
    }

    // --- running SQL --------------------------------------------------------------------------------------------

    @Test
    void eachStatementIsTimedAndCounted() {
        try (SandboxDatabase db = sandbox.create("results")) {
            ScriptResult r = db.apply("""
                    create table items (id int primary key, name text);

                    insert into items values (1, 'a'), (2, 'b'),
                      (3, 'c');
                    create table if not exists items (id int);
                    select * from items;""");
            assertTrue(r.ok());
            assertEquals(List.of(1, 2, 3, 4), r.statements().stream().map(StatementRun::index).toList());
            assertEquals(List.of(1, 3, 5, 6), r.statements().stream().map(StatementRun::line).toList());
            assertEquals(List.of(0L, 3L, 0L, 3L), r.statements().stream().map(StatementRun::rows).toList());
            assertEquals("insert into items values (1, 'a'), (2, 'b'),", r.statements().get(1).firstLine());
            assertEquals(List.of("NOTICE: relation \"items\" already exists, skipping"), r.statements().get(2).notices());
            assertTrue(r.statements().stream().allMatch(s -> s.durationMs() >= 0));
            Evidence e = r.toEvidence("applied in sandbox");
            assertTrue(e.passed());
            assertTrue(e.details().startsWith("4 statement(s) applied"), e.details());
        }
    }

    @Test
    void errorsComeBackWithStatementLineColumnAndSqlState() {
        try (SandboxDatabase db = sandbox.create("errors")) {
            ScriptResult r = db.apply("""
                    create table a (id int primary key);
                    insert into a values (1);
                    -- the next statement refers to a missing table
                    select id,
                           'é' as accent, missing.x from a join missing on true;
                    select 'never reached';""");
            assertFalse(r.ok());
            assertEquals(2, r.statements().size());
            ScriptError e = r.error();
            assertEquals(3, e.statementIndex());
            assertEquals("42P01", e.sqlState());
            assertEquals("relation \"missing\" does not exist", e.message());
            assertEquals(5, e.line());
            assertEquals(45, e.column(), "the column of 'missing' after 'join', counted in characters");
            assertEquals("select id,", e.statement());
            Finding f = e.toFinding("sandbox.apply");
            assertEquals(5, f.line());

            ScriptResult dup = db.apply("insert into a values (1)");
            assertEquals("23505", dup.error().sqlState());
            assertEquals("Key (id)=(1) already exists.", dup.error().error().detail());
            assertEquals("a_pkey", dup.error().error().constraint());
            assertEquals(1, dup.error().line());

            ScriptResult hint = db.apply("\n\nselect lenght('x')");
            assertEquals("42883", hint.error().sqlState());
            assertNotNull(hint.error().error().hint());
            assertEquals(3, hint.error().line());
            assertEquals(8, hint.error().column());

            ScriptResult body = db.apply("select 1;\ncreate function f() returns int language plpgsql as $$\nbegin\n  retrun 1;\nend $$;");
            assertEquals("42601", body.error().sqlState());
            assertEquals(4, body.error().line(), "syntax error inside a PL/pgSQL body points at its line: " + body.error());
            assertTrue(db.apply("select 1").ok(), "the session is usable after errors");
        }
    }

    @Test
    void autocommitPerStatementUnlessTheScriptManagesItsTransactions() {
        try (SandboxDatabase db = sandbox.create("transactions")) {
            ScriptResult ok = db.apply("""
                    create table t (id int primary key, v int);
                    begin;
                    insert into t values (1, 1);
                    insert into t values (2, 2);
                    commit;
                    create index concurrently idx_t_v on t (v);
                    create function one() returns int language sql begin atomic select 1; end;
                    """);
            assertTrue(ok.ok(), () -> ok.error().describe());
            assertEquals(2L, db.query("select count(*) as n from t").get(0).get("n"));

            ScriptResult inBlock = db.apply("begin;\ninsert into t values (3, 3);\ncreate index concurrently idx_t_v2 on t (v);\ncommit;");
            assertEquals("25001", inBlock.error().sqlState(), "CONCURRENTLY inside a transaction block fails as on any server");
            assertEquals(3, inBlock.error().statementIndex());
            assertEquals(2L, db.query("select count(*) as n from t").get(0).get("n"), "the block was rolled back");

            ScriptResult unterminated = db.apply("insert into t values (4, 4);\nbegin;\ninsert into t values (5, 5);");
            assertEquals("25000", unterminated.error().sqlState());
            assertEquals(2, unterminated.error().statementIndex(), "points at the BEGIN that was never committed");
            assertEquals(3L, db.query("select count(*) as n from t").get(0).get("n"), "4 committed on its own, 5 rolled back");

            ScriptResult failedMidway = db.apply("insert into t values (6, 6);\ninsert into t values (6, 6);");
            assertEquals("23505", failedMidway.error().sqlState());
            assertEquals(4L, db.query("select count(*) as n from t").get(0).get("n"), "statement 1 committed before 2 failed");

            ScriptResult meta = db.apply("\\connect other\nselect 1;");
            assertEquals(1, meta.error().statementIndex());
            assertTrue(meta.error().message().contains("psql meta-command"), meta.error().message());
        }
    }

    @Test
    void anUndoneCaseLeavesNothingForTheNextOneNotEvenItsRole() {
        UUID alice = UUID.randomUUID();
        try (SandboxDatabase db = sandbox.create("undone cases")) {
            assertTrue(db.apply("create table public.note (id int primary key, body text);"
                    + " grant select, insert on public.note to authenticated;").ok());
            List<Object> seen = db.inRolledBackTransaction(tx -> {
                tx.actAsRunner();
                tx.execute("insert into public.note values (1, 'seeded')");
                StatementOutcome inserted = tx.undone(u -> {
                    u.actAs("authenticated", JwtClaims.authenticated(alice));
                    return u.execute("insert into public.note values (2, 'by alice')");
                });
                StatementOutcome after = tx.execute("select count(*) as n, current_user::text as who from public.note");
                return List.of(inserted.rowCount(), after.rows().get(0).get("n"), after.rows().get(0).get("who"));
            });
            // alice's row and her role are gone after the case; the seeded row stays for the next case
            assertEquals(List.of(1L, 1L, "sandbox_runner"), seen);
            assertEquals(List.of(Map.of("n", 0L)), db.query("select count(*) as n from public.note"),
                    "the whole transaction is rolled back");
        }
    }

    @Test
    void aScriptsRoleChangesDoNotLeakIntoTheNextCall() {
        try (SandboxDatabase db = sandbox.create("role leak")) {
            assertTrue(db.apply("set role authenticated; select 1;").ok());
            assertEquals("sandbox_runner", db.query("select current_user::text as u").get(0).get("u"));
        }
    }

    // --- refusals -----------------------------------------------------------------------------------------------

    @Test
    void copyToOrFromProgramIsRefused() {
        try (SandboxDatabase db = sandbox.create("copy")) {
            refused(db, "copy (select 1) to program 'id'", "42501");
            refused(db, "create table if not exists x (v text); copy x from program 'cat /etc/passwd'", "42501");
            refused(db, "copy x from '/etc/passwd'", "42501");
            refused(db, "copy (select 1) to '/tmp/sandbox-escape'", "42501");
        }
    }

    @Test
    void serverFilesAreUnreadable() {
        try (SandboxDatabase db = sandbox.create("files")) {
            refused(db, "select pg_read_file('/etc/passwd')", "42501");
            refused(db, "select pg_read_binary_file('postgresql.conf')", "42501");
            refused(db, "select pg_ls_dir('.')", "42501");
            refused(db, "select lo_import('/etc/passwd')", "42501");
            refused(db, "select lo_export(lo_create(0), '/tmp/sandbox-escape')", "42501");
        }
    }

    @Test
    void serverSettingsCannotBeChanged() {
        try (SandboxDatabase db = sandbox.create("settings")) {
            refused(db, "alter system set work_mem = '1GB'", "42501");
            refused(db, "set temp_file_limit = -1", "42501");
            refused(db, "set session_replication_role = replica", "42501");
        }
    }

    @Test
    void onlyAllowedExtensionsCanBeCreated() {
        try (SandboxDatabase db = sandbox.create("extensions")) {
            refused(db, "create extension dblink", "42501");
            refused(db, "create extension postgres_fdw", "42501");
            refused(db, "create extension file_fdw", "42501");
            refused(db, "create extension hstore", "42501"); // trusted, but not on the allow-list
            ScriptResult r = db.apply("""
                    create extension if not exists pg_trgm;
                    create extension if not exists citext with schema extensions;
                    create extension if not exists moddatetime schema extensions;
                    create extension if not exists "uuid-ossp";
                    select similarity('sandbox', 'sandbag') > 0 as t, 'A'::citext = 'a'::citext as ci;""");
            assertTrue(r.ok(), () -> r.error().describe());
            ScriptError hstore = db.apply("create extension hstore").error();
            assertTrue(hstore.message().contains("not allowed"), hstore.message());
        }
    }

    @Test
    void theJobStoreAndOtherDatabasesAreUnreachable() throws SQLException {
        try (SandboxDatabase db = sandbox.create("reach"); SandboxDatabase other = sandbox.create("other step")) {
            db.apply("select 1");
            assertConnectRefused(db, JOB_STORE, "42501");
            assertConnectRefused(db, "postgres", "42501");
            assertConnectRefused(db, other.name(), "42501");
            assertConnectRefused(db, sandbox.settings().templateDatabase(sandbox.settings().grants()), "55000");
            try (Connection own = db.connectAsRunner(db.name())) {
                assertTrue(own.isValid(2), "its own database it may reach");
            }
            try (Connection c = server.connect("postgres"); Statement st = c.createStatement()) {
                var rs = st.executeQuery("select has_database_privilege('public', '" + JOB_STORE + "', 'connect')");
                rs.next();
                assertFalse(rs.getBoolean(1), "prepare() revoked CONNECT on the job store from PUBLIC");
            }
            assertStillUsable(db);
        }
    }

    @Test
    void otherDatabasesCannotBeDropped() {
        try (SandboxDatabase db = sandbox.create("dropper"); SandboxDatabase other = sandbox.create("victim")) {
            refused(db, "drop database " + JOB_STORE, "42501");
            refused(db, "drop database " + other.name(), "42501");
            refused(db, "drop database postgres", "42501");
            refused(db, "drop database " + sandbox.settings().templateDatabase(sandbox.settings().grants()), "42501");
            assertStillUsable(other);
        }
    }

    @Test
    void rolesCannotBeCreatedOrEscalated() {
        try (SandboxDatabase db = sandbox.create("roles")) {
            refused(db, "create role intruder login superuser", "42501");
            refused(db, "create role intruder", "42501");
            refused(db, "set role postgres", "42501");
            refused(db, "set session authorization postgres", "42501");
            refused(db, "alter role sandbox_runner superuser", "42501");
            refused(db, "alter role current_user createrole", "42501");
            refused(db, "create database escape", "42501");
        }
    }

    @Test
    void stepsCannotSeeOrSignalEachOther() {
        try (SandboxDatabase a = sandbox.create("a"); SandboxDatabase b = sandbox.create("b")) {
            Object pid = b.query("select pg_backend_pid() as pid").get(0).get("pid");
            ScriptError killed = a.apply("select pg_terminate_backend(" + pid + ")").error();
            assertNotNull(killed, "a must not terminate b's backend");
            assertEquals("42501", killed.sqlState());
            assertEquals(List.of(Map.of("visible", false)), a.query(
                    "select bool_or(query is not null and query <> '<insufficient privilege>') as visible"
                            + " from pg_stat_activity where pid = ?", ((Number) pid).intValue()));
            assertStillUsable(b);
        }
    }

    @Test
    void aRunawayQueryIsCutOffByStatementTimeout() {
        try (SandboxDatabase db = sandbox.create("sleep")) {
            long started = System.nanoTime();
            ScriptResult r = db.apply("select pg_sleep(60)");
            long ms = (System.nanoTime() - started) / 1_000_000;
            assertEquals("57014", r.error().sqlState());
            assertEquals(Limit.STATEMENT_TIMEOUT, r.error().limit());
            assertTrue(ms < STATEMENT_TIMEOUT.toMillis() + 1500, "cut off after " + ms + " ms");
            assertStillUsable(db);
        }
    }

    @Test
    void theWatchdogCancelsAQueryThatLiftedItsTimeout() {
        try (SandboxDatabase db = sandbox.create("watchdog", Duration.ofSeconds(2))) {
            ScriptResult r = db.apply("set statement_timeout = 0;\nselect pg_sleep(60);");
            // the budget runs from the database's creation
            long ms = Duration.between(db.created(), Instant.now()).toMillis();
            assertEquals(1, r.statements().size(), "the set itself is allowed");
            assertEquals("57014", r.error().sqlState());
            assertEquals(Limit.WATCHDOG_CANCEL, r.error().limit());
            assertEquals(2, r.error().statementIndex());
            assertTrue(ms >= 1900 && ms < 4500, "cut off " + ms + " ms after creation");
            ScriptResult after = db.apply("select 1");
            assertEquals(Limit.BUDGET_EXHAUSTED, after.error().limit(), "the step's budget is spent");
        }
        try (SandboxDatabase next = sandbox.create("after watchdog")) {
            assertStillUsable(next);
        }
    }

    @Test
    void theWatchdogTerminatesTheBackendWhenCancelIsNotEnough() {
        try (SandboxDatabase db = sandbox.create("terminate", Duration.ofSeconds(2))) {
            db.watchdogCancels(false); // stands in for a statement that ignores the cancel request
            ScriptResult r = db.apply("set statement_timeout = 0;\nselect pg_sleep(60);");
            long ms = Duration.between(db.created(), Instant.now()).toMillis();
            assertEquals(Limit.WATCHDOG_TERMINATE, r.error().limit(), r.error().describe());
            assertTrue(r.error().sqlState().startsWith("57P") || r.error().sqlState().startsWith("08"), r.error().describe());
            assertTrue(ms >= 2900 && ms < 6000, "terminated " + ms + " ms after creation (budget 2 s + grace 1 s)");
        }
        try (SandboxDatabase next = sandbox.create("after terminate")) {
            assertStillUsable(next);
        }
    }

    @Test
    void anInfiniteRecursiveQueryHitsTheTempFileLimit() {
        try (SandboxDatabase db = sandbox.create("recursion")) {
            ScriptResult r = db.apply("with recursive r(n) as (select 1 union all select n + 1 from r) select count(*) from r");
            assertEquals("53400", r.error().sqlState(), r.error().describe());
            assertEquals(Limit.TEMP_FILE_LIMIT, r.error().limit());
            assertStillUsable(db);
        }
    }

    // --- what the sandbox reads back -----------------------------------------------------------------------------

    /** 50,000 notices: well within the statement timeout on a plain connection, about 5 MB on the wire. */
    static final String NOTICE_LOOP = noticeLoop(50_000);

    static String noticeLoop(int notices) {
        return "do $$ begin for i in 1.." + notices + " loop raise notice 'n %', i; end loop; end $$";
    }

    @Test
    void aHugeResultIsCutOffQuicklyAndTheDatabaseStaysUsable() {
        try (SandboxDatabase db = sandbox.create("huge result")) {
            long started = System.nanoTime();
            // rows just past the 32 MiB bound: the backend builds each whole before its header goes out, and a machine with
            // slow page faults must not reach the 2 s statement timeout first (a 100 MB row did, in CI)
            ScriptResult r = db.apply("select repeat('x', 34000000) from generate_series(1, 50)");
            long ms = (System.nanoTime() - started) / 1_000_000;
            ScriptError e = r.error();
            assertNotNull(e, "a 1.7 GB result must not be read");
            assertEquals("54000", e.sqlState());
            assertEquals(Limit.OUTPUT_LIMIT, e.limit());
            assertTrue(e.message().startsWith("one row of the result is 34000011 bytes, more than the 33554432 bytes"),
                    e.message());
            assertTrue(e.message().contains("by 445579 bytes"), e.message());
            assertTrue(e.error().hint().startsWith("return fewer or smaller rows"), e.error().hint());
            assertTrue(e.describe().endsWith("[cut off by output_limit]"), e.describe());
            assertTrue(ms < 5000, "cut off after " + ms + " ms");
            assertTrue(db.apply("select 1").ok(), "the next call opens a new session");
            assertEquals(List.of(Map.of("one", 1)), db.query("select 1 as one"));
            assertTrue(db.asRole("anon", JwtClaims.anon(), "select 1").ok());

            // many rows that add up: cut at the row that crosses the bound, through query() too
            SandboxSqlException q = assertThrows(SandboxSqlException.class,
                    () -> db.query("select repeat('x', 1000000) as v from generate_series(1, 100)"));
            assertEquals(Limit.OUTPUT_LIMIT, q.limit());
            assertTrue(q.error().message().startsWith("the result exceeded the 33554432 bytes of rows"), q.error().message());
            SandboxSqlException role = assertThrows(SandboxSqlException.class,
                    () -> db.asRole("anon", JwtClaims.anon(), "select repeat('x', 34000000)"));
            assertEquals(Limit.OUTPUT_LIMIT, role.limit(), "in a rolled-back transaction the cut ends the work");
            assertStillUsable(db);
            assertEquals(10_000, db.query("select g from generate_series(1, 20000) g").size(), "MAX_ROWS still holds");
        }
    }

    @Test
    void theResultBoundIsTheSettingsOne() {
        // the same 40 MB of rows, read whole with a larger bound: the cut above came from maxResultBytes
        try (Sandbox roomy = new Sandbox(sandbox.settings().toBuilder().maxResultBytes(48L * 1024 * 1024).build());
             SandboxDatabase db = roomy.create("roomy")) {
            ScriptResult r = db.apply("select repeat('x', 1000000) from generate_series(1, 40)");
            assertTrue(r.ok(), () -> r.error().describe());
            assertEquals(40L, r.statements().get(0).rows());
        }
    }

    @Test
    void withoutTheFilterPgjdbcsMaxResultBufferStopsTheResultAndTheSessionIsReplaced() {
        try (SandboxDatabase db = sandbox.create("driver bound")) {
            db.outputFiltering(false); // what an encrypted connection leaves: pgjdbc's maxResultBuffer only
            Object pid = db.query("select pg_backend_pid() as pid").get(0).get("pid");
            ScriptResult r = db.apply("select repeat('x', 1000000) from generate_series(1, 100)");
            assertEquals("54000", r.error().sqlState(), r.error().describe());
            assertEquals(Limit.OUTPUT_LIMIT, r.error().limit());
            assertTrue(r.error().message().contains("enforced by the driver"), r.error().message());
            assertNotEquals(pid, db.query("select pg_backend_pid() as pid").get(0).get("pid"),
                    "pgjdbc reads the rest of the row as messages: the session is discarded, a new one opened");
            assertStillUsable(db);
        }
    }

    @Test
    void noticesAreKeptUpToTheBoundAndTheRestCounted() {
        try (SandboxDatabase db = sandbox.create("notices")) {
            ScriptResult r = db.apply(NOTICE_LOOP);
            assertTrue(r.ok(), () -> r.error().describe());
            List<String> notices = r.statements().get(0).notices();
            assertEquals(51, notices.size());
            assertEquals("NOTICE: n 1", notices.get(0));
            assertEquals("NOTICE: n 50", notices.get(49));
            assertEquals("… and 49950 more notices dropped (the sandbox keeps 50 per statement)", notices.get(50));
            ScriptResult next = db.apply("do $$ begin raise notice 'only one'; end $$");
            assertEquals(List.of("NOTICE: only one"), next.statements().get(0).notices(), "counted per statement");
        }
        try (Sandbox more = new Sandbox(sandbox.settings().toBuilder().maxNotices(200).build());
             SandboxDatabase db = more.create("more notices")) {
            List<String> notices = db.apply(NOTICE_LOOP).statements().get(0).notices();
            assertEquals(201, notices.size(), "the bound is the setting's");
            assertEquals("… and 49800 more notices dropped (the sandbox keeps 200 per statement)", notices.get(200));
        }
    }

    @Test
    void theFilterIsWhatKeepsNoticesOutOfTheDriversMemory() throws SQLException {
        try (SandboxDatabase db = sandbox.create("notices in the driver")) {
            assertEquals(50, warningsHeldByTheDriver(db, NOTICE_LOOP), "filtered: pgjdbc never sees the dropped ones");
            assertEquals(49_950, db.outputGuard().droppedNotices());
            db.outputFiltering(false);
            assertEquals(50_000, warningsHeldByTheDriver(db, NOTICE_LOOP), "unfiltered: every notice piles up as an SQLWarning");
        }
    }

    /** How many SQLWarnings pgjdbc holds after {@code sql}, on a connection through the database's output guard. */
    static int warningsHeldByTheDriver(SandboxDatabase db, String sql) throws SQLException {
        try (Connection c = db.connectAsRunner(db.name()); Statement st = c.createStatement()) {
            db.outputGuard().beginStatement();
            st.execute(sql);
            int n = 0;
            for (var w = st.getWarnings(); w != null; w = w.getNextWarning()) {
                n++;
            }
            return n;
        }
    }

    @Test
    void theTotalOutputBoundCutsANoticeFlood() {
        try (Sandbox tight = new Sandbox(sandbox.settings().toBuilder().maxResultBytes(64 * 1024)
                .maxMessageBytes(64 * 1024).maxOutputBytes(1024 * 1024).build());
             SandboxDatabase db = tight.create("flood")) {
            ScriptResult r = db.apply(NOTICE_LOOP);
            assertEquals(Limit.OUTPUT_LIMIT, r.error().limit(), () -> String.valueOf(r.error()));
            assertTrue(r.error().message().startsWith("the statement made the server send more than the 1048576 bytes"),
                    r.error().message());
            assertTrue(r.error().error().detail().startsWith("The server's NOTICE 00000 began: n "), r.error().error().detail());
            assertStillUsable(db);
        }
    }

    @Test
    void theAdminUrlsSocketFactoryStillMakesTheRunnersSockets() {
        String name = UUID.randomUUID().toString();
        String url = server.adminUrl() + (server.adminUrl().contains("?") ? "&" : "?")
                + "socketFactory=" + CountingSocketFactory.class.getName() + "&socketFactoryArg=" + name;
        try (Sandbox through = new Sandbox(SandboxSettings.builder(url, server.superuser(), server.password())
                .pgVersion(server.major()).statementTimeout(STATEMENT_TIMEOUT).build());
             SandboxDatabase db = through.create("through a socket factory")) {
            int before = CountingSocketFactory.made(name);
            assertTrue(before > 0, "the admin's connections use it");
            List<String> notices = db.apply(NOTICE_LOOP).statements().get(0).notices();
            assertEquals(before + 1, CountingSocketFactory.made(name), "so does the runner's session");
            assertEquals(51, notices.size(), "and its output is still filtered");
            assertEquals(49_950, db.outputGuard().droppedNotices());
        }
    }

    @Test
    void aHugeErrorIsCutWithItsSqlStateNamedAndALongOneIsTruncated() throws SQLException {
        try (SandboxDatabase db = sandbox.create("huge error")) {
            quietServerLog(db);
            // 20 MB: twenty times the bound, and quick enough for the 2 s statement timeout on a busy machine
            ScriptResult huge = db.apply("do $$ begin raise exception '%', repeat('x', 20000000); end $$");
            ScriptError e = huge.error();
            assertEquals("54000", e.sqlState(), e.describe());
            assertEquals(Limit.OUTPUT_LIMIT, e.limit());
            assertTrue(e.message().startsWith("one error from the server is 200001"), e.message());
            assertTrue(e.error().detail().startsWith("The server's ERROR P0001 began: xxxxxxxx"), e.error().detail());
            assertTrue(e.error().detail().length() < 1000, "bounded: " + e.error().detail().length());
            assertTrue(db.apply("select 1").ok());

            ScriptResult longer = db.apply("do $$ begin raise exception '%', repeat('y', 100000); end $$");
            SqlError kept = longer.error().error();
            assertEquals("P0001", kept.sqlState(), "below maxMessageBytes the server's error comes through");
            assertNull(longer.error().limit());
            assertEquals("y".repeat(SqlError.MAX_TEXT) + "… [truncated: 100000 characters]", kept.message());
            assertTrue(kept.context().length() <= SqlError.MAX_TEXT + 40);
            assertTrue(db.apply("select 1").ok());
        }
    }

    @Test
    void aHugeNoticeCutsTheStatement() throws SQLException {
        try (SandboxDatabase db = sandbox.create("huge notice")) {
            quietServerLog(db);
            ScriptResult r = db.apply("create table t (id int);\ndo $$ begin raise notice '%', repeat('n', 2000000); end $$;\nselect 1;");
            assertEquals(1, r.statements().size());
            ScriptError e = r.error();
            assertEquals(2, e.statementIndex());
            assertEquals(Limit.OUTPUT_LIMIT, e.limit(), e.describe());
            assertTrue(e.message().startsWith("one notice from the server is 2000"), e.message());
            assertTrue(e.message().contains("(maxMessageBytes)"), e.message());
            assertTrue(e.error().detail().startsWith("The server's NOTICE 00000 began: nnnn"), e.error().detail());
            assertTrue(db.apply("insert into t values (1)").ok(), "statement 1 committed, the session is new");
            // the same notice under a larger message bound goes through, kept at 4096 characters
            try (Sandbox roomy = new Sandbox(sandbox.settings().toBuilder().maxMessageBytes(4L * 1024 * 1024).build());
                 SandboxDatabase db2 = roomy.create("roomy notice")) {
                ScriptResult ok = db2.apply("do $$ begin raise notice '%', repeat('n', 2000000); end $$");
                assertTrue(ok.ok(), () -> ok.error().describe());
                assertTrue(ok.statements().get(0).notices().get(0).endsWith("… [truncated: 2000008 characters]"));
            }
        }
    }

    /** A huge error would also be a huge line in the server's log, which the test harness may read. */
    private void quietServerLog(SandboxDatabase db) throws SQLException {
        try (Connection c = server.connect("postgres"); Statement st = c.createStatement()) {
            st.execute("alter database " + db.name() + " set log_min_messages = panic");
        }
    }

    // --- helpers ------------------------------------------------------------------------------------------------

    /** Runs the SQL, expects it refused with the SQLSTATE, and the database to work afterwards. */
    static void refused(SandboxDatabase db, String script, String sqlState) {
        ScriptResult r = db.apply(script);
        assertNotNull(r.error(), "not refused: " + script);
        assertEquals(sqlState, r.error().sqlState(), r.error().describe());
        assertStillUsable(db);
    }

    static void assertStillUsable(SandboxDatabase db) {
        ScriptResult r = db.apply("create table if not exists still_usable (id int); insert into still_usable values (1);");
        assertTrue(r.ok(), () -> "the sandbox is not usable afterwards: " + r.error().describe());
    }

    private static void assertConnectRefused(SandboxDatabase db, String database, String sqlState) {
        try (Connection c = db.connectAsRunner(database)) {
            fail("the runner reached database " + database);
        } catch (SQLException e) {
            assertEquals(sqlState, e.getSQLState(), database + ": " + e.getMessage());
        }
    }
}
