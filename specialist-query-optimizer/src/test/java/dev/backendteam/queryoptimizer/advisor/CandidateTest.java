package dev.backendteam.queryoptimizer.advisor;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What makes one index redundant beside another, and how delivered indexes are named and written. */
class CandidateTest {

    private static Candidate btree(String table, String where, List<String> include, Candidate.Key... keys) {
        return new Candidate("public", table, List.of(keys), include, where, "btree", null, "composite");
    }

    private static Candidate.Key col(String name) {
        return new Candidate.Key(name, true, false);
    }

    @Test
    void aLeadingPrefixWithTheSamePredicateIsRedundant() {
        Candidate wide = btree("orders", null, List.of(), col("customer_id"), new Candidate.Key("created_at", true,
                true));
        assertTrue(btree("orders", null, List.of(), col("customer_id")).isPrefixOf(wide));
        assertFalse(btree("orders", null, List.of(), col("created_at")).isPrefixOf(wide), "not leading");
        assertFalse(btree("orders", "(deleted_at IS NULL)", List.of(), col("customer_id")).isPrefixOf(wide),
                "a partial index serves other queries");
        assertFalse(btree("orders", null, List.of("total"), col("customer_id")).isPrefixOf(wide),
                "a covering column the wider one lacks");
    }

    @Test
    void predicatesCompareAsPrintedButLiteralsExactly() {
        Candidate a = btree("tickets", "status = 'open'::text", List.of(), col("assignee_id"));
        Candidate printed = btree("tickets", "(status = 'open'::text)", List.of(), col("assignee_id"));
        Candidate other = btree("tickets", "(status = 'Open'::text)", List.of(), col("assignee_id"));
        assertTrue(a.isPrefixOf(printed), "parentheses and spacing aside");
        assertFalse(a.isPrefixOf(other), "'open' is not 'Open'");
    }

    @Test
    void namesCarryDirectionCoveringColumnsAndAFoldedTable() {
        assertEquals("idx_orders_customer_id_created_at_desc", btree("orders", null, List.of(), col("customer_id"),
                new Candidate.Key("created_at", true, true)).name());
        assertEquals("idx_orders_customer_id_incl_total_cents", btree("orders", null, List.of("total_cents"),
                col("customer_id")).name());
        assertEquals("idx_orderitems_order_id", btree("OrderItems", null, List.of(), col("order_id")).name());
        assertEquals("idx_tickets_assignee_id_where_status_not_done", btree("tickets", "status <> 'done'::text",
                List.of(), col("assignee_id")).name());
    }

    @Test
    void keywordsAndMixedCaseAreQuotedInTheDefinition() {
        assertEquals("on public.\"OrderItems\" using btree (\"left\", \"Qty\" desc)", new Candidate("public",
                "OrderItems", List.of(col("left"), new Candidate.Key("Qty", true, true)), null, null, "btree", null,
                "composite").definition());
    }
}
