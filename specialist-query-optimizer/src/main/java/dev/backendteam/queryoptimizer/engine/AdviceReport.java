package dev.backendteam.queryoptimizer.engine;

import dev.backendteam.contract.Evidence;
import dev.backendteam.contract.EvidenceStatus;
import dev.backendteam.contract.Finding;
import dev.backendteam.contract.evidence.EvidenceKind;
import dev.backendteam.contract.evidence.PlanCosts;
import dev.backendteam.queryoptimizer.advisor.IndexAdvisor;
import dev.backendteam.queryoptimizer.advisor.IndexSearch;
import dev.backendteam.sandbox.SandboxDatabase;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The advice as evidence (kind {@code plan-costs}) and findings, with the sandbox's index names made final. */
final class AdviceReport {
    private static final String TABLE_SIZES = """
            select n.nspname || '.' || c.relname as t, c.reltuples, (select count(*) from pg_attribute a
              where a.attrelid = c.oid and a.attnum > 0 and not a.attisdropped) as columns
              from pg_class c join pg_namespace n on n.oid = c.relnamespace
             where c.relkind in ('r', 'p') and n.nspname not in ('pg_catalog', 'information_schema', 'pg_toast')
            """;

    private AdviceReport() {
    }

    static List<Evidence> evidence(IndexAdvisor.Advice advice, String provenOn) {
        Map<String, String> names = names(advice);
        List<PlanCosts.Query> queries = new ArrayList<>();
        double cb = 0;
        double ca = 0;
        double mb = 0;
        double ma = 0;
        for (IndexAdvisor.QueryResult r : advice.queries()) {
            List<String> used = new ArrayList<>();
            for (String i : r.runAfter().indexesUsed()) {
                used.add(names.getOrDefault(i, i));
            }
            queries.add(new PlanCosts.Query(r.query().name(), round(r.genericBefore().totalCost()),
                    round(r.genericAfter().totalCost()), r.runBefore().actualTotalMs(), r.runAfter().actualTotalMs(),
                    used, rename(r.genericBefore().shape(), names), rename(r.genericAfter().shape(), names),
                    r.runBefore().buffers(), r.runAfter().buffers(), r.query().frequency(), r.gate()));
            cb += r.genericBefore().totalCost();
            ca += r.genericAfter().totalCost();
            mb += r.runBefore().actualTotalMs() == null ? 0 : r.runBefore().actualTotalMs();
            ma += r.runAfter().actualTotalMs() == null ? 0 : r.runAfter().actualTotalMs();
        }
        List<PlanCosts.Index> indexes = new ArrayList<>();
        for (IndexAdvisor.Chosen c : advice.indexes()) {
            indexes.add(new PlanCosts.Index(c.name(), c.candidate().tableName(), "create index concurrently if not"
                    + " exists " + c.name() + " " + c.candidate().definition(), c.bytes(), c.serves(), c.kept(),
                    c.reason() != null ? c.reason() : c.replaces().isEmpty() ? null : "replaces " + String.join(", ",
                            c.replaces().stream().map(e -> e.name()).toList()) + " (a prefix of it)"));
        }
        PlanCosts costs = new PlanCosts(queries, indexes, null, new PlanCosts.Totals(round(cb), round(ca), round(mb),
                round(ma)));
        long kept = advice.indexes().stream().filter(IndexAdvisor.Chosen::kept).count();
        long improved = advice.queries().stream().filter(IndexAdvisor.QueryResult::improved).count();
        String details = String.format(Locale.ROOT, "%d index(es) kept of %d candidates built on %s; %d of %d"
                + " queries improved; planned cost %.1f → %.1f, measured %.1f ms → %.1f ms (median of runs); %d plans"
                + " in the search (%d ms), proof %d ms", kept, advice.candidates(), provenOn, improved,
                advice.queries().size(), cb, ca, mb, ma, advice.plans(), advice.searchMs(), advice.proofMs());
        List<Evidence> out = new ArrayList<>();
        out.add(new Evidence(QueryOptimizerEngine.INDEX_SET, EvidenceStatus.PASSED, details, advice.searchMs() + advice.proofMs(), null,
                EvidenceKind.PLAN_COSTS.wrap(costs)));
        IndexSearch.Exhaustive ex = advice.search().exhaustive();
        if (ex.ran()) {
            double greedy = advice.search().totalAfter();
            double gap = ex.total() <= 0 ? 0 : (greedy - ex.total()) / ex.total();
            out.add(new Evidence(QueryOptimizerEngine.SEARCH, true, String.format(Locale.ROOT, "%d admissible sets"
                    + " compared: the best weighs %.1f, the greedy set %.1f (%s)", ex.sets(), ex.total(), greedy,
                    Math.abs(gap) < 0.0005 ? "the same" : String.format(Locale.ROOT, "%.1f %% above it", gap * 100)),
                    0));
        } else {
            out.add(Evidence.notRun(QueryOptimizerEngine.SEARCH, ex.reason()));
        }
        return out;
    }

    /** Each table's estimated rows and its number of columns, by {@code schema.table}. */
    record Tables(Map<String, Double> rows, Map<String, Integer> columns) {
    }

    static Tables tables(SandboxDatabase db) {
        Map<String, Double> rows = new HashMap<>();
        Map<String, Integer> columns = new HashMap<>();
        for (Map<String, Object> r : db.query(TABLE_SIZES)) {
            rows.put((String) r.get("t"), ((Number) r.get("reltuples")).doubleValue());
            columns.put((String) r.get("t"), ((Number) r.get("columns")).intValue());
        }
        return new Tables(rows, columns);
    }

    static List<Finding> findings(IndexAdvisor.Advice advice, SandboxDatabase db) {
        Tables tables = tables(db);
        Map<String, Double> rows = tables.rows();
        Map<String, Integer> columns = tables.columns();
        List<Finding> out = new ArrayList<>();
        for (String f : advice.failed()) {
            out.add(PlanRules.finding("query-optimizer.query-failed", f.substring(0, f.indexOf(':')), null,
                    f.substring(f.indexOf(':') + 2)));
        }
        for (IndexAdvisor.QueryResult r : advice.queries()) {
            out.addAll(PlanFindings.of(r, rows, columns));
        }
        for (String n : advice.notes()) {
            out.add(Finding.info("query-optimizer.note", null, n));
        }
        return out;
    }

    /** Sandbox name (qo_cN) → delivered name, for the kept indexes. */
    private static Map<String, String> names(IndexAdvisor.Advice advice) {
        Map<String, String> out = new HashMap<>();
        for (IndexAdvisor.Chosen c : advice.indexes()) {
            if (c.sandboxName() != null) {
                out.put(c.sandboxName(), c.name());
            }
        }
        return out;
    }

    private static String rename(String shape, Map<String, String> names) {
        String s = shape;
        for (Map.Entry<String, String> e : names.entrySet()) {
            s = s.replaceAll("\\b" + e.getKey() + "\\b", e.getValue());
        }
        return s;
    }

    private static double round(double d) {
        return Math.round(d * 100) / 100.0;
    }
}
