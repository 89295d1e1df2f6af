package dev.backendteam.queryoptimizer.rewrite;

import dev.backendteam.queryoptimizer.sql.SqlToken;

import java.util.Set;

/**
 * Where a predicate stands. A predicate that may be NULL can be replaced by one that is false instead only where
 * the two mean the same: in the conditions of WHERE, ON and HAVING, joined to them by AND, OR and brackets alone.
 * Under a NOT, an IS, a comparison or in a select list, NULL and false differ.
 */
final class FilterContext {
    private static final Set<String> OPENERS = Set.of("where", "and", "or", "on", "having");
    private static final Set<String> FOLLOWERS = Set.of("and", "or", "order", "group", "limit", "offset", "having",
            "window", "union", "intersect", "except", "fetch", "for", "returning", "join", "inner", "left", "right",
            "full", "cross", "natural", "where");

    private FilterContext() {
    }

    /** Whether tokens {@code first..last} (inclusive) form one whole condition of a filter. */
    static boolean isFilterCondition(SqlTokens t, int first, int last) {
        return opensCondition(t, first - 1) && closesCondition(t, last + 1);
    }

    private static boolean opensCondition(SqlTokens t, int i) {
        SqlToken prev = t.at(i);
        if (prev == null) {
            return false;
        }
        if (prev.kind() == SqlToken.Kind.WORD && OPENERS.contains(prev.name())) {
            return true;
        }
        if (prev.isPunctuation("(")) {
            // a bracketed condition, not a function's argument list or a subquery
            SqlToken before = t.at(i - 1);
            boolean call = before != null && (before.isIdentifier() || before.kind() == SqlToken.Kind.WORD
                    && !OPENERS.contains(before.name()));
            return !call && isFilterCondition(t, i, t.partner(i));
        }
        return false;
    }

    private static boolean closesCondition(SqlTokens t, int i) {
        SqlToken next = t.at(i);
        return next == null || next.isPunctuation(")") || next.isPunctuation(";")
                || next.kind() == SqlToken.Kind.WORD && FOLLOWERS.contains(next.name());
    }
}
