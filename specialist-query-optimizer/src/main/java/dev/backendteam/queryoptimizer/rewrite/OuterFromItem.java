package dev.backendteam.queryoptimizer.rewrite;

import dev.backendteam.queryoptimizer.sql.SqlToken;

/**
 * The query level a condition stands in, read backwards from the condition to its WHERE and that level's FROM: when
 * the FROM holds one table and nothing else, the name an unqualified column of the condition belongs to.
 */
final class OuterFromItem {
    private OuterFromItem() {
    }

    /** The alias (or the table's name) to qualify a column at token {@code at} with, or null when not certain. */
    static SqlToken onlyAliasFor(SqlTokens t, int at) {
        int where = -1;
        for (int i = at - 1; i >= 0; i--) {
            SqlToken token = t.at(i);
            if (token.isPunctuation(")") || token.isPunctuation("]")) {
                i = t.partner(i);
            } else if (token.is("where")) {
                where = i;
                break;
            } else if (token.is("on") || token.is("having") || token.is("select") || token.is("from")) {
                return null;
            }
        }
        if (where < 0) {
            return null;
        }
        int from = -1;
        for (int i = where - 1; i >= 0; i--) {
            SqlToken token = t.at(i);
            if (token.isPunctuation(")") || token.isPunctuation("]")) {
                i = t.partner(i);
            } else if (token.isPunctuation("(")) {
                return null;
            } else if (token.is("from")) {
                from = i;
                break;
            }
        }
        return from < 0 ? null : tableAlias(t, from + 1, where);
    }

    /** {@code [schema.]table [[as] alias]} over tokens {@code [first, end)}, or null for anything else. */
    private static SqlToken tableAlias(SqlTokens t, int first, int end) {
        int i = first;
        if (!identifier(t, i)) {
            return null;
        }
        SqlToken name = t.at(i);
        if (t.isPunctuation(i + 1, ".") && identifier(t, i + 2)) {
            i += 2;
            name = t.at(i);
        }
        i++;
        if (i == end) {
            return name;
        }
        if (t.is(i, "as")) {
            i++;
        }
        return i + 1 == end && identifier(t, i) ? t.at(i) : null;
    }

    private static boolean identifier(SqlTokens t, int i) {
        SqlToken token = t.at(i);
        return token != null && token.isIdentifier();
    }
}
