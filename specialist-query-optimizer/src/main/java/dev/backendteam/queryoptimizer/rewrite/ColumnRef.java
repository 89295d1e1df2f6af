package dev.backendteam.queryoptimizer.rewrite;

import dev.backendteam.queryoptimizer.sql.SqlToken;

import java.util.Optional;

/**
 * A column reference ({@code col}, {@code alias.col}, {@code schema.table.col}) or a parameter ({@code $1}) spanning
 * tokens {@code first..last}, inclusive.
 */
record ColumnRef(int first, int last, boolean parameter) {

    /** The reference that ends at token {@code last}, when nothing that binds tighter than IN stands before it. */
    static Optional<ColumnRef> endingAt(SqlTokens t, int last) {
        SqlToken end = t.at(last);
        if (end == null) {
            return Optional.empty();
        }
        if (end.kind() == SqlToken.Kind.PARAMETER) {
            return notContinued(t, last, last, true);
        }
        if (!end.isIdentifier()) {
            return Optional.empty();
        }
        int first = last;
        while (t.isPunctuation(first - 1, ".") && t.at(first - 2) != null && t.at(first - 2).isIdentifier()
                && last - first < 4) {
            first -= 2;
        }
        return notContinued(t, first, last, false);
    }

    /** The reference that starts at token {@code first}. */
    static Optional<ColumnRef> startingAt(SqlTokens t, int first) {
        SqlToken start = t.at(first);
        if (start == null) {
            return Optional.empty();
        }
        if (start.kind() == SqlToken.Kind.PARAMETER) {
            return Optional.of(new ColumnRef(first, first, true));
        }
        if (!start.isIdentifier()) {
            return Optional.empty();
        }
        int last = first;
        while (t.isPunctuation(last + 1, ".") && t.at(last + 2) != null && t.at(last + 2).isIdentifier()
                && last - first < 4) {
            last += 2;
        }
        return Optional.of(new ColumnRef(first, last, false));
    }

    /** Its text as written. */
    String text(SqlTokens t) {
        return t.text(first, last + 1);
    }

    /** The qualifier ({@code o} of {@code o.customer_id}), or null when unqualified. */
    SqlToken qualifier(SqlTokens t) {
        return parameter || first == last ? null : t.at(last - 2);
    }

    /** A reference preceded by an operator, a cast or a dot is part of a larger expression. */
    private static Optional<ColumnRef> notContinued(SqlTokens t, int first, int last, boolean parameter) {
        SqlToken prev = t.at(first - 1);
        if (prev != null && (prev.kind() == SqlToken.Kind.OPERATOR || prev.isPunctuation("."))) {
            return Optional.empty();
        }
        return Optional.of(new ColumnRef(first, last, parameter));
    }
}
