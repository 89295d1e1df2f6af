package dev.backendteam.queryoptimizer.engine;

import dev.backendteam.contract.Finding;
import dev.backendteam.queryoptimizer.advisor.IndexAdvisor;
import dev.backendteam.queryoptimizer.plan.PlanNode;
import dev.backendteam.queryoptimizer.plan.Predicate;
import dev.backendteam.queryoptimizer.plan.RelationUse;
import dev.backendteam.queryoptimizer.sql.SqlText;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The rules of plan-rules.yaml applied to each query's plan before the index set and to its text: what was slow and
 * why, so the report explains each index (or the absence of one).
 */
final class PlanFindings {
    private static final Pattern OFFSET = Pattern.compile("(?i)\\boffset\\s+(\\$\\d+|[1-9]\\d*)");
    private static final Pattern IN_SUBQUERY = Pattern.compile("(?i)\\bin\\s*\\(\\s*select\\b");
    private static final Pattern SELECT_STAR = Pattern.compile("(?i)\\bselect\\s+(distinct\\s+)?(\\w+\\.)?\\*");
    /** A scan that keeps less than this share of the table is selective. */
    private static final double SELECTIVE = 0.05;
    /** Reading more than this share of the table, no index helps. */
    private static final double MOST = 0.3;
    private static final int WIDE = 8;

    private PlanFindings() {
    }

    static List<Finding> of(IndexAdvisor.QueryResult r, Map<String, Double> tableRows, Map<String, Integer> columns) {
        return of(r.query().name(), r.query().sql(), r.genericBefore(), r.improved(), tableRows, columns);
    }

    /** The findings of one plan: {@code improved} says whether the index set made the query cheaper. */
    static List<Finding> of(String q, String sql, PlanNode plan, boolean improved, Map<String, Double> tableRows,
            Map<String, Integer> columns) {
        List<Finding> out = new ArrayList<>();
        List<RelationUse> uses = RelationUse.of(plan);
        for (PlanNode n : plan.all()) {
            if (n.nodeType().equals("Seq Scan") && n.filter() != null) {
                double rows = tableRows.getOrDefault(qualified(n), 0.0);
                if (rows > 1000 && n.planRows() < rows * SELECTIVE) {
                    out.add(PlanRules.finding("query-optimizer.seq-scan-selective", q, qualified(n),
                            String.format(Locale.ROOT, "%.0f of %.0f rows", n.planRows(), rows)));
                }
            }
            if (n.nodeType().equals("Limit") && !n.children().isEmpty()) {
                PlanNode below = n.children().get(0);
                while (below.nodeType().startsWith("Gather") && !below.children().isEmpty()) {
                    below = below.children().get(0);
                }
                if (below.nodeType().equals("Sort") && !below.sortKey().isEmpty()) {
                    RelationUse sorted = uses.stream().filter(u -> !u.sort().isEmpty()).findFirst().orElse(null);
                    out.add(PlanRules.finding("query-optimizer.sort-for-limit", q, sorted == null ? null
                            : sorted.qualified(), String.join(", ", below.sortKey())));
                }
            }
            if (n.nodeType().contains("Join") || n.nodeType().equals("Nested Loop")) {
                for (PlanNode side : n.children()) {
                    PlanNode scan = side.nodeType().equals("Hash") && !side.children().isEmpty()
                            ? side.children().get(0) : side;
                    if (scan.nodeType().equals("Seq Scan") && tableRows.getOrDefault(qualified(scan), 0.0) > 1000) {
                        String cond = n.joinCond() != null ? n.joinCond() : null;
                        List<Predicate> keys = Predicate.of(cond, scan.alias());
                        if (!keys.isEmpty() && scan.filter() == null) {
                            out.add(PlanRules.finding("query-optimizer.unindexed-join", q, qualified(scan),
                                    keys.get(0).key()));
                        }
                    }
                }
            }
        }
        for (RelationUse u : uses) {
            // only where the relation is read in full: an index that serves the expression or pattern answers it
            if (!u.scan().equals("Seq Scan")) {
                continue;
            }
            for (Predicate p : u.predicates()) {
                if (!p.column() && p.operand() != Predicate.Operand.OUTER) {
                    out.add(PlanRules.finding("query-optimizer.function-on-column", q, u.qualified(), p.key()));
                }
                if (p.isPatternMatch() && (p.operand() == Predicate.Operand.PARAMETER || p.text().contains("'%"))) {
                    out.add(PlanRules.finding("query-optimizer.leading-wildcard", q, u.qualified(), p.key()));
                }
            }
        }
        if (SqlText.matches(sql, OFFSET)) {
            out.add(PlanRules.finding("query-optimizer.offset-pagination", q, null, null));
        }
        if (SqlText.matches(sql, IN_SUBQUERY)) {
            out.add(PlanRules.finding("query-optimizer.in-subquery", q, null, null));
        }
        if (SqlText.matches(sql, SELECT_STAR)) {
            for (RelationUse u : uses) {
                int width = columns.getOrDefault(u.qualified(), 0);
                if (width > WIDE) {
                    out.add(PlanRules.finding("query-optimizer.select-star", q, u.qualified(), String.valueOf(width)));
                }
            }
        }
        if (!improved) {
            for (RelationUse u : uses) {
                double rows = tableRows.getOrDefault(u.qualified(), 0.0);
                if (rows > 1000 && u.scan().equals("Seq Scan") && u.planRows() > rows * MOST) {
                    out.add(PlanRules.finding("query-optimizer.not-selective", q, u.qualified(), null));
                }
            }
        }
        return out;
    }

    private static String qualified(PlanNode n) {
        return (n.schema() == null ? "public" : n.schema()) + "." + n.relation();
    }
}
