package dev.backendteam.queryoptimizer.engine;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import org.junit.jupiter.api.Test;

import java.io.File;
import java.io.IOException;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/** A plan users paste, in EXPLAIN's text and JSON formats: what it says of the tables' sizes and what it scans. */
class PastedPlanTest {

    private static JsonNode example() throws IOException {
        return new ObjectMapper().readTree(new File("../deploy/examples/performance.json")).get("explain");
    }

    @Test
    void aTextPlanSizesItsFullyScannedTable() throws IOException {
        // 4980 rows kept and 4995020 removed by the filter: the table has 5,000,000
        assertEquals(Map.of("comments", 5_000_000L), PastedPlan.tables(example()));
        PastedPlan.Summary s = PastedPlan.summary(example());
        assertEquals(List.of("Seq Scan on comments"), s.scans());
        assertEquals(289143.26, s.cost(), 0.001);
    }

    @Test
    void aJsonPlanToo() throws IOException {
        JsonNode json = new ObjectMapper().readTree("""
                [{"Plan": {"Node Type": "Hash Join", "Total Cost": 912.5, "Plan Rows": 10, "Plans": [
                  {"Node Type": "Seq Scan", "Relation Name": "orders", "Total Cost": 400, "Plan Rows": 120000},
                  {"Node Type": "Hash", "Total Cost": 20, "Plan Rows": 300, "Plans": [
                    {"Node Type": "Index Scan", "Relation Name": "customers", "Index Name": "customers_pkey",
                     "Total Cost": 20, "Plan Rows": 300}]}]}}]
                """);
        assertEquals(Map.of("orders", 120_000L), PastedPlan.tables(json), "only a full scan sizes its table");
        assertEquals(List.of("Seq Scan on orders", "Index Scan on customers"), PastedPlan.summary(json).scans());
    }

    @Test
    void textThatIsNoPlanSizesNothing() {
        JsonNode text = JsonNodeFactory.instance.textNode("it is slow, please help");
        assertEquals(Map.of(), PastedPlan.tables(text));
        assertNull(PastedPlan.summary(text));
    }
}
