package dev.backendteam.queryoptimizer.rewrite;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.backendteam.queryoptimizer.QueryOptimizerSandbox;
import dev.backendteam.sandbox.PostgresServers;
import dev.backendteam.sandbox.SandboxDatabase;
import dev.backendteam.sandbox.ScriptResult;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The rewriter over the realistic queries of the workload fixture: it proposes only where a rule applies (the one
 * IN subquery), and what it proposes is valid SQL for the schema that the proof can run.
 */
@ExtendWith(PostgresServers.class)
class WorkloadRewritesTest {
    private final QueryRewriter rewriter = new QueryRewriter();

    @Test
    void onlyTheInSubqueryIsRewrittenAndTheRewritePreparesAndIsProven(PostgresServers.Servers servers)
            throws IOException {
        Map<String, String> queries = new LinkedHashMap<>();
        JsonNode file = new ObjectMapper(new YAMLFactory()).readTree(QueryOptimizerSandbox.resource("workload/queries.yaml"));
        file.get("queries").forEach(q -> queries.put(q.get("name").asText(), q.get("sql").asText()));

        List<String> proposed = new ArrayList<>();
        List<Rewrite> rewrites = new ArrayList<>();
        queries.forEach((name, sql) -> rewriter.propose(sql).forEach(r -> {
            proposed.add(name + " " + r.ruleId());
            rewrites.add(r);
        }));
        assertEquals(List.of("customers_awaiting_reply " + InSubqueryToExists.IN), proposed);
        assertEquals("select c.id, c.email, c.full_name from customers c where c.org_id = $1 and exists (select 1"
                + " from tickets t where t.org_id = $1 and t.status = 'pending' and t.customer_id = c.id)",
                rewrites.get(0).rewritten().replaceAll("\\s+", " "));

        try (SandboxDatabase db = QueryOptimizerSandbox.on(servers.pg17()).create("qo-workload-rewrites")) {
            ScriptResult schema = db.apply(QueryOptimizerSandbox.resource("workload/schema.sql"));
            assertNull(schema.error(), () -> "schema.sql: " + schema.error());
            // on the empty schema the proof runs to the end (both prepare, plan and compare) and offers nothing:
            // two empty results prove nothing
            RewriteVerdict v = new RewriteProof().prove(db, rewrites.get(0),
                    List.of(List.of("6f1c0d4e-2b1a-4c3e-9f00-000000000001")));
            assertTrue(v.reason().startsWith("the original returned no rows"), v::toString);
        }
    }
}
