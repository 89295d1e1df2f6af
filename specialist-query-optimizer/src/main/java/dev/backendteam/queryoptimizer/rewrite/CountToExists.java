package dev.backendteam.queryoptimizer.rewrite;

import dev.backendteam.queryoptimizer.sql.SqlToken;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code (select count(*) from … [where …]) > 0} → {@code exists (select 1 from … [where …])}, and the comparisons
 * that mean "none" ({@code = 0}, {@code < 1}, {@code <= 0}) → {@code not exists}. A count without GROUP BY is one row
 * and never NULL, so the two are equal wherever they stand; only {@code count(*)} and {@code count(1)} count rows
 * (a {@code count(col)} skips NULLs and is left alone).
 */
final class CountToExists implements RewritePattern {
    static final String ID = "rewrite.count-to-exists";

    /** operator and constant → whether the comparison says "some row exists". */
    private static final Map<String, Boolean> COMPARISONS = Map.of(
            "> 0", true, ">= 1", true, "<> 0", true, "!= 0", true,
            "= 0", false, "< 1", false, "<= 0", false);

    @Override
    public String ruleId() {
        return ID;
    }

    @Override
    public List<String> rewrite(SqlTokens t) {
        List<String> out = new ArrayList<>();
        for (int open = 0; open < t.size(); open++) {
            if (t.isPunctuation(open, "(") && t.is(open + 1, "select")) {
                rewriteAt(t, open).ifPresent(out::add);
            }
        }
        return out;
    }

    private Optional<String> rewriteAt(SqlTokens t, int open) {
        Optional<SimpleSelect> found = SimpleSelect.at(t, open);
        if (found.isEmpty() || found.get().distinct() || !isCountOfRows(t, found.get())) {
            return Optional.empty();
        }
        SimpleSelect sub = found.get();
        int op = sub.close() + 1;
        SqlToken operator = t.at(op);
        SqlToken constant = t.at(op + 1);
        if (operator == null || constant == null || operator.kind() != SqlToken.Kind.OPERATOR
                || constant.kind() != SqlToken.Kind.NUMBER) {
            return Optional.empty();
        }
        Boolean some = COMPARISONS.get(operator.text() + " " + constant.text());
        if (some == null || !standsAlone(t, open - 1, op + 2)) {
            return Optional.empty();
        }
        String from = t.text(sub.fromFrom(), sub.close());
        return Optional.of(t.before(open) + (some ? "" : "not ") + "exists (select 1 from " + from + ")"
                + t.after(op + 1));
    }

    /** The select list is exactly {@code count(*)} or {@code count(1)}. */
    private static boolean isCountOfRows(SqlTokens t, SimpleSelect sub) {
        int i = sub.listFrom();
        return sub.listTo() == i + 4 && t.is(i, "count") && t.isPunctuation(i + 1, "(")
                && (t.at(i + 2).text().equals("*") || t.at(i + 2).text().equals("1")) && t.isPunctuation(i + 3, ")");
    }

    /**
     * Nothing that binds tighter than the comparison touches it: no operator or cast before the subquery or after the
     * constant, no subscript, no field selection, no COLLATE or AT TIME ZONE.
     */
    private static boolean standsAlone(SqlTokens t, int before, int after) {
        SqlToken prev = t.at(before);
        SqlToken next = t.at(after);
        boolean prevOk = prev == null || prev.kind() == SqlToken.Kind.WORD && !prev.isIdentifier()
                || prev.isPunctuation("(") || prev.isPunctuation(",");
        boolean nextOk = next == null || next.isPunctuation(")") || next.isPunctuation(",") || next.isPunctuation(";")
                || next.kind() == SqlToken.Kind.WORD && !next.is("collate") && !next.is("at") && !next.isIdentifier();
        return prevOk && nextOk;
    }
}
