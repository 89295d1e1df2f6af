package dev.backendteam.orchestrator.engine;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.backendteam.contract.Clarification;
import dev.backendteam.contract.FileInput;
import dev.backendteam.contract.JobInputs;
import dev.backendteam.contract.QueryInput;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RouterTest {
    private final Router router = new Router(FlowCatalog.fromClasspath());

    private String flow(String task, JobInputs inputs) {
        Router.Routing r = router.route(task, inputs, null);
        return assertInstanceOf(Router.Routed.class, r, () -> "unclear: " + r).flow();
    }

    @Test
    void keywordsChooseTheFlow() {
        assertEquals("performance", flow("This query is slow, 3 seconds p95", JobInputs.empty()));
        assertEquals("bug", flow("We get an exception: relation does not exist", JobInputs.empty()));
        assertEquals("deployment", flow("Deploy this to Railway", JobInputs.empty()));
        assertEquals("security-review", flow("Review our RLS policies", JobInputs.empty()));
        assertEquals("new-feature", flow("Add comments to posts with a new table", JobInputs.empty()));
    }

    @Test
    void inputsCountAsSignals() {
        JobInputs logs = new JobInputs(null, null, null, null, "ERROR: 42P01", null, null, null);
        assertEquals("bug", flow("look at this", logs));
        JobInputs spec = new JobInputs(JsonNodeFactory.instance.objectNode().putArray("entities").addObject()
                .put("name", "x"), null, null, null, null, null, null, null);
        // the spec is the entities array's parent object
        JobInputs withSpec = new JobInputs(JsonNodeFactory.instance.objectNode().set("entities",
                spec.spec()), null, null, null, null, null, null, null);
        assertEquals("new-feature", flow("comments", withSpec));
        JobInputs queries = new JobInputs(null, null, List.of(new QueryInput("q", "select 1")), null, null, null,
                null, null);
        assertEquals("performance", flow("have a look", queries));
        JobInputs files = new JobInputs(null, null, null, null, null, List.of(new FileInput("pom.xml", "<x/>")),
                null, null);
        assertEquals("deployment", flow("here you go", files));
    }

    @Test
    void aPastedPlanOrWriteRatesPointAtPerformance() {
        JobInputs plan = new JobInputs(null, null, null, null, null, null, null, null, null, null,
                JsonNodeFactory.instance.textNode("Seq Scan on comments  (cost=0.00..1834.00 rows=50 width=8)"));
        assertEquals("performance", flow("look at this", plan));
        JobInputs writes = new JobInputs(null, null, null, null, null, null, null, null, null,
                java.util.Map.of("comments", new dev.backendteam.contract.WriteRate(5.0, 1.0, 0.0)), null);
        assertEquals("performance", flow("what do you think", writes));
    }

    @Test
    void keywordsMatchWholeWordsOrDeclaredPrefixes() {
        // "ci" must not match inside "special"; "index*" matches "indexes"
        Router.Routing r = router.route("special", JobInputs.empty(), null);
        assertInstanceOf(Router.Unclear.class, r);
        assertEquals("performance", flow("which indexes are missing", JobInputs.empty()));
    }

    @Test
    void noSignalOrATieIsUnclearAndAsks() {
        Router.Unclear none = assertInstanceOf(Router.Unclear.class, router.route("hello", JobInputs.empty(), null));
        assertTrue(none.question().contains("new-feature"));
        Router.Unclear tie = assertInstanceOf(Router.Unclear.class,
                router.route("deploy this, it fails", JobInputs.empty(), null));
        assertTrue(tie.reason().contains("matched equally"), tie.reason());
    }

    @Test
    void aForcedFlowOrAnAnswerNamingAFlowWins() {
        assertEquals("deployment", ((Router.Routed) router.route("slow query", JobInputs.empty(), "deployment"))
                .flow());
        JobInputs answered = new JobInputs(null, null, null, null, null, null, null,
                List.of(new Clarification("which?", " Bug ")));
        assertEquals("bug", flow("hello", answered));
        assertThrows(IllegalArgumentException.class, () -> router.route("x", JobInputs.empty(), "nope"));
    }
}
