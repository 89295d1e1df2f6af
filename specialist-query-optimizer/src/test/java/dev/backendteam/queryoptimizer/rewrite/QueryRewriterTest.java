package dev.backendteam.queryoptimizer.rewrite;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** One positive and several negative cases per rule, and each fix proven to clear its rule. */
class QueryRewriterTest {
    private final QueryRewriter rewriter = new QueryRewriter();

    private List<Rewrite> proposals(String sql, String ruleId) {
        return rewriter.propose(sql).stream().filter(r -> r.ruleId().equals(ruleId)).toList();
    }

    private String only(String sql, String ruleId) {
        List<Rewrite> found = proposals(sql, ruleId);
        assertEquals(1, found.size(), () -> "one " + ruleId + " for " + sql + ": " + found);
        Rewrite r = found.get(0);
        assertEquals(sql, r.original());
        assertEquals(List.of(), proposals(r.rewritten(), ruleId), "the fix clears the rule");
        return r.rewritten();
    }

    @Test
    void inBecomesACorrelatedExistsWithTheAliasesKept() {
        assertEquals("select c.id, c.email from customers c where c.org_id = $1 and exists (select 1 from tickets t"
                        + " where t.org_id = $1 and t.status = 'pending' and t.customer_id = c.id) order by c.id",
                only("select c.id, c.email from customers c where c.org_id = $1 and c.id in (select t.customer_id"
                        + " from tickets t where t.org_id = $1 and t.status = 'pending') order by c.id",
                        InSubqueryToExists.IN));
    }

    @Test
    void anUnqualifiedOperandIsQualifiedWithTheOnlyTableOfItsQuery() {
        assertEquals("select * from orders o where exists (select 1 from customers where status = 'blocked'"
                        + " and id = o.customer_id)",
                only("select * from orders o where customer_id in (select id from customers where status = 'blocked')",
                        InSubqueryToExists.IN));
        assertEquals("select * from public.orders where exists (select 1 from customers c where c.id = orders.customer_id)",
                only("select * from public.orders where customer_id in (select c.id from customers c)",
                        InSubqueryToExists.IN));
    }

    @Test
    void aConditionWithOrIsBracketedAndNestedBracketsAreFollowed() {
        assertEquals("select id from orders o where (o.total > 10 and (exists (select 1 from customers c where"
                        + " (c.status = 'a' or c.status = 'b') and c.id = o.customer_id)))",
                only("select id from orders o where (o.total > 10 and (o.customer_id in (select c.id from customers c"
                        + " where c.status = 'a' or c.status = 'b')))", InSubqueryToExists.IN));
    }

    @Test
    void inASubqueryOfItsOwnAndWithDistinctAndAnAlias() {
        assertEquals("select * from (select o.id from orders o where exists (select 1 from items i where i.qty > 1"
                        + " and i.order_id = o.id)) x",
                only("select * from (select o.id from orders o where o.id in (select distinct i.order_id as oid"
                        + " from items i where i.qty > 1)) x", InSubqueryToExists.IN));
    }

    @Test
    void notInBecomesNotExists() {
        assertEquals("select c.id from customers c where not exists (select 1 from tickets t where t.customer_id = c.id)",
                only("select c.id from customers c where c.id not in (select t.customer_id from tickets t)",
                        InSubqueryToExists.NOT_IN));
        assertEquals(List.of(), proposals("select c.id from customers c where c.id not in (select t.customer_id"
                + " from tickets t)", InSubqueryToExists.IN), "NOT IN is not the IN rule's");
    }

    @Test
    void countAboveZeroBecomesExistsAndZeroNotExists() {
        assertEquals("select c.id from customers c where c.org = $1 and exists (select 1 from tickets t where"
                        + " t.customer_id = c.id)",
                only("select c.id from customers c where c.org = $1 and (select count(*) from tickets t where"
                        + " t.customer_id = c.id) > 0", CountToExists.ID));
        assertEquals("select c.id, not exists (select 1 from tickets t where t.customer_id = c.id) as quiet"
                        + " from customers c",
                only("select c.id, (select count(1) from tickets t where t.customer_id = c.id) = 0 as quiet"
                        + " from customers c", CountToExists.ID));
    }

    @ParameterizedTest
    @ValueSource(strings = {
            // keywords inside a string constant, an E'' string, a dollar quote, a comment, a quoted identifier
            "select id from notes where body = ' in (select id from t)'",
            "select id from notes n where n.body like 'x'' in (select y from t)' and n.id > 0",
            "select id from notes where body = E'\\' in (select y from t) '",
            "select id from notes where body = $q$ a in (select b from t) $q$",
            "select id from notes where id > 0 -- and id in (select id from t)",
            "select id from notes where id > 0 /* and id in /* nested */ (select id from t) */",
            "select \"a in (select b from t)\" from notes",
            // not the pattern
            "select id from orders o where o.customer_id in (1, 2, 3)",
            "select id from orders o where (o.customer_id, o.org_id) in (select c.id, c.org_id from customers c)",
            "select id from orders o where o.customer_id in (select c.id, c.org_id from customers c)",
            "select id from orders o where o.customer_id in (select max(c.id) from customers c)",
            "select id from orders o where o.customer_id in (select c.id + 1 from customers c)",
            "select id from orders o where o.total + o.customer_id in (select c.id from customers c)",
            "select id from orders o where o.customer_id in (select c.id from customers c group by c.id)",
            "select id from orders o where o.customer_id in (select c.id from customers c order by c.id limit 5)",
            "select id from orders o where o.customer_id in (select c.id from customers c union select 1)",
            // NULL and false differ here
            "select id from orders o where not (o.customer_id in (select c.id from customers c))",
            "select id from orders o where not o.customer_id in (select c.id from customers c)",
            "select o.customer_id in (select c.id from customers c) from orders o",
            "select id from orders o where (o.customer_id in (select c.id from customers c)) is not true",
            "select id from orders o where coalesce(o.customer_id in (select c.id from customers c), true)",
            // the correlation would be captured by the subquery's own alias
            "select id from tickets t where t.parent_id in (select t.id from tickets t where t.status = 'open')",
            "select id from tickets where parent_id in (select id from tickets where status = 'open')",
            // no single outer table to qualify an unqualified operand with
            "select o.id from orders o join customers c on c.id = o.customer_id where customer_id in (select id from vip)",
            // text that cannot be read at all
            "select id from orders o where o.customer_id in (select c.id from customers c where c.name = 'x)",
            "select id from orders o where o.customer_id in (select c.id from customers c",
            // counts that are not a test for existence
            "select id from customers c where (select count(t.id) from tickets t where t.customer_id = c.id) > 0",
            "select id from customers c where (select count(*) from tickets t where t.customer_id = c.id) > 1",
            "select id from customers c where (select count(*) from tickets t where t.customer_id = c.id) > 0 + 1",
            "select id from customers c where 1 + (select count(*) from tickets t where t.customer_id = c.id) > 0",
            "select id from customers c where (select count(*) from tickets t group by t.status) > 0",
            "select id from customers c where (select count(distinct t.id) from tickets t) > 0",
    })
    void textThatDoesNotFitProposesNothing(String sql) {
        assertEquals(List.of(), rewriter.propose(sql), sql);
    }

    @Test
    void aStringLiteralWithTheKeywordsIsKeptWhileTheRealPredicateIsRewritten() {
        String rewritten = only("select n.id from notes n where n.body <> ' in (select ' and n.author_id in"
                + " (select a.id from authors a)", InSubqueryToExists.IN);
        assertEquals("select n.id from notes n where n.body <> ' in (select ' and exists (select 1 from authors a"
                + " where a.id = n.author_id)", rewritten);
    }

    @Test
    void twoPlacesGiveTwoProposalsEachRewritingOne() {
        List<Rewrite> found = proposals("select o.id from orders o where o.customer_id in (select c.id from customers c)"
                + " and o.product_id in (select p.id from products p)", InSubqueryToExists.IN);
        assertEquals(2, found.size(), found::toString);
        assertEquals("select o.id from orders o where exists (select 1 from customers c where c.id = o.customer_id)"
                + " and o.product_id in (select p.id from products p)", found.get(0).rewritten());
        assertEquals("select o.id from orders o where o.customer_id in (select c.id from customers c)"
                + " and exists (select 1 from products p where p.id = o.product_id)", found.get(1).rewritten());
    }

    @Test
    void everyRuleOfTheCatalogueHasItsPatternAndText() {
        RewriteCatalogue catalogue = RewriteCatalogue.load();
        assertEquals(List.of(InSubqueryToExists.IN, InSubqueryToExists.NOT_IN, CountToExists.ID),
                catalogue.rules().stream().map(RewriteRule::id).toList());
        for (RewriteRule r : catalogue.rules()) {
            assertEquals(false, r.message().isBlank() || r.why().isBlank() || r.fix().isBlank(), r.id());
        }
    }
}
