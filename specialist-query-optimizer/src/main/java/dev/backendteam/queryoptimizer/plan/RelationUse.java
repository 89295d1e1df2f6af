package dev.backendteam.queryoptimizer.plan;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * How one query reads one relation, from its plan: the conditions on the relation's columns (filters, index
 * conditions, join keys), the order it is sorted in above the scan and whether a LIMIT stops that sort, and the
 * columns the query takes from it.
 */
public record RelationUse(String schema, String table, String alias, List<Predicate> predicates, List<SortKey> sort,
        boolean limited, List<String> output, String scan, double planRows) {

    /** One key of a Sort node. */
    public record SortKey(String key, boolean column, boolean desc) {
    }

    public String qualified() {
        return (schema == null ? "public" : schema) + "." + table;
    }

    /** Every relation the plan scans, each alias once (the first scan of it). */
    public static List<RelationUse> of(PlanNode root) {
        Map<String, RelationUse> byAlias = new LinkedHashMap<>();
        root.walk(n -> {
            // ModifyTable names the relation it writes, above the scan that finds the rows: the scan holds the filter
            if (n.isScan() && !n.nodeType().equals("ModifyTable") && n.alias() != null
                    && !byAlias.containsKey(n.alias())) {
                List<Predicate> predicates = new ArrayList<>();
                predicates.addAll(Predicate.of(n.indexCond(), n.alias()));
                predicates.addAll(Predicate.of(n.recheckCond(), n.alias()));
                predicates.addAll(Predicate.of(n.filter(), n.alias()));
                List<String> output = new ArrayList<>();
                for (String o : n.output()) {
                    if (o.startsWith(n.alias() + ".") && o.substring(n.alias().length() + 1).matches("[a-z_][a-z0-9_$]*")) {
                        output.add(o.substring(n.alias().length() + 1));
                    }
                }
                byAlias.put(n.alias(), new RelationUse(n.schema(), n.relation(), n.alias(), dedupe(predicates),
                        List.of(), false, output, n.nodeType(), n.planRows()));
            }
        });
        // join conditions tie two relations: each side is an equality with an OUTER operand of its own relation
        root.walk(n -> {
            if (n.joinCond() != null) {
                byAlias.replaceAll((alias, use) -> {
                    List<Predicate> more = new ArrayList<>(use.predicates);
                    more.addAll(Predicate.of(n.joinCond(), alias));
                    return use.with(dedupe(more), use.sort, use.limited);
                });
            }
        });
        sorts(root, false, byAlias);
        return List.copyOf(byAlias.values());
    }

    private RelationUse with(List<Predicate> p, List<SortKey> s, boolean l) {
        return new RelationUse(schema, table, alias, p, s, l, output, scan, planRows);
    }

    /** The first Sort (or Incremental Sort) whose keys all belong to one relation gives that relation its order. */
    private static void sorts(PlanNode n, boolean underLimit, Map<String, RelationUse> byAlias) {
        boolean limit = underLimit || n.nodeType().equals("Limit");
        if ((n.nodeType().equals("Sort") || n.nodeType().equals("Incremental Sort")) && !n.sortKey().isEmpty()) {
            String alias = null;
            List<SortKey> keys = new ArrayList<>();
            for (String k : n.sortKey()) {
                String text = k.strip();
                boolean desc = text.endsWith(" DESC") || text.contains(" DESC ");
                text = text.replaceAll(" (DESC|ASC)( NULLS (FIRST|LAST))?$", "").replaceAll(" NULLS (FIRST|LAST)$", "");
                int dot = text.indexOf('.');
                String a = dot > 0 && text.substring(0, dot).matches("[A-Za-z_][\\w$]*") ? text.substring(0, dot) : null;
                if (a == null || (alias != null && !alias.equals(a)) || !byAlias.containsKey(a)) {
                    return;
                }
                alias = a;
                String key = Predicate.strip(text, a);
                keys.add(new SortKey(key, key.matches("[a-z_][a-z0-9_$]*"), desc));
            }
            RelationUse use = byAlias.get(alias);
            if (use.sort.isEmpty()) {
                byAlias.put(alias, use.with(use.predicates, keys, limit));
            }
            return;
        }
        for (PlanNode c : n.children()) {
            sorts(c, limit && !n.nodeType().contains("Join") && !n.nodeType().equals("Nested Loop"), byAlias);
        }
    }

    private static List<Predicate> dedupe(List<Predicate> in) {
        Map<String, Predicate> seen = new LinkedHashMap<>();
        in.forEach(p -> seen.putIfAbsent(p.key() + " " + p.op() + " " + p.operand() + " " + (p.isConstant() ? p.text()
                : ""), p));
        return List.copyOf(seen.values());
    }
}
