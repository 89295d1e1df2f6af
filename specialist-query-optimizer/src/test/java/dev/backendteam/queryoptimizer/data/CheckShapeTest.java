package dev.backendteam.queryoptimizer.data;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The checks as PostgreSQL prints them (pg_get_expr), read into closed sets and bounds. */
class CheckShapeTest {

    @Test
    void readsAClosedSetOfTextAndOfVarchar() {
        assertEquals(List.of("todo", "doing", "done"), CheckShape.of("status",
                List.of("(status = ANY (ARRAY['todo'::text, 'doing'::text, 'done'::text]))")).values());
        assertEquals(List.of("a", "it's"), CheckShape.of("kind",
                List.of("((kind)::text = ANY ((ARRAY['a'::character varying, 'it''s'::character varying])::text[]))")).values());
        assertEquals(List.of("1", "2", "3"), CheckShape.of("n", List.of("(n = ANY (ARRAY[1, 2, 3]))")).values());
    }

    @Test
    void readsBounds() {
        CheckShape price = CheckShape.of("price", List.of("(price >= (0)::numeric)"));
        assertEquals(0.0, price.min());
        assertNull(price.max());
        CheckShape between = CheckShape.of("estimate_hours", List.of("((estimate_hours >= 1) AND (estimate_hours <= 40))"));
        assertEquals(1.0, between.min());
        assertEquals(40.0, between.max());
        CheckShape positive = CheckShape.of("quantity", List.of("(quantity > 0)"));
        assertTrue(positive.minExclusive());
    }

    @Test
    void leavesADisjunctionToTheFilter() {
        CheckShape s = CheckShape.of("n", List.of("((n < 0) OR (n > 10))"));
        assertNull(s.min());
        assertNull(s.max());
        assertTrue(s.values().isEmpty());
    }
}
