package dev.backendteam.queryoptimizer.engine;

import dev.backendteam.contract.Artifact;
import dev.backendteam.contract.ArtifactKind;
import dev.backendteam.contract.Evidence;
import dev.backendteam.contract.EvidenceStatus;
import dev.backendteam.contract.FailureKind;
import dev.backendteam.contract.Finding;
import dev.backendteam.contract.JobInputs;
import dev.backendteam.contract.QueryInput;
import dev.backendteam.contract.ResultStatus;
import dev.backendteam.contract.StepOutcome;
import dev.backendteam.contract.TaskKind;
import dev.backendteam.contract.evidence.EvidenceKind;
import dev.backendteam.contract.evidence.PlanCosts;
import dev.backendteam.queryoptimizer.targetdb.LiveTarget;
import dev.backendteam.sandbox.targetdb.TopStatements;
import dev.backendteam.queryoptimizer.QueryOptimizerSandbox;
import dev.backendteam.sandbox.PostgresServers;
import dev.backendteam.sandbox.targetdb.TargetDatabase;
import dev.backendteam.sandbox.targetdb.TargetSchema;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The performance flow with a target (BRIEF §3a, §6) on PostgreSQL 17 (and its main case on 15): a live shop whose orders are skewed (95 %
 * delivered, 1 % refunded, a few hot customers), read by its read-only role only. With nothing but the target the
 * engine copies its schema, takes its workload from pg_stat_statements, shapes the generated data by its statistics
 * and proposes indexes for the selective queries only, each query's plan compared with the target's own; the target
 * is exactly as it was. The same schema and queries without a target still run, on the generator's own guesses,
 * which make other advice — so the statistics, not luck, made the first. A target that is not configured is said.
 */
@ExtendWith(PostgresServers.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PerformanceTargetTest {
    private static final String DATABASE = "qo_perf_live";
    private static final String TARGET = "perf";
    private static final List<String> TABLES = List.of("public.customers", "public.orders");
    private static final OptimizerSettings SMALL = new OptimizerSettings(50_000, 10, 0.2, 0.5);
    // what the application runs; pg_stat_statements keeps them with $1 for the constants
    private static final String BY_CUSTOMER = "select id, status, total, created_at from orders where customer_id = ?"
            + " order by created_at desc";
    private static final String REFUNDS = "select id, customer_id, total, refunded_at from orders"
            + " where refunded_at is not null";
    private static final String DELIVERIES = "select id, customer_id, total from orders where delivered_at is not null";
    // constants survive only in queries the job gives: pg_stat_statements folds both into "status = $1"
    private static final QueryInput REFUNDED = new QueryInput("refunded_orders",
            "select id, customer_id, total from orders where status = 'refunded'", null);
    private static final QueryInput DELIVERED = new QueryInput("delivered_orders",
            "select id, customer_id, total from orders where status = 'delivered'", null);

    private PostgresServers.TestServer server;
    private QueryOptimizerEngine engine;
    private String before;
    private String schema;
    private StepOutcome fromTarget;
    private StepOutcome literalsOnTarget;

    @BeforeAll
    void runTheShopsWorkloadThenOptimiseIt(PostgresServers.Servers servers) throws SQLException {
        server = servers.pg17();
        runTheShop(server);
        Map<String, String> env = LiveTarget.environment(TARGET, server, DATABASE, LiveTarget.READER);
        engine = engine(server);
        try (TargetDatabase t = TargetDatabase.open(TARGET, env, Duration.ofSeconds(10))) {
            schema = TargetSchema.read(t, TargetAccess.SCHEMAS).ddl();
        }
        before = LiveTarget.fingerprint(server, DATABASE, TABLES);
        fromTarget = work(new JobInputs(null, null, null, null, null, null, TARGET, null));
        literalsOnTarget = work(new JobInputs(null, null, List.of(REFUNDED, DELIVERED), null, null, null, TARGET,
                null));
        print("target only", fromTarget);
        print("literal statuses on the target", literalsOnTarget);
    }

    /** The target on {@code server}, its pg_stat_statements filled by the application's calls. */
    private static void runTheShop(PostgresServers.TestServer server) throws SQLException {
        LiveTarget.database(server, DATABASE, "orders.sql", "public");
        try (Connection c = LiveTarget.connectAs(server, DATABASE, LiveTarget.APP);
             PreparedStatement byCustomer = c.prepareStatement(BY_CUSTOMER); Statement st = c.createStatement()) {
            for (int i = 100; i < 130; i++) {
                byCustomer.setLong(1, i);
                drain(byCustomer.executeQuery());
            }
            for (int i = 0; i < 10; i++) {
                drain(st.executeQuery(REFUNDS));
            }
            for (int i = 0; i < 5; i++) {
                drain(st.executeQuery(DELIVERIES));
            }
        }
    }

    /** The engine with the target configured as the product's environment would, read by the read-only role. */
    private static QueryOptimizerEngine engine(PostgresServers.TestServer server) {
        Map<String, String> env = LiveTarget.environment(TARGET, server, DATABASE, LiveTarget.READER);
        return new QueryOptimizerEngine(Optional.of(QueryOptimizerSandbox.on(server)), SMALL, new TargetAccess(
                name -> TargetDatabase.open(name, env, Duration.ofSeconds(10))));
    }

    /** A target whose tables live in a schema of its own: copied, its statistics read, indexed there. */
    @Test
    void aTargetWithItsTablesOutsidePublicIsReadAndIndexedInItsSchema() {
        LiveTarget.database(server, "qo_perf_billing", "billing.sql", "billing");
        Map<String, String> env = LiveTarget.environment("billing", server, "qo_perf_billing", LiveTarget.READER);
        QueryOptimizerEngine onBilling = new QueryOptimizerEngine(Optional.of(QueryOptimizerSandbox.on(server)),
                SMALL, new TargetAccess(name -> TargetDatabase.open(name, env, Duration.ofSeconds(10))));
        StepOutcome o = onBilling.work(QueryOptimizerEngineTest.task(TaskKind.WORK, new JobInputs(null, null,
                List.of(new QueryInput("account_invoices", "select id, amount from billing.invoices"
                        + " where account_id = $1", 60.0)), null, null, null, "billing", null), List.of()));
        assertEquals(ResultStatus.SUCCEEDED, o.status(), o.toString());
        Evidence read = evidence(o, "target billing read without writing");
        assertTrue(read.details().contains("of schema(s) billing"), read.details());
        assertTrue(evidence(o, QueryOptimizerEngine.DATA).details().contains("billing.invoices"),
                evidence(o, QueryOptimizerEngine.DATA).details());
        assertTrue(migrations(o).stream().anyMatch(m -> m.contains("on billing.invoices using btree (account_id")),
                migrations(o).toString());
    }

    /** The round replays a target's job on the target's schema and statistics, read again read-only. */
    @Test
    void theValidationRoundOfATargetOnlyJobReadsTheTargetAgainAndTheClaimsHold() throws SQLException {
        StepOutcome v = engine.validate(QueryOptimizerEngineTest.task(TaskKind.VALIDATE, new JobInputs(null, null,
                null, null, null, null, TARGET, null), fromTarget.artifacts()));
        Evidence replay = evidence(v, QueryOptimizerEngine.REPLAY);
        assertEquals(EvidenceStatus.PASSED, replay.status(), replay.details());
        assertTrue(replay.details().contains("claim(s) held"), replay.details());
        assertEquals(EvidenceStatus.PASSED, evidence(v, "target " + TARGET + " read without writing").status());
        assertEquals(before, LiveTarget.fingerprint(server, DATABASE, TABLES), "the target is exactly as it was");
    }

    @Test
    void onPostgres15TheTargetIsReadAndAdvisedAlike(PostgresServers.Servers servers) throws SQLException {
        PostgresServers.TestServer pg15 = servers.pg15();
        runTheShop(pg15);
        // the sandbox prepared first: it makes its roles on the same server, and the checksum sees every role
        QueryOptimizerEngine on15 = engine(pg15);
        String unchanged = LiveTarget.fingerprint(pg15, DATABASE, TABLES);
        StepOutcome o = on15.work(QueryOptimizerEngineTest.task(TaskKind.WORK, new JobInputs(null, null, null,
                null, null, null, TARGET, null), List.of()));
        assertEquals(ResultStatus.SUCCEEDED, o.status(), o.toString());
        Evidence read = evidence(o, "target " + TARGET + " read without writing");
        assertTrue(read.details().contains("3 top statement(s) of pg_stat_statements")
                && read.details().endsWith("PostgreSQL 15"), read.details());
        assertTrue(evidence(o, QueryOptimizerEngine.DATA).details().contains("The statistics of target perf shaped 2"));
        assertTrue(costs(o).queries().stream().allMatch(q -> q.query().startsWith("pgss_")), costs(o).toString());
        assertTrue(migrations(o).stream().anyMatch(m -> m.contains("idx_orders_customer_id")), migrations(o).toString());
        assertTrue(migrations(o).stream().noneMatch(m -> m.contains("delivered_at")), migrations(o).toString());
        assertEquals(3, o.findings().stream().filter(f -> f.ruleId().equals("query-optimizer.target-plan")).count());
        assertEquals(unchanged, LiveTarget.fingerprint(pg15, DATABASE, TABLES), "the target is exactly as it was");
    }

    @Test
    void theSchemaAndTheWorkloadComeFromTheTargetReadWithoutWriting() {
        assertEquals(ResultStatus.SUCCEEDED, fromTarget.status(), fromTarget.toString());
        Evidence read = evidence(fromTarget, "target " + TARGET + " read without writing");
        assertEquals(EvidenceStatus.PASSED, read.status(), read.details());
        assertTrue(read.details().contains("schema objects") && read.details().contains("statistics of 2 table(s)")
                && read.details().contains("top statement(s) of pg_stat_statements"), read.details());
        assertEquals(EvidenceStatus.PASSED, evidence(fromTarget, QueryOptimizerEngine.SCHEMA).status());
        List<String> names = costs(fromTarget).queries().stream().map(PlanCosts.Query::query).toList();
        assertEquals(3, names.size(), names.toString());
        assertTrue(names.stream().allMatch(n -> n.matches("pgss_-?\\d+")), names.toString());
    }

    @Test
    void theTargetsStatisticsShapedTheData() {
        String data = evidence(fromTarget, QueryOptimizerEngine.DATA).details();
        assertTrue(data.contains("The statistics of target perf shaped 2 of 2 table(s)"), data);
        assertTrue(data.contains("public.orders 40000"), "the target's reltuples, not the default: " + data);
        // the planner's estimates in the sandbox are the target's: 1 % refunded (the generator alone sets refunded_at
        // on nine rows of ten), 95 % delivered
        assertTrue(finding(fromTarget, "query-optimizer.seq-scan-selective", pgss(REFUNDS).query()).message()
                .matches(".*to keep about [2-7]\\d\\d of 40000 rows"), "refunds are rare on the target");
        finding(fromTarget, "query-optimizer.not-selective", pgss(DELIVERIES).query());
        // each query planned alike on the target and in the sandbox: the data has the target's shape
        for (String sql : List.of(BY_CUSTOMER, REFUNDS, DELIVERIES)) {
            Finding plan = fromTarget.findings().stream().filter(f -> f.ruleId().equals("query-optimizer.target-plan")
                    && f.object().equals(pgss(sql).query())).findFirst().orElseThrow(() -> new AssertionError(sql));
            assertTrue(plan.message().contains("on target perf (EXPLAIN, never run)"), plan.message());
            assertTrue(plan.message().endsWith("the same plan shape"), plan.message());
        }
    }

    @Test
    void onlyTheSelectiveQueriesGetAnIndex() {
        PlanCosts.Query byCustomer = pgss(BY_CUSTOMER);
        PlanCosts.Query deliveries = pgss(DELIVERIES);
        assertTrue(byCustomer.indexes().stream().anyMatch(i -> i.startsWith("idx_orders_customer_id")),
                byCustomer.toString());
        assertTrue(byCustomer.costAfter() < byCustomer.costBefore() * 0.2, byCustomer.toString());
        assertTrue(deliveries.indexes().isEmpty(), "95 % are delivered: " + deliveries);
        // a NULL test on a rare column is served by a B-tree on it: the 1 % of refunded orders
        PlanCosts.Query refunds = pgss(REFUNDS);
        assertTrue(refunds.indexes().stream().anyMatch(i -> i.startsWith("idx_orders_refunded_at")),
                refunds.toString());
        List<String> migrations = migrations(fromTarget);
        assertTrue(migrations.stream().anyMatch(m -> m.contains("(customer_id")), migrations.toString());
        assertTrue(migrations.stream().noneMatch(m -> m.contains("delivered_at")), migrations.toString());
        // with literals the job gives, the rare status gets an index and the dominant one none
        PlanCosts.Query refunded = query(literalsOnTarget, REFUNDED.name());
        PlanCosts.Query delivered = query(literalsOnTarget, DELIVERED.name());
        assertFalse(refunded.indexes().isEmpty(), refunded.toString());
        assertTrue(delivered.indexes().isEmpty(), delivered.toString());
    }

    @Test
    void theTargetIsExactlyAsItWasAndNoSessionOfTheReaderStays() throws SQLException, InterruptedException {
        assertEquals(before, LiveTarget.fingerprint(server, DATABASE, TABLES), "the target is exactly as it was");
        // a prepared statement lives in its session: none of the reader's sessions is left open to keep one
        long open = -1;
        for (int i = 0; i < 50 && open != 0; i++) {
            try (Connection c = server.connect(DATABASE); Statement st = c.createStatement();
                 ResultSet rs = st.executeQuery("select count(*) from pg_stat_activity where usename = '"
                         + LiveTarget.READER + "' and datname = '" + DATABASE + "'")) {
                rs.next();
                open = rs.getLong(1);
            }
            if (open != 0) {
                Thread.sleep(100);
            }
        }
        assertEquals(0, open, "sessions of the read-only role still open on the target");
        // and every PREPARE the comparison sent was deallocated in its own transaction
        try (Connection c = server.connect(DATABASE); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("""
                     select coalesce(sum(calls) filter (where query ~* '^explain .*execute backend_team_plan_'), 0)
                                as explained,
                            coalesce(sum(calls) filter (where query ~* '^deallocate'), 0) as deallocated
                       from pg_stat_statements
                      where userid = (select oid from pg_roles where rolname = '""" + LiveTarget.READER + "')"
                     + " and dbid = (select oid from pg_database where datname = current_database())")) {
            rs.next();
            assertTrue(rs.getLong("explained") >= 3, "the target planned the workload: " + rs.getLong("explained"));
            assertEquals(rs.getLong("explained"), rs.getLong("deallocated"));
        }
    }

    @Test
    void withoutATargetTheFlowRunsOnTheGivenSchemaAndGuessesOtherwise() {
        List<QueryInput> queries = List.of(new QueryInput("by_customer", BY_CUSTOMER.replace("?", "$1"), null),
                new QueryInput("refunds", REFUNDS, null), new QueryInput("deliveries", DELIVERIES, null), REFUNDED,
                DELIVERED);
        // the target's sizes, so that only the values differ
        StepOutcome o = work(new JobInputs(null, schema, queries, Map.of("customers", 2000L, "orders", 40000L), null,
                null, null, null));
        print("no target", o);
        assertEquals(ResultStatus.SUCCEEDED, o.status(), o.toString());
        assertTrue(o.evidence().stream().noneMatch(e -> e.check().startsWith("target ")), o.evidence().toString());
        assertTrue(o.findings().stream().noneMatch(f -> f.ruleId().startsWith("query-optimizer.target")),
                o.findings().toString());
        assertFalse(evidence(o, QueryOptimizerEngine.DATA).details().contains("statistics of target"));
        assertTrue(query(o, "by_customer").indexes().stream().anyMatch(i -> i.startsWith("idx_orders_customer_id")),
                query(o, "by_customer").toString());
        assertFalse(migrations(o).isEmpty());
        // the generator's own guesses: refunded_at set on most rows, the first label (pending) dominant — so the
        // refunds read most of the table and the delivered orders are rare enough for an index: with the target,
        // its statistics decided
        finding(o, "query-optimizer.not-selective", "refunds");
        assertFalse(query(o, DELIVERED.name()).indexes().isEmpty(), query(o, DELIVERED.name()).toString());
    }

    @Test
    void aTargetThatIsNotConfiguredIsSaid() {
        QueryOptimizerEngine engine = new QueryOptimizerEngine(Optional.of(QueryOptimizerSandbox.on(server)), SMALL,
                new TargetAccess(name -> TargetDatabase.open(name, Map.of(), Duration.ofSeconds(10))));
        StepOutcome alone = engine.work(QueryOptimizerEngineTest.task(TaskKind.WORK, new JobInputs(null, null, null,
                null, null, null, "nowhere", null), List.of()));
        assertEquals(ResultStatus.FAILED, alone.status(), alone.toString());
        assertEquals(FailureKind.INVALID_INPUT, alone.failureKind());
        assertTrue(alone.reason().contains("target nowhere could not be read")
                && alone.reason().contains("BACKEND_TEAM_TARGET_NOWHERE_URL"), alone.reason());
        // with a schema and queries of its own the job goes on, and says what it could not read
        StepOutcome given = engine.work(QueryOptimizerEngineTest.task(TaskKind.WORK, new JobInputs(null,
                "create table t (id int primary key, v int not null);", List.of(new QueryInput("by_v",
                "select id from t where v = $1", null)), null, null, null, "nowhere", null), List.of()));
        assertEquals(ResultStatus.SUCCEEDED, given.status(), given.toString());
        Evidence read = evidence(given, "target nowhere read without writing");
        assertEquals(EvidenceStatus.NOT_RUN, read.status());
        assertTrue(read.details().contains("not configured"), read.details());
        assertTrue(given.findings().stream().anyMatch(f -> f.ruleId().equals("query-optimizer.target-unreadable")
                && f.message().contains("BACKEND_TEAM_TARGET_NOWHERE_URL")), given.findings().toString());
    }

    private StepOutcome work(JobInputs inputs) {
        return engine.work(QueryOptimizerEngineTest.task(TaskKind.WORK, inputs, List.of()));
    }

    /** The step's costs of the statement pg_stat_statements recorded for {@code sql}. */
    private PlanCosts.Query pgss(String sql) {
        String text = sql.replace("?", "$1");
        try (TargetDatabase t = TargetDatabase.open(TARGET, LiveTarget.environment(TARGET, server, DATABASE,
                LiveTarget.READER), Duration.ofSeconds(10))) {
            QueryInput q = TopStatements.read(t, 20).queries().stream()
                    .filter(x -> x.sql().equals(text)).findFirst().orElseThrow(() -> new AssertionError(text));
            return query(fromTarget, q.name());
        }
    }

    private static PlanCosts.Query query(StepOutcome o, String name) {
        return costs(o).queries().stream().filter(q -> q.query().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError(name + " in " + costs(o).queries()));
    }

    private static PlanCosts costs(StepOutcome o) {
        return EvidenceKind.read(evidence(o, QueryOptimizerEngine.INDEX_SET).data(), PlanCosts.class).orElseThrow();
    }

    private static Evidence evidence(StepOutcome o, String check) {
        return o.evidence().stream().filter(e -> e.check().equals(check)).findFirst()
                .orElseThrow(() -> new AssertionError(check + " in " + o.evidence()));
    }

    /** A plan finding of one query: its object is the table, its message starts with the query's name. */
    private static Finding finding(StepOutcome o, String rule, String query) {
        return o.findings().stream().filter(f -> f.ruleId().equals(rule) && f.message().startsWith(query + " "))
                .findFirst().orElseThrow(() -> new AssertionError(rule + " of " + query + " in " + o.findings()));
    }

    private static List<String> migrations(StepOutcome o) {
        return o.artifacts().stream().filter(a -> a.kind() == ArtifactKind.MIGRATION).map(Artifact::content)
                .filter(c -> c.contains("create index")).toList();
    }

    private static void drain(ResultSet rs) throws SQLException {
        try (rs) {
            while (rs.next()) {
                rs.getObject(1);
            }
        }
    }

    private static void print(String label, StepOutcome o) {
        System.out.println("== " + label + ": " + o.status() + " " + o.reason());
        o.evidence().forEach(e -> System.out.println(e.check() + ": " + e.status() + " " + e.details()));
        o.findings().forEach(f -> System.out.println(f.ruleId() + " " + f.object() + ": " + f.message()));
        o.artifacts().forEach(a -> System.out.println(a.name() + "\n" + a.content()));
    }
}
