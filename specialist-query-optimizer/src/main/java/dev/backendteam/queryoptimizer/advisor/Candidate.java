package dev.backendteam.queryoptimizer.advisor;

import dev.backendteam.queryoptimizer.sql.SqlText;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * An index that might serve the workload: its keys in order, covering columns, partial predicate and access method.
 * Two candidates with the same definition are one candidate ({@link #definition()} is its identity).
 *
 * @param serves the queries whose plans suggested it
 * @param kind   single, composite, covering, partial, expression, trigram, join, policy
 */
public record Candidate(String schema, String table, List<Key> keys, List<String> include, String where,
        String method, Set<String> serves, String kind, String opclass) {

    /** One key: a column or an expression, ascending or descending. */
    public record Key(String expr, boolean column, boolean desc) {
        String sql() {
            return (column ? Identifiers.quote(expr) : "(" + expr + ")") + (desc ? " desc" : "");
        }
    }

    public Candidate(String schema, String table, List<Key> keys, List<String> include, String where, String method,
            Set<String> serves, String kind) {
        this(schema, table, keys, include, where, method, serves, kind, null);
    }

    public Candidate {
        keys = List.copyOf(keys);
        include = include == null ? List.of() : List.copyOf(include);
        serves = serves == null ? Set.of() : Set.copyOf(new LinkedHashSet<>(serves));
        method = method == null ? "btree" : method;
    }

    public String qualifiedTable() {
        return Identifiers.quote(schema) + "." + Identifiers.quote(table);
    }

    public String tableName() {
        return schema + "." + table;
    }

    /** {@code on public.comments using btree (post_id, created_at desc) include (body) where …}. */
    public String definition() {
        String op = opclass == null ? "" : " " + opclass;
        return "on " + qualifiedTable() + " using " + method + " ("
                + keys.stream().map(k -> k.sql() + op).collect(Collectors.joining(", ")) + ")"
                + (include.isEmpty() ? "" : " include (" + include.stream().map(Identifiers::quote)
                        .collect(Collectors.joining(", ")) + ")")
                + (where == null ? "" : " where " + where);
    }

    /** The same keys under another access method and operator class (a trigram GIN index). */
    public Candidate using(String m, String op) {
        return new Candidate(schema, table, keys, include, where, m, serves, kind, op);
    }

    public Candidate servingAlso(Set<String> more) {
        Set<String> all = new LinkedHashSet<>(serves);
        all.addAll(more);
        return new Candidate(schema, table, keys, include, where, method, all, kind, opclass);
    }

    /**
     * {@code idx_<table>_<cols>} as BRIEF §1 names indexes: expressions by their words ({@code lower_email}),
     * a partial index with its predicate's columns after {@code where}, cut to PostgreSQL's 63 bytes.
     */
    public String name() {
        StringBuilder n = new StringBuilder("idx_").append(words(table));
        for (Key k : keys) {
            n.append('_').append(words(k.expr())).append(k.desc() ? "_desc" : "");
        }
        if (!include.isEmpty()) {
            n.append("_incl_").append(String.join("_", include.stream().map(Candidate::words).toList()));
        }
        if (where != null) {
            n.append("_where_").append(words(where.replace("<>", " not ").replace("!=", " not ")
                    .replaceAll("(?i)is not null", " set ")));
        }
        String name = n.toString().replaceAll("_+", "_").replaceAll("_$", "");
        return name.length() <= 63 ? name : name.substring(0, 54) + "_" + Integer.toHexString(name.hashCode())
                .substring(0, Math.min(8, Integer.toHexString(name.hashCode()).length()));
    }

    private static String words(String expr) {
        List<String> parts = new ArrayList<>();
        for (String w : expr.toLowerCase(Locale.ROOT).split("[^a-z0-9]+")) {
            if (!w.isEmpty() && !Set.of("text", "is", "null", "and", "character", "varying").contains(w)) {
                parts.add(w);
            }
        }
        return parts.isEmpty() ? "expr" : String.join("_", parts);
    }

    /**
     * Whether every query this index can serve, {@code wider} serves as well: same table, method and predicate, its
     * keys a leading prefix of {@code wider}'s, its covering columns among {@code wider}'s columns. Then shipping
     * both only costs writes and space.
     */
    public boolean isPrefixOf(Candidate wider) {
        if (!tableName().equals(wider.tableName()) || !method.equals(wider.method) || !method.equals("btree")
                || !normal(where).equals(normal(wider.where)) || keys.size() > wider.keys.size()) {
            return false;
        }
        boolean flipped = !keys.isEmpty() && keys.get(0).desc() != wider.keys.get(0).desc();
        for (int i = 0; i < keys.size(); i++) {
            Key a = keys.get(i);
            Key b = wider.keys.get(i);
            if (!normal(a.expr()).equals(normal(b.expr())) || (a.desc() != b.desc()) != flipped) {
                return false;
            }
        }
        Set<String> columns = new LinkedHashSet<>(wider.include);
        wider.keys.forEach(k -> columns.add(normal(k.expr())));
        return include.stream().allMatch(c -> columns.contains(normal(c)));
    }

    private static String plain(String code) {
        return code.replaceAll("::[a-z ]+(\\[\\])?", "").replaceAll("[()\\s\"]", "").toLowerCase(Locale.ROOT);
    }

    /**
     * Predicates and expressions compared as the catalog and the planner print them: casts, spacing, parentheses
     * and case aside — outside literals only, so {@code status = 'open'} and {@code status = 'Open'} stay two.
     */
    static String normal(String s) {
        if (s == null) {
            return "";
        }
        // the blanked text keeps a literal's quotes and blanks its inside: its quotes mark where literals are
        String code = SqlText.code(s);
        StringBuilder out = new StringBuilder();
        StringBuilder outside = new StringBuilder();
        boolean literal = false;
        for (int i = 0; i < s.length(); i++) {
            if (code.charAt(i) == '\'') {
                if (!literal) {
                    out.append(plain(outside.toString()));
                    outside.setLength(0);
                }
                literal = !literal;
                out.append('\'');
            } else if (literal) {
                out.append(s.charAt(i));
            } else {
                outside.append(s.charAt(i));
            }
        }
        out.append(plain(outside.toString()));
        return out.toString();
    }
}
