package dev.backendteam.queryoptimizer.data;

import java.util.ArrayList;
import java.util.List;

/**
 * The innermost level of a table's candidate rows: the row number {@code g} and the per-row random numbers and
 * parent ranks that more than one expression reads, computed once per row ({@code s.u1}, {@code s.r1}…). A volatile
 * select list keeps PostgreSQL from flattening this subquery, so each is drawn exactly once per row.
 */
final class Slots {
    private final List<String> columns = new ArrayList<>();

    /** A uniform random number in [0, 1) of this row. */
    String uniform() {
        return add("random()", "u");
    }

    /** A column computed from {@code g} (and random()) once per row. */
    String add(String expression, String prefix) {
        String name = prefix + (columns.size() + 1);
        columns.add(expression + " as " + name);
        return "s." + name;
    }

    /** {@code select g, … from generate_series(lo, hi) g}; lo and hi are the statement's parameters. */
    String sql(long lo, long hi) {
        StringBuilder s = new StringBuilder("select g");
        columns.forEach(c -> s.append(", ").append(c));
        return s.append(" from generate_series(").append(lo).append("::bigint, ").append(hi).append("::bigint) g").toString();
    }
}
