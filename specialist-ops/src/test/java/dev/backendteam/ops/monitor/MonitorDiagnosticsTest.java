package dev.backendteam.ops.monitor;

import dev.backendteam.contract.Contract;
import dev.backendteam.contract.Evidence;
import dev.backendteam.contract.EvidenceStatus;
import dev.backendteam.contract.Finding;
import dev.backendteam.contract.JobInputs;
import dev.backendteam.contract.QueryInput;
import dev.backendteam.contract.ResultStatus;
import dev.backendteam.contract.Severity;
import dev.backendteam.contract.Specialist;
import dev.backendteam.contract.StepOutcome;
import dev.backendteam.contract.TaskEvent;
import dev.backendteam.contract.TaskKind;
import dev.backendteam.contract.Json;
import dev.backendteam.sandbox.PostgresServers;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Predicate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every condition of BRIEF §6 (monitor) induced for real in a target database on the PostgreSQL 17 test server — an
 * unused, a duplicate and an invalid index, dead tuples with autovacuum off, a long-running query, a query blocked on
 * a lock, sequential scans on a large table, a low cache-hit ratio (the table's buffers evicted with pg_buffercache
 * before each read, so the reads really miss shared buffers), sequences near the end of their int4 range — each
 * found by the engine reading the target as its read-only monitoring role; each fix clears its finding; a healthy
 * database raises no alarm; and no other database's query text (a job store's, another job's sandbox) reaches the
 * report although the role may read them all (pg_read_all_stats).
 *
 * <p>Only the clocks are shortened: a query counts as long-running after 1 s and a lock wait after 1 s (defaults 60 s
 * and 5 s), so the test does not wait a minute; every other threshold is the catalogue's default.
 */
@ExtendWith(PostgresServers.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class MonitorDiagnosticsTest {
    private static final String SICK = "mon_sick";
    private static final String HEALTHY = "mon_healthy";
    private static final String RESET = "mon_reset";
    private static final String JOB_STORE = "mon_job_store";
    private static final String OTHER_SANDBOX = "mon_other_sandbox";
    // what the other databases run; none of it may reach a report on SICK or HEALTHY
    private static final List<String> FOREIGN = List.of("JOBSTORE-SECRET-7c1", "JOBSTORE-SLEEP-7c1",
            "SANDBOX-BLOCKED-9e2", "jobstore_outbox_7c1", "sandbox_orders_9e2");
    private static final String SLOW_QUERY = "select count(*) from events where kind = 'buy' and payload like '%ab%'";
    // a literal a long-running query carries: it may not reach the report
    private static final String EMAIL = "alice.secret@example.com";
    // the application's own workload read with the monitor's role (an application that is given one role)
    private static final String READERS_QUERY = "select count(*) from events where payload like '%ff%'";

    private final MonitorCatalogue catalogue = MonitorCatalogue.bundled();
    private final MonitorSettings settings = MonitorSettings.defaults(catalogue).with("long-query-seconds", 1)
            .with("lock-wait-seconds", 1);
    private PostgresServers.TestServer server;
    private final List<Connection> held = new ArrayList<>();
    private final List<CompletableFuture<?>> waiting = new ArrayList<>();
    private StepOutcome sick;
    private StepOutcome narrow;
    private StepOutcome healthy;
    private StepOutcome fixed;
    private StepOutcome reset;
    private StepOutcome xidError;
    private long sleeperPid;
    private long holderPid;
    private long blockedPid;

    @BeforeAll
    void induceEveryConditionThenDiagnose(PostgresServers.Servers servers) throws Exception {
        server = servers.pg17();
        makeSick();
        makeHealthy();
        busyOtherDatabases();
        induceLongAndBlockedQueries();
        sick = diagnose("sick", SICK, MonitorTargets.READER);
        narrow = diagnose("sick", SICK, MonitorTargets.NARROW);
        releaseSickSessions();
        healthy = diagnose("healthy", HEALTHY, MonitorTargets.READER);
        xidError = new MonitorEngine(catalogue, settings.with("xid-age-ratio", 0).with("xid-error-ratio", 0),
                MonitorTargets.environment("healthy", server, HEALTHY, MonitorTargets.READER)).work(task("healthy"));
        makeHealthyThenResetItsStatistics();
        reset = diagnose("reset", RESET, MonitorTargets.READER);
        fixEverything();
        fixed = diagnose("sick", SICK, MonitorTargets.READER);
    }

    @AfterAll
    void release() throws SQLException {
        for (Connection c : held) {
            c.close();
        }
    }

    /** The engine's step on {@code database}, configured as target {@code target} and read as {@code role}. */
    private StepOutcome diagnose(String target, String database, String role) {
        Map<String, String> env = MonitorTargets.environment(target, server, database, role);
        return new MonitorEngine(catalogue, settings, env).work(task(target));
    }

    static TaskEvent task(String target) {
        return new TaskEvent(Contract.VERSION, "t-1", "job-1", 1, 1, Specialist.OPS, "monitor", TaskKind.WORK,
                "why is the shop slow?", new JobInputs(null, null, null, null, null, null, target, null), List.of(),
                0, null);
    }

    // ---- the conditions ------------------------------------------------------------------------------------------

    private void makeSick() throws SQLException {
        MonitorTargets.create(server, SICK);
        try (Connection c = MonitorTargets.app(server, SICK); Statement st = c.createStatement()) {
            st.execute("create extension pg_buffercache");
            st.execute("""
                    create table customers (id bigint generated always as identity primary key, email text not null,
                        region text not null, created_at timestamptz not null default now());
                    insert into customers (email, region) select 'user' || g || '@example.com',
                        (array['eu', 'us', 'apac'])[1 + g % 3] from generate_series(1, 20000) g;
                    create index idx_customers_region on customers (region);
                    create index idx_customers_email on customers (email);
                    create index idx_customers_email_again on customers (email);
                    create table events (id bigint generated always as identity primary key, kind text not null,
                        payload text not null);
                    insert into events (kind, payload) select (array['click', 'view', 'buy', 'share'])[1 + g % 4],
                        md5(g::text) from generate_series(1, 30000) g;
                    create table ledger (id bigint generated always as identity primary key, note text not null)
                        with (autovacuum_enabled = off);
                    insert into ledger (note) select repeat(md5(g::text), 6) from generate_series(1, 60000) g;
                    analyze ledger;
                    delete from ledger where id % 10 < 7;
                    create table tickets (id int generated always as identity primary key, title text);
                    select setval(pg_get_serial_sequence('tickets', 'id'), 2000000000);
                    insert into tickets (title) values ('near the end of int4');
                    create table legacy (id int not null, note text);
                    create sequence legacy_id_seq owned by legacy.id;
                    alter table legacy alter column id set default nextval('legacy_id_seq');
                    select setval('legacy_id_seq', 1800000000);
                    insert into legacy (note) values ('a bigint sequence feeding an int4 column');
                    create sequence batch_seq as int;
                    select setval('batch_seq', 2100000000);
                    create sequence ring_seq as int cycle;
                    select setval('ring_seq', 2100000000);
                    create table notes (id bigint primary key, body text) with (autovacuum_enabled = off);
                    insert into notes select g, 'note ' || g from generate_series(1, 100) g;
                    delete from notes where id <= 80;
                    create table orders (id bigint primary key,
                        customer_id bigint not null references customers on delete cascade);
                    insert into orders select g, 1 + g % 20000 from generate_series(1, 20000) g;
                    create index idx_orders_customer on orders (customer_id);
                    create table order_lines (id bigint primary key,
                        order_id bigint not null references orders on delete cascade);
                    insert into order_lines select g, 1 + g % 20000 from generate_series(1, 20000) g;
                    create index idx_order_lines_order on order_lines (order_id);
                    create index idx_order_lines_order_again on order_lines (order_id);
                    create table archive (id bigint primary key, body text not null);
                    insert into archive select g, repeat(md5(g::text), 2) from generate_series(1, 40000) g;
                    """);
            // a unique index built concurrently on duplicate values fails and stays behind, invalid
            try {
                st.execute("create unique index concurrently idx_customers_region_unique on customers (region)");
                throw new IllegalStateException("the unique build should have failed on duplicate regions");
            } catch (SQLException expected) {
                assertEquals("23505", expected.getSQLState());
            }
            // the setup's own statements are not the workload
            st.execute("select pg_stat_statements_reset(0, (select oid from pg_database"
                    + " where datname = current_database()), 0)");
        }
        try (Connection c = MonitorTargets.app(server, SICK); Statement st = c.createStatement()) {
            for (int i = 0; i < 25; i++) {
                st.execute(SLOW_QUERY);
            }
            // the ~530 pages of archive read from outside shared buffers 20 times: ~10 000 misses against the ~200 000
            // hits of the set-up's inserts and the workload, a ratio near 0.95
            for (int i = 0; i < 20; i++) {
                st.execute("select count(pg_buffercache_evict(bufferid)) from pg_buffercache where reldatabase ="
                        + " (select oid from pg_database where datname = current_database())"
                        + " and relfilenode = pg_relation_filenode('archive')");
                st.execute("select count(*) from archive");
            }
            st.execute("select email from customers where id = 42");
        }
        try (Connection c = MonitorTargets.as(server, SICK, MonitorTargets.READER); Statement st = c.createStatement()) {
            for (int i = 0; i < 5; i++) {
                st.execute(READERS_QUERY);
            }
        }
        awaitStatistics(SICK, "select seq_scan >= 25 from pg_stat_user_tables where relname = 'events'");
    }

    private void makeHealthy() throws SQLException {
        MonitorTargets.create(server, HEALTHY);
        try (Connection c = MonitorTargets.app(server, HEALTHY); Statement st = c.createStatement()) {
            st.execute("""
                    create table customers (id bigint generated always as identity primary key, email text not null,
                        created_at timestamptz not null default now());
                    insert into customers (email) select 'user' || g || '@example.com' from generate_series(1, 20000) g;
                    create index idx_customers_email on customers (email);
                    """);
            st.execute("vacuum analyze customers");
            for (int i = 1; i <= 30; i++) {
                st.execute("select id, created_at from customers where email = 'user" + i + "@example.com'");
                st.execute("select email from customers where id = " + i);
            }
        }
        awaitStatistics(HEALTHY, "select idx_scan >= 60 from pg_stat_user_tables where relname = 'customers'");
    }

    /** The job store and another job's sandbox on the same server, busy with distinctive statements. */
    private void busyOtherDatabases() throws Exception {
        MonitorTargets.create(server, JOB_STORE);
        MonitorTargets.create(server, OTHER_SANDBOX);
        try (Connection c = MonitorTargets.app(server, JOB_STORE); Statement st = c.createStatement()) {
            st.execute("create table jobstore_outbox_7c1 (id bigint primary key, payload text)");
            st.execute("insert into jobstore_outbox_7c1 select g, 'JOBSTORE-SECRET-7c1 ' || g"
                    + " from generate_series(1, 20000) g");
            for (int i = 0; i < 30; i++) {
                // pg_stat_statements keeps the comment, folds the constant
                st.execute("select payload /* JOBSTORE-SECRET-7c1 */ from jobstore_outbox_7c1"
                        + " where payload like 'JOBSTORE-SECRET-7c1%' order by payload desc limit 5");
            }
        }
        Connection sleeper = hold(JOB_STORE);
        waiting.add(CompletableFuture.runAsync(() -> run(sleeper, "select pg_sleep(60) /* JOBSTORE-SLEEP-7c1 */")));
        try (Connection c = MonitorTargets.app(server, OTHER_SANDBOX); Statement st = c.createStatement()) {
            st.execute("create table sandbox_orders_9e2 (id int primary key, note text)");
            st.execute("insert into sandbox_orders_9e2 values (1, 'x')");
        }
        Connection owner = hold(OTHER_SANDBOX);
        owner.setAutoCommit(false);
        run(owner, "update sandbox_orders_9e2 set note = 'held' where id = 1");
        Connection blocked = hold(OTHER_SANDBOX);
        waiting.add(CompletableFuture.runAsync(() -> run(blocked,
                "update sandbox_orders_9e2 set note = 'SANDBOX-BLOCKED-9e2' where id = 1")));
        awaitActivity(OTHER_SANDBOX, "SANDBOX-BLOCKED-9e2", true);
        awaitActivity(JOB_STORE, "JOBSTORE-SLEEP-7c1", false);
    }

    /** A healthy table of 30 MB and its 13 MB indexes, vacuumed and analyzed, then the statistics reset. */
    private void makeHealthyThenResetItsStatistics() throws SQLException {
        MonitorTargets.create(server, RESET);
        try (Connection c = MonitorTargets.app(server, RESET); Statement st = c.createStatement()) {
            st.execute("""
                    create table big (id bigint primary key, tag bigint not null, payload text not null);
                    insert into big select g, g % 1000, md5(g::text) from generate_series(1, 600000) g;
                    create index idx_big_tag on big (tag);
                    """);
            st.execute("vacuum analyze big");
            st.execute("select count(*) from big where tag = 7");
            MonitorTargets.flushStatistics(st);
        }
        try (Connection c = MonitorTargets.app(server, RESET); Statement st = c.createStatement()) {
            st.execute("select pg_stat_reset()");
        }
        awaitStatistics(RESET, "select n_live_tup = 0 and idx_scan = 0 from pg_stat_user_tables where relname = 'big'");
    }

    private void induceLongAndBlockedQueries() throws Exception {
        Connection sleeper = hold(SICK);
        sleeperPid = pid(sleeper);
        waiting.add(CompletableFuture.runAsync(() -> run(sleeper, "select '" + EMAIL + "' as email, pg_sleep(60)")));
        Connection holder = hold(SICK);
        holderPid = pid(holder);
        holder.setAutoCommit(false);
        run(holder, "update tickets set title = 'held by a transaction left open' where title = 'near the end of int4'");
        Connection blocked = hold(SICK);
        blockedPid = pid(blocked);
        waiting.add(CompletableFuture.runAsync(() -> run(blocked,
                "update tickets set title = 'waits for the lock' where title like 'near%'")));
        awaitActivity(SICK, "waits for the lock", true);
        awaitActivity(SICK, "pg_sleep(60)", false);
        Thread.sleep(1_500);
    }

    private void releaseSickSessions() throws SQLException {
        try (Connection c = MonitorTargets.app(server, "postgres"); Statement st = c.createStatement()) {
            st.execute("select pg_terminate_backend(pid) from pg_stat_activity where pid in (" + sleeperPid + ", "
                    + holderPid + ", " + blockedPid + ")");
        }
    }

    /** The fix each finding names, applied by the application. */
    private void fixEverything() throws SQLException {
        try (Connection c = MonitorTargets.app(server, SICK); Statement st = c.createStatement()) {
            st.execute("drop index concurrently if exists public.idx_customers_email_again");
            st.execute("drop index concurrently if exists public.idx_customers_region_unique");
            st.execute("drop index concurrently if exists public.idx_customers_region");
            st.execute("drop index concurrently if exists public.idx_order_lines_order_again");
            st.execute("alter sequence batch_seq as bigint");
            st.execute("vacuum full analyze ledger");
            st.execute("alter table ledger reset (autovacuum_enabled)");
            st.execute("alter sequence tickets_id_seq as bigint");
            st.execute("alter table tickets alter column id type bigint");
            st.execute("alter sequence legacy_id_seq as bigint");
            st.execute("alter table legacy alter column id type bigint");
            st.execute("create index idx_events_kind on events (kind)");
            st.execute("select email from customers where email = 'user7@example.com'");
        }
    }

    // ---- what was found ------------------------------------------------------------------------------------------

    @Test
    void anUnusedIndexIsFound() {
        Finding f = finding(sick, "monitor.unused-index", "public.idx_customers_region");
        assertEquals(Severity.WARN, f.severity());
        assertTrue(f.message().contains("has not been scanned since"), f.message());
        assertTrue(f.fix().startsWith("drop index concurrently if exists public.idx_customers_region;"), f.fix());
        assertFalse(has(sick, "monitor.unused-index", "public.customers_pkey"), "a primary key is never unused");
        assertFalse(has(fixed, "monitor.unused-index", "public.idx_customers_region"), "dropped: cleared");
    }

    @Test
    void theOnlyIndexOfAForeignKeyIsNeverUnusedAndOfTwoDuplicatesOneIsKept() {
        assertFalse(has(sick, "monitor.unused-index", "public.idx_orders_customer"),
                "deletes on customers (on delete cascade) need it: " + sick.findings());
        assertTrue(has(sick, "monitor.duplicate-index", "public.idx_order_lines_order_again"));
        assertTrue(has(sick, "monitor.unused-index", "public.idx_order_lines_order_again"));
        assertFalse(has(sick, "monitor.unused-index", "public.idx_order_lines_order"), "the one kept for the key");
        assertFalse(has(fixed, "monitor.unused-index", "public.idx_order_lines_order"), "the only one left");
    }

    @Test
    void afterAStatisticsResetAHealthyDatabaseShowsNoBloatAndUnusedIndexesAreOnlyInformative() {
        for (String rule : List.of("monitor.table-bloat", "monitor.index-bloat")) {
            assertEquals(EvidenceStatus.PASSED, evidence(reset, catalogue.get(rule)).status(), rule + " ran and passed");
            assertEquals(List.of(), reset.findings().stream().filter(f -> f.ruleId().equals(rule)).toList(),
                    "pg_stat_reset() zeroes n_live_tup, not the table's rows");
        }
        Finding unused = finding(reset, "monitor.unused-index", "public.idx_big_tag");
        assertEquals(Severity.INFO, unused.severity(), "statistics of a minute tell nothing: " + unused.message());
        assertTrue(unused.message().contains("a period too short to judge (from 7 days)"), unused.message());
        assertEquals(List.of(), reset.findings().stream().filter(f -> f.severity() != Severity.INFO).toList());
    }

    @Test
    void aSmallTableNeverVacuumedIsNoAutovacuumAlarmAndAutovacuumOffIsSeen() {
        Finding notes = finding(sick, "monitor.autovacuum-lag", "public.notes");
        assertEquals(Severity.INFO, notes.severity(), notes.message());
        assertTrue(notes.message().contains("autovacuum is disabled on this table"), "stored as 'off': "
                + notes.message());
        assertEquals(Severity.WARN, finding(sick, "monitor.autovacuum-lag", "public.ledger").severity());
    }

    @Test
    void aDuplicateIndexIsFoundAndTheOlderOneKept() {
        Finding f = finding(sick, "monitor.duplicate-index", "public.idx_customers_email_again");
        assertTrue(f.message().contains("duplicates idx_customers_email "), f.message());
        assertFalse(has(sick, "monitor.duplicate-index", "public.idx_customers_email"), sick.findings().toString());
        assertFalse(fixed.findings().stream().anyMatch(x -> x.ruleId().equals("monitor.duplicate-index")));
    }

    @Test
    void anInvalidIndexLeftByAFailedConcurrentBuildIsFound() {
        Finding f = finding(sick, "monitor.invalid-index", "public.idx_customers_region_unique");
        assertTrue(f.message().contains("indisvalid = false"), f.message());
        assertFalse(has(fixed, "monitor.invalid-index", "public.idx_customers_region_unique"));
    }

    @Test
    void deadTuplesAutovacuumLagAndBloatAreFound() {
        Finding dead = finding(sick, "monitor.dead-tuples", "public.ledger");
        assertTrue(dead.message().contains("42000 dead rows next to 18000 live ones"), dead.message());
        assertTrue(dead.message().contains("autovacuum is disabled on this table"), dead.message());
        Finding lag = finding(sick, "monitor.autovacuum-lag", "public.ledger");
        assertTrue(lag.message().contains("has not vacuumed it ever"), lag.message());
        Finding bloat = finding(sick, "monitor.table-bloat", "public.ledger");
        assertTrue(bloat.message().contains("18000 live rows"), bloat.message());
        for (String rule : List.of("monitor.dead-tuples", "monitor.autovacuum-lag", "monitor.table-bloat")) {
            assertFalse(has(fixed, rule, "public.ledger"), rule + " after vacuum full: cleared");
        }
    }

    @Test
    void aLongRunningQueryAndATransactionLeftOpenAreFound() {
        Finding sleeping = finding(sick, "monitor.long-running-query", "pid " + sleeperPid);
        assertTrue(sleeping.message().contains("has been active for") && sleeping.message().endsWith(
                "select $1 as email, pg_sleep($2)"), "its literals replaced: " + sleeping.message());
        assertTrue(sleeping.fix().contains("pg_cancel_backend(" + sleeperPid + ")"), sleeping.fix());
        Finding open = finding(sick, "monitor.long-running-query", "pid " + holderPid);
        assertTrue(open.message().contains("has been idle in transaction for"), open.message());
        assertFalse(fixed.findings().stream().anyMatch(f -> f.ruleId().equals("monitor.long-running-query")),
                "the sessions ended: cleared");
    }

    @Test
    void aQueryBlockedOnALockIsFoundWithItsBlocker() {
        Finding f = finding(sick, "monitor.lock-waits", "pid " + blockedPid);
        assertTrue(f.message().contains("blocked by pid " + holderPid + " (idle in transaction: update tickets"),
                f.message());
        assertTrue(f.message().contains("blocked by pid " + holderPid + " (idle in transaction: update tickets set title"
                + " = $1 where title = $2)"), "the blocker's literals replaced too: " + f.message());
        assertTrue(f.message().endsWith("update tickets set title = $1 where title like $2"), f.message());
        assertFalse(fixed.findings().stream().anyMatch(x -> x.ruleId().equals("monitor.lock-waits")));
    }

    @Test
    void sequentialScansOnALargeTableAreFound() {
        Finding f = finding(sick, "monitor.seq-scans", "public.events");
        assertTrue(f.message().contains("(30000 rows) was read in full"), f.message());
        assertFalse(has(sick, "monitor.seq-scans", "public.customers"), "its scans use the primary key");
    }

    @Test
    void aLowCacheHitRatioIsFound() {
        Finding f = finding(sick, "monitor.cache-hit-ratio", SICK + " tables");
        assertEquals(Severity.WARN, f.severity(), f.message());
        assertTrue(f.message().contains("warn below 0.99"), f.message());
    }

    @Test
    void sequencesNearTheEndOfInt4AreFound() {
        Finding identity = finding(sick, "monitor.sequence-exhaustion", "public.tickets_id_seq");
        assertTrue(identity.message().contains("(public.tickets.id, integer) is at 2000000001 of 2147483647"),
                identity.message());
        Finding legacy = finding(sick, "monitor.sequence-exhaustion", "public.legacy_id_seq");
        assertTrue(legacy.message().contains("of 2147483647 (the maximum of its column's type)"), legacy.message());
        assertEquals(Severity.WARN, identity.severity(), "0.93 used");
        assertTrue(identity.fix().startsWith("alter sequence public.tickets_id_seq as bigint; alter table public.tickets"
                + " alter column id type bigint;"), identity.fix());
        Finding batch = finding(sick, "monitor.sequence-exhaustion", "public.batch_seq");
        assertEquals(Severity.ERROR, batch.severity(), "0.98 used: " + batch.message());
        assertTrue(batch.fix().startsWith("alter sequence public.batch_seq as bigint;  --"), batch.fix());
        assertFalse(has(sick, "monitor.sequence-exhaustion", "public.ring_seq"), "a cycle sequence never runs out");
        assertFalse(fixed.findings().stream().anyMatch(x -> x.ruleId().equals("monitor.sequence-exhaustion")),
                "all moved to bigint: cleared");
    }

    @Test
    void theXidAgeIsAnErrorFromItsErrorRatio() {
        assertEquals(Severity.ERROR, finding(xidError, "monitor.xid-wraparound", HEALTHY).severity());
        assertEquals(Severity.INFO, finding(healthy, "monitor.xid-wraparound", HEALTHY).severity());
    }

    @Test
    void noLiteralOfASessionsQueryReachesTheReport() {
        String report = Json.write(sick);
        for (String literal : List.of(EMAIL, "held by a transaction left open", "waits for the lock")) {
            assertFalse(report.contains(literal), literal + " leaked into the report: " + report);
        }
    }

    @Test
    void theApplicationsStatementsCountThoughRunWithTheMonitorsRoleAndTheMonitorsOwnDoNot() {
        assertTrue(sick.handoff().diagnosis().queries().stream().anyMatch(q -> q.sql().startsWith(
                "select count(*) from events where payload like $1")), sick.handoff().diagnosis().queries().toString());
        // by now the monitor has read SICK three times with that role: none of its queries is a top statement
        List<Finding> top = fixed.findings().stream().filter(f -> f.ruleId().equals("monitor.top-statements")).toList();
        assertFalse(top.isEmpty());
        for (Finding f : top) {
            assertFalse(f.message().matches("(?s).*\\b(pg_\\w+|current_setting|information_schema)\\b.*"),
                    "the monitor's own: " + f.message());
        }
    }

    @Test
    void theTopStatementsGoToQueryOptimizerAsItsWorkload() {
        assertNotNull(sick.handoff());
        assertEquals(Specialist.QUERY_OPTIMIZER, sick.handoff().service());
        List<QueryInput> queries = sick.handoff().diagnosis().queries();
        QueryInput slow = queries.stream().filter(q -> q.sql().startsWith("select count(*) from events"))
                .findFirst().orElseThrow(() -> new AssertionError(queries.toString()));
        assertTrue(slow.name().matches("pgss_-?\\d+"), slow.name());
        assertTrue(slow.sql().contains("kind = $1"), "constants normalised: " + slow.sql());
        assertTrue(slow.frequency() > 0, "calls per minute");
        assertTrue(has(sick, "monitor.top-statements", slow.name()));
    }

    @Test
    void eachDiagnosticIsOneEvidenceItemFailedWhereItRaisedAnAlarm() {
        assertEquals(ResultStatus.SUCCEEDED, sick.status());
        assertEquals(catalogue.diagnostics().size(), sick.evidence().size());
        for (Diagnostic d : catalogue.diagnostics()) {
            Evidence e = evidence(sick, d);
            boolean alarm = sick.findings().stream().anyMatch(f -> f.ruleId().equals(d.id())
                    && f.severity() != Severity.INFO);
            assertEquals(alarm ? EvidenceStatus.FAILED : EvidenceStatus.PASSED, e.status(), e.toString());
        }
        assertEquals(EvidenceStatus.PASSED, evidence(sick, catalogue.get("monitor.xid-wraparound")).status());
        assertEquals(Severity.INFO, finding(sick, "monitor.xid-wraparound", SICK).severity());
    }

    @Test
    void aRoleWithoutStatisticsOrSequencesSaysWhatItCouldNotRead() {
        Evidence top = evidence(narrow, catalogue.get("monitor.top-statements"));
        assertEquals(EvidenceStatus.NOT_RUN, top.status());
        assertTrue(top.details().contains("grant it pg_read_all_stats"), top.details());
        Evidence sequences = evidence(narrow, catalogue.get("monitor.sequence-exhaustion"));
        // the identity sequences of customers, events, ledger and tickets, legacy's, batch_seq and ring_seq
        assertTrue(sequences.details().contains("7 object(s) not readable by the role"), sequences.details());
        assertTrue(narrow.handoff() == null || narrow.handoff().diagnosis().queries().isEmpty());
    }

    @Test
    void aHealthyDatabaseRaisesNoAlarm() {
        List<Finding> alarms = healthy.findings().stream().filter(f -> f.severity() != Severity.INFO).toList();
        assertEquals(List.of(), alarms);
        for (Evidence e : healthy.evidence()) {
            assertEquals(EvidenceStatus.PASSED, e.status(), "every diagnostic ran and passed: " + e);
        }
        assertTrue(has(healthy, "monitor.sizes", "public.customers"), "sizes are informative");
    }

    @Test
    void noOtherDatabasesQueryTextReachesAReportThoughTheRoleCouldReadIt() throws SQLException {
        // the role is a real monitoring role: it reads every database's statements and sessions
        try (Connection c = MonitorTargets.as(server, SICK, MonitorTargets.READER); Statement st = c.createStatement()) {
            assertTrue(count(st, "select count(*) from pg_stat_statements where query like '%JOBSTORE-SECRET-7c1%'"
                    + " and query like '%jobstore_outbox_7c1%'")
                    > 0, "the job store's statements are readable by the role");
            assertTrue(count(st, "select count(*) from pg_stat_activity where query like '%JOBSTORE-SLEEP-7c1%'"
                    + " or query like '%SANDBOX-BLOCKED-9e2%'") >= 2, "so are other databases' sessions");
        }
        for (StepOutcome outcome : List.of(sick, narrow, healthy, fixed)) {
            String report = Json.write(outcome);
            for (String foreign : FOREIGN) {
                assertFalse(report.contains(foreign), foreign + " leaked into a report: " + report);
            }
        }
    }

    // ---- helpers -------------------------------------------------------------------------------------------------

    private Connection hold(String database) throws SQLException {
        Connection c = MonitorTargets.app(server, database);
        held.add(c);
        return c;
    }

    private static void run(Connection c, String sql) {
        try (Statement st = c.createStatement()) {
            st.execute(sql);
        } catch (SQLException e) {
            // a session the test ends (terminated, cancelled) stops here; nothing waits for it
        }
    }

    private static long pid(Connection c) throws SQLException {
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("select pg_backend_pid()")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static long count(Statement st, String sql) throws SQLException {
        try (ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private void awaitStatistics(String database, String condition) throws SQLException {
        await(database, condition, "statistics");
    }

    private void awaitActivity(String database, String text, boolean waitingForLock) throws SQLException {
        await("postgres", "select exists (select 1 from pg_stat_activity where datname = '" + database
                + "' and query like '%" + text.replace("'", "''") + "%' and state = 'active'"
                + (waitingForLock ? " and wait_event_type = 'Lock'" : "") + ")", text);
    }

    private void await(String database, String condition, String what) throws SQLException {
        long deadline = System.currentTimeMillis() + 15_000;
        try (Connection c = MonitorTargets.app(server, database); Statement st = c.createStatement()) {
            while (true) {
                try (ResultSet rs = st.executeQuery(condition)) {
                    if (rs.next() && rs.getBoolean(1)) {
                        return;
                    }
                }
                if (System.currentTimeMillis() > deadline) {
                    throw new IllegalStateException("timed out waiting for " + what + " in " + database);
                }
                try {
                    Thread.sleep(100);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException(e);
                }
            }
        }
    }

    private static boolean has(StepOutcome o, String rule, String object) {
        return o.findings().stream().anyMatch(f -> f.ruleId().equals(rule) && object.equals(f.object()));
    }

    private static Finding finding(StepOutcome o, String rule, String object) {
        Predicate<Finding> p = f -> f.ruleId().equals(rule) && object.equals(f.object());
        return o.findings().stream().filter(p).findFirst().orElseThrow(() -> new AssertionError("no " + rule
                + " on " + object + " in " + o.findings().stream().filter(f -> f.ruleId().equals(rule)).toList()));
    }

    private static Evidence evidence(StepOutcome o, Diagnostic d) {
        return o.evidence().stream().filter(e -> e.check().startsWith("monitor: " + d.title() + " on target"))
                .findFirst().orElseThrow(() -> new AssertionError("no evidence of " + d.id() + " in " + o.evidence()));
    }
}
