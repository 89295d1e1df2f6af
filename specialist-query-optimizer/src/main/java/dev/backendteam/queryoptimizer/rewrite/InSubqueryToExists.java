package dev.backendteam.queryoptimizer.rewrite;

import dev.backendteam.queryoptimizer.sql.SqlToken;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * {@code x [not] in (select y from t where c)} → {@code [not] exists (select 1 from t where c and y = x)}, in a
 * filter condition only ({@link FilterContext}). x is a column or a parameter; an unqualified column is qualified
 * with the outer query's only FROM item, and a qualifier the subquery's FROM also names (which would capture the
 * correlation) stops the rewrite. y is one column, with no alias or an {@code as} one.
 */
final class InSubqueryToExists implements RewritePattern {
    static final String IN = "rewrite.in-subquery-to-exists";
    static final String NOT_IN = "rewrite.not-in-subquery-to-not-exists";

    private final boolean negated;

    InSubqueryToExists(boolean negated) {
        this.negated = negated;
    }

    @Override
    public String ruleId() {
        return negated ? NOT_IN : IN;
    }

    @Override
    public List<String> rewrite(SqlTokens t) {
        List<String> out = new ArrayList<>();
        for (int in = 0; in < t.size(); in++) {
            if (t.is(in, "in") && t.is(in - 1, "not") == negated) {
                rewriteAt(t, in).ifPresent(out::add);
            }
        }
        return out;
    }

    private Optional<String> rewriteAt(SqlTokens t, int in) {
        Optional<SimpleSelect> found = SimpleSelect.at(t, in + 1);
        int operandEnd = negated ? in - 2 : in - 1;
        Optional<ColumnRef> operand = ColumnRef.endingAt(t, operandEnd);
        if (found.isEmpty() || operand.isEmpty()) {
            return Optional.empty();
        }
        SimpleSelect sub = found.get();
        ColumnRef x = operand.get();
        if (!FilterContext.isFilterCondition(t, x.first(), sub.close())) {
            return Optional.empty();
        }
        Optional<ColumnRef> item = ColumnRef.startingAt(t, sub.listFrom());
        if (item.isEmpty() || !selectItemIsJust(t, item.get(), sub) || item.get().parameter()) {
            return Optional.empty();
        }
        String outer = x.text(t);
        if (!x.parameter()) {
            SqlToken qualifier = x.qualifier(t);
            if (qualifier == null) {
                qualifier = OuterFromItem.onlyAliasFor(t, x.first());
                if (qualifier == null) {
                    return Optional.empty();
                }
                outer = qualifier.text() + "." + outer;
            }
            if (namesInFrom(t, sub).contains(qualifier.name())) {
                return Optional.empty();
            }
        }
        String correlation = t.text(item.get().first(), item.get().last() + 1) + " = " + outer;
        String condition = sub.hasWhere() ? sub.conditionToExtend(t) + " and " + correlation : correlation;
        String exists = (negated ? "not " : "") + "exists (select 1 from " + t.text(sub.fromFrom(), sub.fromTo())
                + " where " + condition + ")";
        return Optional.of(t.before(x.first()) + exists + t.after(sub.close()));
    }

    /** The select list is the column alone, or the column {@code as} an alias. */
    private static boolean selectItemIsJust(SqlTokens t, ColumnRef item, SimpleSelect sub) {
        int next = item.last() + 1;
        if (next == sub.listTo()) {
            return true;
        }
        return t.is(next, "as") && next + 2 == sub.listTo() && t.at(next + 1).isIdentifier();
    }

    /** Every name the subquery's FROM clause holds: its tables, aliases and anything they join. */
    private static Set<String> namesInFrom(SqlTokens t, SimpleSelect sub) {
        Set<String> names = new java.util.HashSet<>();
        for (int i = sub.fromFrom(); i < sub.fromTo(); i++) {
            SqlToken token = t.at(i);
            if (token.isIdentifier()) {
                names.add(token.name());
            }
        }
        return names;
    }
}
