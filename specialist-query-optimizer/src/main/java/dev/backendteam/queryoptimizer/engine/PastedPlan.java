package dev.backendteam.queryoptimizer.engine;

import com.fasterxml.jackson.databind.JsonNode;
import dev.backendteam.contract.Finding;
import dev.backendteam.contract.JobInputs;
import dev.backendteam.queryoptimizer.advisor.IndexAdvisor;
import dev.backendteam.queryoptimizer.plan.PlanNode;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A plan the user pasted ({@code explain}): its full scans say how big their tables are in production, which sizes
 * the generated data when the job gives no row count for them (row counts the job gives win); and its scans are
 * set beside the sandbox's plan of the query that reads the same tables.
 */
final class PastedPlan {
    private static final Pattern TEXT_SCAN = Pattern.compile("Seq Scan on (?:\\w+\\.)?(\\w+)(?: \\w+)?\\s+\\(cost=[^)]*"
            + "rows=(\\d+)[^)]*\\)(?:\\s+\\(actual [^)]*rows=(\\d+)[^)]*\\))?(?:\\s*\\n\\s*Filter:[^\\n]*\\n\\s*Rows Removed"
            + " by Filter: (\\d+))?");

    private static final Pattern TEXT_NODE = Pattern.compile("(?m)^\\s*(?:->\\s*)?([A-Z][A-Za-z ]*?)(?: using (\\S+))?"
            + "(?: on (?:\\w+\\.)?(\\w+)(?: \\w+)?)?\\s+\\(cost=[0-9.]+\\.\\.([0-9.]+)");

    /** The scans of a plan ({@code Seq Scan on comments}, …) and its total cost. */
    record Summary(List<String> scans, double cost) {
    }

    private PastedPlan() {
    }

    /** What a pasted plan scans and costs, or null when it reads as neither EXPLAIN's text nor its JSON. */
    static Summary summary(JsonNode explain) {
        if (explain == null) {
            return null;
        }
        List<String> scans = new ArrayList<>();
        if (explain.isTextual()) {
            Matcher m = TEXT_NODE.matcher(explain.asText());
            double cost = -1;
            while (m.find()) {
                if (cost < 0) {
                    cost = Double.parseDouble(m.group(4));
                }
                if (m.group(3) != null) {
                    scans.add(m.group(1).strip() + " on " + m.group(3));
                }
            }
            return cost < 0 ? null : new Summary(scans, cost);
        }
        try {
            PlanNode root = PlanNode.ofExplain(explain);
            root.walk(n -> {
                if (n.relation() != null) {
                    scans.add(n.nodeType() + " on " + n.relation());
                }
            });
            return new Summary(scans, root.totalCost());
        } catch (RuntimeException e) {
            return null;
        }
    }

    /** The scans of a plan of the sandbox, as {@link #summary} names them. */
    static List<String> scans(PlanNode plan) {
        List<String> scans = new ArrayList<>();
        plan.walk(n -> {
            if (n.relation() != null) {
                scans.add(n.nodeType() + " on " + n.relation());
            }
        });
        return scans;
    }

    /**
     * The pasted plan next to the sandbox's plan (before the index set) of the query that reads the same tables: the
     * same scans or not, so a user sees whether the generated data makes the planner choose as their production did.
     */
    static List<Finding> compare(JsonNode explain, IndexAdvisor.Advice advice) {
        Summary pasted = summary(explain);
        if (pasted == null) {
            return explain == null ? List.of() : List.of(Finding.info("query-optimizer.pasted-plan", null,
                    "the plan given in explain does not read as EXPLAIN's text or JSON output: not compared"));
        }
        Set<String> tables = tables(pasted.scans());
        for (IndexAdvisor.QueryResult r : advice.queries()) {
            List<String> ours = scans(r.genericBefore());
            if (!tables.isEmpty() && tables.equals(tables(ours))) {
                boolean same = new HashSet<>(ours).equals(new HashSet<>(pasted.scans()));
                return List.of(Finding.info("query-optimizer.pasted-plan", r.query().name(), String.format(
                        Locale.ROOT, "the plan given (%s; cost %.1f) and the sandbox's plan of %s before the index set"
                        + " (%s; cost %.1f): %s", String.join(", ", pasted.scans()), pasted.cost(), r.query().name(),
                        String.join(", ", ours), r.genericBefore().totalCost(), same ? "the same scans"
                        : "different scans: the generated data or the settings differ from those of the plan given")));
            }
        }
        return List.of(Finding.info("query-optimizer.pasted-plan", null, "the plan given scans "
                + String.join(", ", pasted.scans()) + ": no query of the workload reads the same tables, so it was"
                + " compared with none"));
    }

    private static Set<String> tables(List<String> scans) {
        Set<String> out = new TreeSet<>();
        scans.forEach(s -> out.add(s.substring(s.lastIndexOf(" on ") + 4)));
        return out;
    }

    static Map<String, Long> rowCounts(JobInputs in) {
        Map<String, Long> counts = new HashMap<>(tables(in.explain()));
        counts.putAll(in.rowCounts());
        return counts;
    }

    static Map<String, Long> tables(JsonNode explain) {
        Map<String, Long> out = new HashMap<>();
        if (explain == null) {
            return out;
        }
        if (explain.isTextual()) {
            Matcher m = TEXT_SCAN.matcher(explain.asText());
            while (m.find()) {
                long rows = m.group(3) != null ? Long.parseLong(m.group(3)) : Long.parseLong(m.group(2));
                if (m.group(4) != null) {
                    rows += Long.parseLong(m.group(4));
                }
                out.merge(m.group(1), rows, Math::max);
            }
            return out;
        }
        try {
            PlanNode root = PlanNode.ofExplain(explain);
            root.walk(n -> {
                if ("Seq Scan".equals(n.nodeType()) && n.relation() != null) {
                    out.merge(n.relation(), (long) Math.max(n.planRows(), n.actualRows() == null ? 0 : n.actualRows()),
                            Math::max);
                }
            });
        } catch (RuntimeException e) {
            // a pasted plan that does not read as EXPLAIN's JSON sizes nothing; the gateway checked its shape
        }
        return out;
    }
}
