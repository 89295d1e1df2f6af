package dev.backendteam.queryoptimizer.rewrite;

import java.util.Optional;
import java.util.Set;

/**
 * A bracketed subquery of the one shape the rewrites can restate: {@code (select [distinct] <list> from <items>
 * [where <condition>])}, nothing else at its level — no grouping, ordering, limit, set operation or locking clause,
 * each of which would change what the subquery means once it is restated. Ranges are token indexes, end exclusive.
 */
record SimpleSelect(int open, int close, boolean distinct, int listFrom, int listTo, int fromFrom, int fromTo,
                    int whereFrom, int whereTo) {

    private static final Set<String> UNSUPPORTED = Set.of("group", "having", "limit", "offset", "fetch", "order",
            "union", "intersect", "except", "window", "for", "into", "with", "select");

    static Optional<SimpleSelect> at(SqlTokens t, int open) {
        if (!t.isPunctuation(open, "(") || !t.is(open + 1, "select")) {
            return Optional.empty();
        }
        int close = t.partner(open);
        int list = open + 2;
        boolean distinct = false;
        if (t.is(list, "distinct")) {
            distinct = true;
            list++;
        } else if (t.is(list, "all")) {
            list++;
        }
        if (t.findAtLevel(list, close, UNSUPPORTED) >= 0) {
            return Optional.empty();
        }
        int from = t.findAtLevel(list, close, Set.of("from"));
        if (from < 0 || from == list) {
            return Optional.empty();
        }
        int where = t.findAtLevel(from + 1, close, Set.of("where"));
        int fromTo = where < 0 ? close : where;
        if (fromTo == from + 1 || where >= 0 && where + 1 == close) {
            return Optional.empty();
        }
        return Optional.of(new SimpleSelect(open, close, distinct, list, from, from + 1, fromTo,
                where < 0 ? -1 : where + 1, where < 0 ? -1 : close));
    }

    boolean hasWhere() {
        return whereFrom >= 0;
    }

    /** The condition as it can stand before {@code and …}: bracketed when an OR at its level would bind looser. */
    String conditionToExtend(SqlTokens t) {
        String condition = t.text(whereFrom, whereTo);
        return t.findAtLevel(whereFrom, whereTo, Set.of("or")) >= 0 ? "(" + condition + ")" : condition;
    }
}
