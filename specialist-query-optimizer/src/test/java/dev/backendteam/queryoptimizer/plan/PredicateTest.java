package dev.backendteam.queryoptimizer.plan;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Conditions as PostgreSQL's planner prints them (VERBOSE), read from the side of one relation. */
class PredicateTest {

    @Test
    void conjunctsAreSplitAndEachTiedToItsKey() {
        List<Predicate> p = Predicate.of("((c.post_id = $1) AND (c.deleted_at IS NULL) AND (lower(c.email) = "
                + "lower($2)) AND (c.status = ANY ('{open,pending}'::text[])))", "c");
        assertEquals(List.of("post_id", "deleted_at", "lower(email)", "status"), p.stream().map(Predicate::key)
                .toList());
        assertEquals(Predicate.Operand.PARAMETER, p.get(0).operand());
        assertEquals(Predicate.Operand.NONE, p.get(1).operand());
        assertEquals(Predicate.Operand.PARAMETER, p.get(2).operand());
        assertTrue(p.get(3).isEquality() && p.get(3).isConstant());
    }

    @Test
    void aLiteralKeepsItsDotsWhenTheAliasIsStripped() {
        Predicate p = Predicate.of("(e.kind = 'page.view e.x'::text)", "e").get(0);
        assertEquals("kind", p.key());
        assertEquals("kind = 'page.view e.x'::text", p.text());
    }

    @Test
    void aQuotedAliasIsReadByItsName() {
        Predicate p = Predicate.of("(\"O\".customer_id = $1)", "O").get(0);
        assertEquals("customer_id", p.key());
        assertEquals(Predicate.Operand.PARAMETER, p.operand());
    }

    @Test
    void aJoinKeyIsAnOuterEqualityOnEachSide() {
        assertEquals(Predicate.Operand.OUTER, Predicate.of("(c.post_id = p.id)", "c").get(0).operand());
        assertEquals("id", Predicate.of("(c.post_id = p.id)", "p").get(0).key());
    }

    @Test
    void anInitPlanIsAValuePerCallAsPostgres17PrintsSelectAuthUid() {
        Predicate p = Predicate.of("(t.user_id = (InitPlan 1).col1)", "t").get(0);
        assertEquals("user_id", p.key());
        assertEquals(Predicate.Operand.PARAMETER, p.operand());
    }

    @Test
    void aVarcharCastToTextIsStillTheColumn() {
        Predicate p = Predicate.of("((c.email)::text = $1)", "c").get(0);
        assertEquals("email", p.key());
        assertTrue(p.column());
    }

    @Test
    void disjunctionsAndSubPlansAreLeftOut() {
        assertEquals(List.of(), Predicate.of("((c.a = 1) OR (c.b = 2))", "c"));
        assertEquals(List.of(), Predicate.of("(ANY (c.id = (hashed SubPlan 1).col1))", "c"));
    }
}
