package dev.backendteam.queryoptimizer.engine;

import com.fasterxml.jackson.databind.JsonNode;
import dev.backendteam.contract.JobInputs;
import dev.backendteam.queryoptimizer.plan.PlanNode;

import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A plan the user pasted ({@code explain}): its full scans say how big their tables are in production, which sizes
 * the generated data when the job gives no row count for them. Row counts the job gives win.
 */
final class PastedPlan {
    private static final Pattern TEXT_SCAN = Pattern.compile("Seq Scan on (?:\\w+\\.)?(\\w+)(?: \\w+)?\\s+\\(cost=[^)]*"
            + "rows=(\\d+)[^)]*\\)(?:\\s+\\(actual [^)]*rows=(\\d+)[^)]*\\))?(?:\\s*\\n\\s*Filter:[^\\n]*\\n\\s*Rows Removed"
            + " by Filter: (\\d+))?");

    private PastedPlan() {
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
