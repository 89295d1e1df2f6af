package dev.backendteam.queryoptimizer.rewrite;

import dev.backendteam.queryoptimizer.QueryOptimizerSandbox;
import dev.backendteam.sandbox.PostgresServers;
import dev.backendteam.sandbox.SandboxDatabase;
import dev.backendteam.sandbox.ScriptResult;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The proof on real PostgreSQL (17 and 15), over a small data set made here: customers, and tickets whose
 * {@code customer_id} is sometimes NULL while {@code owner_id} never is, too many for NOT IN's subquery to be hashed
 * in work_mem (which is where NOT EXISTS pays). Each check is shown to fail for its reason:
 * NOT IN over a column with NULLs, a "rewrite" that duplicates rows, and one that plans costlier.
 */
@ExtendWith(PostgresServers.class)
class RewriteProofTest {
    private static final String DATA = """
            create table customers (id integer primary key, org integer not null, name text);
            create table tickets (
              id integer primary key,
              customer_id integer,
              owner_id integer not null,
              status text not null check (status in ('open', 'pending')));
            -- 1000 organizations of 20 customers: small outer sides, so that even a NOT IN run per row finishes
            insert into customers select g, g % 1000, 'customer ' || g from generate_series(1, 20000) g;
            -- customers above 15000 have no ticket; every 50th ticket has no customer; customers up to 10000 own none
            insert into tickets select g, case when g % 50 = 0 then null else 1 + g % 15000 end, 10000 + g,
              case when g % 3 = 0 then 'pending' else 'open' end
            from generate_series(1, 300000) g;
            -- the index a correlated count needs to finish at all; NOT IN's subquery is too large to hash in work_mem
            create index tickets_customer_id_idx on tickets (customer_id);
            analyze customers;
            analyze tickets;
            """;
    private static final List<List<Object>> PARAMETERS = List.of(List.of(3, "pending"), List.of(7, "open"));

    private final QueryRewriter rewriter = new QueryRewriter();
    private final RewriteProof proof = new RewriteProof();

    private static PostgresServers.TestServer server(PostgresServers.Servers servers, int major) {
        return major == 15 ? servers.pg15() : servers.pg17();
    }

    private static SandboxDatabase database(PostgresServers.TestServer server) {
        SandboxDatabase db = QueryOptimizerSandbox.on(server).create("qo-rewrite-proof");
        ScriptResult data = db.apply(DATA);
        assertNull(data.error(), () -> "data: " + data.error());
        return db;
    }

    private Rewrite proposed(String sql, String ruleId) {
        List<Rewrite> found = rewriter.propose(sql).stream().filter(r -> r.ruleId().equals(ruleId)).toList();
        assertEquals(1, found.size(), () -> ruleId + " for " + sql + ": " + found);
        return found.get(0);
    }

    @ParameterizedTest
    @ValueSource(ints = {17, 15})
    void inToExistsThatPlansTheSameIsNotOffered(int major, PostgresServers.Servers servers) {
        // PostgreSQL already plans this IN as a semi-join: the rewrite returns the same rows and gains nothing
        try (SandboxDatabase db = database(server(servers, major))) {
            Rewrite r = proposed("select c.id, c.name from customers c where c.org = $1 and c.id in"
                    + " (select t.customer_id from tickets t where t.status = $2)", InSubqueryToExists.IN);
            RewriteVerdict v = proof.prove(db, r, PARAMETERS);
            assertFalse(v.accepted(), v::toString);
            assertNotNull(v.costBefore());
            assertEquals(v.costBefore(), v.costAfter(), v::toString);
            assertTrue(v.reason().startsWith("the rewrite plans no cheaper"), v.reason());
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {17})
    void twoEmptyResultsProveNothing(int major, PostgresServers.Servers servers) {
        try (SandboxDatabase db = database(server(servers, major))) {
            Rewrite r = proposed("select c.id from customers c where c.id not in (select t.customer_id from tickets t"
                    + " where t.status = $1)", InSubqueryToExists.NOT_IN);
            RewriteVerdict v = proof.prove(db, r, List.of(List.of("no-such-status")));
            assertFalse(v.accepted(), v::toString);
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {17, 15})
    void notInToNotExistsIsRejectedWhenTheSubqueryColumnHasNulls(int major, PostgresServers.Servers servers) {
        try (SandboxDatabase db = database(server(servers, major))) {
            Rewrite r = proposed("select c.id from customers c where c.org = $1 and c.id not in"
                    + " (select t.customer_id from tickets t where t.status = $2)", InSubqueryToExists.NOT_IN);
            RewriteVerdict v = proof.prove(db, r, PARAMETERS);
            assertFalse(v.accepted(), v::toString);
            // NOT IN over a NULL keeps no row; NOT EXISTS keeps the customers without tickets
            assertTrue(v.reason().startsWith("the results differ with parameters [3, pending]: 0 row(s) only in the"
                    + " original's result, 15 only in the rewrite's (original 0 rows, rewrite 15)"), v.reason());
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {17, 15})
    void notInToNotExistsIsAcceptedWhenTheSubqueryColumnIsNotNull(int major, PostgresServers.Servers servers) {
        try (SandboxDatabase db = database(server(servers, major))) {
            Rewrite r = proposed("select c.id from customers c where c.org = $1 and c.id not in"
                    + " (select t.owner_id from tickets t)", InSubqueryToExists.NOT_IN);
            RewriteVerdict v = proof.prove(db, r, List.of(List.of(3), List.of(7)));
            assertTrue(v.accepted(), v::toString);
            assertTrue(v.reason().contains("(20 rows in all)"), v.reason());
            // 300 000 distinct owners do not hash in work_mem: NOT IN runs its subquery per customer
            assertTrue(v.costAfter() < v.costBefore() / 10, v::toString);
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {17, 15})
    void countToExistsIsAcceptedAndCheaper(int major, PostgresServers.Servers servers) {
        try (SandboxDatabase db = database(server(servers, major))) {
            Rewrite r = proposed("select c.id from customers c where c.org = $1 and (select count(*) from tickets t"
                    + " where t.customer_id = c.id and t.status = $2) > 0", CountToExists.ID);
            RewriteVerdict v = proof.prove(db, r, PARAMETERS);
            assertTrue(v.accepted(), v::toString);
            assertTrue(v.costAfter() < v.costBefore(), v::toString);
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {17, 15})
    void aJoinInPlaceOfTheSemiJoinIsRejectedForTheDuplicatesItMakes(int major, PostgresServers.Servers servers) {
        try (SandboxDatabase db = database(server(servers, major))) {
            String original = "select c.id, c.name from customers c where c.org = $1 and c.id in"
                    + " (select t.customer_id from tickets t where t.status = $2)";
            Rewrite wrong = new Rewrite("test.in-to-join", original, "select c.id, c.name from customers c join"
                    + " tickets t on t.customer_id = c.id where c.org = $1 and t.status = $2", "wrong on purpose");
            RewriteVerdict v = proof.prove(db, wrong, PARAMETERS);
            assertFalse(v.accepted(), v::toString);
            // the same customers, but one row per ticket: only the multiset, not the set, differs
            assertTrue(v.reason().startsWith("the results differ with parameters [3, pending]: 0 row(s) only in the"
                    + " original's result,"), v.reason());
            assertFalse(v.reason().contains(", 0 only in the rewrite's"), v.reason());
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {17, 15})
    void aRewriteWithTheSameRowsThatPlansCostlierIsRejected(int major, PostgresServers.Servers servers) {
        try (SandboxDatabase db = database(server(servers, major))) {
            // id + 0 hides the primary key from the planner: the same row, by a sequential scan
            Rewrite slower = new Rewrite("test.hide-the-key", "select id, name from customers where id = $1",
                    "select id, name from customers where id + 0 = $1", "slower on purpose");
            RewriteVerdict v = proof.prove(db, slower, List.of(List.of(42), List.of(19999)));
            assertFalse(v.accepted(), v::toString);
            assertTrue(v.reason().startsWith("the rewrite plans costlier"), v.reason());
            assertTrue(v.costAfter() > v.costBefore(), v::toString);
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {17, 15})
    void aRewriteThatIsNotOneStatementOrDoesNotPrepareIsRejected(int major, PostgresServers.Servers servers) {
        try (SandboxDatabase db = database(server(servers, major))) {
            String original = "select id from customers where id = $1";
            RewriteVerdict two = proof.prove(db, new Rewrite("test", original,
                    "select id from customers where id = $1; drop table customers", "two"), List.of(List.of(1)));
            assertFalse(two.accepted());
            assertTrue(two.reason().startsWith("not one statement each"), two.reason());
            RewriteVerdict broken = proof.prove(db, new Rewrite("test", original,
                    "select id from customers where nope = $1", "broken"), List.of(List.of(1)));
            assertFalse(broken.accepted());
            assertTrue(broken.reason().startsWith("the rewrite does not prepare"), broken.reason());
            // nothing of the proof stays in the session: the table is there, no statement is still prepared
            assertEquals(0L, ((Number) db.query("select count(*) as n from pg_prepared_statements").get(0).get("n"))
                    .longValue());
            assertEquals(20000L, ((Number) db.query("select count(*) as n from customers").get(0).get("n")).longValue());
        }
    }
}
