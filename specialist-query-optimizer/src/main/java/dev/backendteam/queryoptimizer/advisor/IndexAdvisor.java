package dev.backendteam.queryoptimizer.advisor;

import dev.backendteam.contract.WriteRate;
import dev.backendteam.queryoptimizer.advisor.WorkloadCosts.Built;
import dev.backendteam.queryoptimizer.plan.Explainer;
import dev.backendteam.queryoptimizer.plan.PlanException;
import dev.backendteam.queryoptimizer.plan.PlanNode;
import dev.backendteam.queryoptimizer.plan.RelationUse;
import dev.backendteam.queryoptimizer.plan.WorkloadQuery;
import dev.backendteam.sandbox.SandboxDatabase;
import dev.backendteam.sandbox.ScriptResult;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The query-optimizer's method on a sandbox that holds the schema and its generated data: plan and run every query
 * as it is; derive candidates from the plans; build them all on the data; search the best set for the whole
 * workload; then prove it — the losing candidates dropped for real, every query re-planned and run with EXPLAIN
 * (ANALYZE, BUFFERS), and an index kept only when a query that uses it got cheaper by the threshold in planned cost
 * without reading more buffers.
 */
public final class IndexAdvisor {

    /** How the advisor decides. */
    public record Settings(int maxIndexes, double threshold, int runs, int maxCandidates, int exhaustiveLimit,
            int exhaustivePlanBudget) {
        public static Settings defaults() {
            return new Settings(10, 0.2, 3, 40, 12, 600);
        }

        public Settings withMaxIndexes(int n) {
            return new Settings(n, threshold, runs, maxCandidates, exhaustiveLimit, exhaustivePlanBudget);
        }
    }

    /** One query before and after the set, as planned (generic) and as run (with sampled values). */
    public record QueryResult(WorkloadQuery query, PlanNode genericBefore, PlanNode runBefore, PlanNode genericAfter,
            PlanNode runAfter, List<String> values, boolean improved, String gate, PlanNode hotBefore,
            PlanNode hotAfter) {
    }

    /** An index of the set, with the queries whose plans after use it, or why it was not kept. */
    public record Chosen(Candidate candidate, String name, String sandboxName, long bytes, List<String> serves,
            boolean kept, String reason, List<IndexCatalog.Existing> replaces) {
    }

    /** Everything the step reports. */
    public record Advice(List<QueryResult> queries, List<Chosen> indexes, List<String> notes, List<String> failed,
            IndexSearch.Result search, int candidates, int plans, long searchMs, long proofMs) {
    }

    private final Settings settings;

    public IndexAdvisor(Settings settings) {
        this.settings = settings;
    }

    /**
     * @param policyColumns table → columns security's policies filter on
     * @param bundleIndexes names of indexes earlier steps of this job created: one a new index makes redundant is
     *                      dropped in the proof and by a migration of its own, so the bundle does not keep both
     */
    public Advice advise(SandboxDatabase db, List<WorkloadQuery> workload, Map<String, WriteRate> writeRates,
            Map<String, List<String>> policyColumns, Set<String> bundleIndexes) {
        Explainer explainer = new Explainer(db);
        List<String> notes = new ArrayList<>();
        List<String> failed = new ArrayList<>();
        List<WorkloadQuery> planned = new ArrayList<>();
        Map<String, PlanNode> genericBefore = new HashMap<>();
        Map<String, PlanNode> runBefore = new HashMap<>();
        Map<String, PlanNode> hotBefore = new HashMap<>();
        Map<String, List<String>> values = new HashMap<>();
        Map<String, List<String>> hot = new HashMap<>();
        Map<String, Set<String>> tablesOf = new HashMap<>();
        List<CandidateGenerator.QueryUses> uses = new ArrayList<>();
        for (WorkloadQuery q : workload) {
            try {
                PlanNode generic = explainer.generic(q, List.of());
                List<RelationUse> u = RelationUse.of(generic);
                List<String> v = ParameterValues.of(db, q, u);
                PlanNode run;
                try {
                    run = explainer.measured(q, v, settings.runs());
                } catch (PlanException e) {
                    if ("57014".equals(e.sqlState())) {
                        throw e;
                    }
                    // a sampled value the parameter's type does not read (an interval, a json path): run it with nulls
                    notes.add("the values sampled for " + q.name() + " do not fit its parameters (" + e.getMessage()
                            + "): it was run with nulls, so its measured times say little");
                    v = new ArrayList<>(java.util.Collections.nCopies(q.parameters(), (String) null));
                    run = explainer.measured(q, v, settings.runs());
                }
                runBefore.put(q.name(), run);
                genericBefore.put(q.name(), generic);
                values.put(q.name(), v);
                List<String> h = ParameterValues.hot(db, q, u);
                hot.put(q.name(), h);
                if (h.stream().anyMatch(java.util.Objects::nonNull)) {
                    hotBefore.put(q.name(), explainer.custom(q, h));
                }
                tablesOf.put(q.name(), u.stream().map(RelationUse::qualified).collect(Collectors.toSet()));
                uses.add(new CandidateGenerator.QueryUses(q.name(), u));
                planned.add(q);
            } catch (PlanException e) {
                failed.add(q.name() + ": " + e.getMessage());
            }
        }
        List<IndexCatalog.Existing> existing = IndexCatalog.indexes(db);
        String trigram = trigram(db, notes);
        List<Candidate> candidates = new ArrayList<>();
        for (Candidate c : new CandidateGenerator(IndexCatalog.columns(db), trigram).generate(uses, policyColumns)) {
            IndexCatalog.Existing served = IndexCatalog.covering(c, existing);
            if (served != null) {
                notes.add("candidate " + c.name() + " left out: the existing index " + served.name() + " serves it");
            } else {
                candidates.add(c);
            }
        }
        candidates.sort(Comparator.comparingInt((Candidate c) -> -c.serves().size()));
        if (candidates.size() > settings.maxCandidates()) {
            notes.add(candidates.size() + " candidates; the " + settings.maxCandidates() + " serving most queries were"
                    + " built");
            candidates = candidates.subList(0, settings.maxCandidates());
        }
        List<Built> built = build(db, candidates, notes);
        long searchStart = System.nanoTime();
        WorkloadCosts costs = new WorkloadCosts(explainer, planned, tablesOf, built, writeRates, hot);
        IndexSearch.Result search = new IndexSearch(costs, settings.maxIndexes()).run(settings.exhaustiveLimit(),
                settings.exhaustivePlanBudget());
        long searchMs = (System.nanoTime() - searchStart) / 1_000_000;
        long proofStart = System.nanoTime();
        Proof proof = prove(db, explainer, planned, search.chosen(), built, existing, bundleIndexes,
                new Before(genericBefore, runBefore, hotBefore, values, hot));
        return new Advice(proof.results, proof.indexes, notes, failed, search, built.size(), costs.plans(), searchMs,
                (System.nanoTime() - proofStart) / 1_000_000);
    }

    /** Drops the kept set from {@code db} (the sandbox itself goes at the step's end): the data as it was before. */
    public static void release(SandboxDatabase db, Advice advice) {
        for (Chosen c : advice.indexes()) {
            if (c.kept() && c.sandboxName() != null) {
                db.apply("drop index if exists " + Identifiers.quote(c.candidate().schema()) + "." + c.sandboxName());
            }
        }
    }

    private record Proof(List<QueryResult> results, List<Chosen> indexes) {
    }

    /** The plans before any candidate, and the values each query runs with (typical and hot). */
    private record Before(Map<String, PlanNode> generic, Map<String, PlanNode> run, Map<String, PlanNode> hot,
            Map<String, List<String>> values, Map<String, List<String>> hotValues) {
    }

    private Proof prove(SandboxDatabase db, Explainer explainer, List<WorkloadQuery> workload, List<Built> chosen,
            List<Built> built, List<IndexCatalog.Existing> existing, Set<String> bundleIndexes, Before before) {
        for (Built b : built) {
            if (!chosen.contains(b)) {
                db.apply("drop index " + b.sandboxName());
            }
        }
        Map<Built, List<IndexCatalog.Existing>> replaces = new LinkedHashMap<>();
        for (Built b : chosen) {
            List<IndexCatalog.Existing> r = new ArrayList<>();
            for (IndexCatalog.Existing e : existing) {
                if (bundleIndexes.contains(e.name()) && !e.unique() && !e.primary() && !e.special()
                        && e.shape().isPrefixOf(b.candidate())) {
                    r.add(e);
                }
            }
            replaces.put(b, r);
            r.forEach(e -> db.apply("drop index if exists " + e.qualifiedName()));
        }
        Map<String, Chosen> rejected = new LinkedHashMap<>();
        List<Built> kept = new ArrayList<>(chosen);
        // until every index of the set has earned its place, measured again after each drop
        List<QueryResult> results = measure(explainer, workload, before);
        Map<Built, List<String>> serves = new LinkedHashMap<>();
        while (true) {
            Built loser = null;
            serves.clear();
            for (Built b : kept) {
                List<String> by = justifiedBy(b, results, explainer, before);
                serves.put(b, by);
                if (by.isEmpty() && loser == null) {
                    loser = b;
                }
            }
            if (loser == null) {
                break;
            }
            kept.remove(loser);
            db.apply("drop index " + loser.sandboxName());
            for (IndexCatalog.Existing e : replaces.getOrDefault(loser, List.of())) {
                db.apply("create index " + Identifiers.quote(e.name()) + " " + e.shape().definition());
            }
            rejected.put(loser.sandboxName(), new Chosen(loser.candidate(), loser.candidate().name(), null, loser.bytes(),
                    List.of(), false, "no query that uses it got " + Math.round(settings.threshold() * 100)
                    + " % cheaper in planned cost by it (without reading more buffers)", List.of()));
            results = measure(explainer, workload, before);
        }
        Map<String, String> names = names(kept, existing);
        List<Chosen> out = new ArrayList<>();
        for (Built b : kept) {
            out.add(new Chosen(b.candidate(), names.get(b.sandboxName()), bare(b.sandboxName()), b.bytes(),
                    serves.get(b), true,
                    null, replaces.getOrDefault(b, List.of())));
        }
        out.addAll(rejected.values());
        List<QueryResult> renamed = new ArrayList<>();
        for (QueryResult r : results) {
            renamed.add(r);
        }
        return new Proof(renamed, out);
    }

    private List<QueryResult> measure(Explainer explainer, List<WorkloadQuery> workload, Before before) {
        List<QueryResult> results = new ArrayList<>();
        for (WorkloadQuery q : workload) {
            PlanNode gb = before.generic().get(q.name());
            PlanNode rb = before.run().get(q.name());
            PlanNode ga = explainer.generic(q, List.of());
            PlanNode ra = explainer.measured(q, before.values().get(q.name()), settings.runs());
            PlanNode hb = before.hot().get(q.name());
            PlanNode ha = hb == null ? null : explainer.custom(q, before.hotValues().get(q.name()));
            // the typical call's plan, or the busiest call's where the values matter (skew: the hot owner)
            double genericDrop = gb.totalCost() <= 0 ? 0 : 1 - ga.totalCost() / gb.totalCost();
            double hotDrop = hb == null || ha == null || hb.totalCost() <= 0 ? 0 : 1 - ha.totalCost() / hb.totalCost();
            double drop = Math.max(genericDrop, hotDrop);
            Long bb = rb.buffers();
            Long ba = ra.buffers();
            boolean fewerBuffers = bb == null || ba == null || ba <= bb * 1.05 + 2;
            boolean improved = drop >= settings.threshold() && fewerBuffers;
            String gate = "cost " + percent(-genericDrop) + (hotDrop > genericDrop ? " (" + percent(-hotDrop)
                    + " for the busiest value)" : "") + (bb != null && ba != null ? ", buffers " + percent(bb == 0 ? 0
                    : (ba - bb) / (double) bb) : "") + (improved ? ": improved" : drop >= settings.threshold()
                    ? ": cheaper in plan but reads more buffers" : ": not improved by " + Math.round(settings
                    .threshold() * 100) + " %");
            results.add(new QueryResult(q, gb, rb, ga, ra, before.values().get(q.name()), improved, gate, hb, ha));
        }
        return results;
    }

    private static String percent(double d) {
        long p = Math.round(d * 100);
        return (p > 0 ? "+" : p < 0 ? "−" : "±") + Math.abs(p) + " %";
    }

    /**
     * The improved queries whose plan after reads {@code b} and that {@code b} itself makes cheaper by the threshold:
     * each is planned again with {@code b} out of sight (leave-one-out), so an index a query merely touches while
     * another index does the work earns nothing from it.
     */
    private List<String> justifiedBy(Built b, List<QueryResult> results, Explainer explainer, Before before) {
        List<String> out = new ArrayList<>();
        String name = bare(b.sandboxName());
        for (QueryResult r : results) {
            boolean uses = r.genericAfter().indexesUsed().contains(name) || r.runAfter().indexesUsed().contains(name)
                    || (r.hotAfter() != null && r.hotAfter().indexesUsed().contains(name));
            if (!r.improved() || !uses) {
                continue;
            }
            double without = explainer.generic(r.query(), List.of(b.sandboxName())).totalCost();
            boolean earns = r.genericAfter().totalCost() <= without * (1 - settings.threshold());
            List<String> hot = before.hotValues().get(r.query().name());
            if (!earns && r.hotAfter() != null && hot != null) {
                double hotWithout = explainer.custom(r.query(), hot, List.of(b.sandboxName())).totalCost();
                earns = r.hotAfter().totalCost() <= hotWithout * (1 - settings.threshold());
            }
            if (earns) {
                out.add(r.query().name());
            }
        }
        return out;
    }


    private static String bare(String qualified) {
        return qualified.substring(qualified.indexOf('.') + 1);
    }

    /**
     * Final names ({@link Candidate#name()}), unique among the set and the database's existing indexes: an index
     * named like one an earlier step made would be skipped by {@code if not exists}, and the earlier one dropped.
     */
    private static Map<String, String> names(List<Built> kept, List<IndexCatalog.Existing> existing) {
        Map<String, String> out = new HashMap<>();
        Set<String> used = new LinkedHashSet<>();
        existing.forEach(e -> used.add(e.name().toLowerCase(java.util.Locale.ROOT)));
        for (Built b : kept) {
            String base = b.candidate().name();
            String name = base;
            for (int n = 2; !used.add(name); n++) {
                name = base.substring(0, Math.min(base.length(), 60)) + "_" + n;
            }
            out.put(b.sandboxName(), name);
        }
        return out;
    }


    /**
     * The trigram operator class, qualified by the schema pg_trgm lives in (the schema may have installed it in
     * public; otherwise the sandbox installs it in extensions, as Supabase does), or null when the server has none.
     */
    private static String trigram(SandboxDatabase db, List<String> notes) {
        ScriptResult r = db.apply("create extension if not exists pg_trgm with schema extensions");
        List<Map<String, Object>> found = db.query("select n.nspname as s from pg_opclass o join pg_namespace n"
                + " on n.oid = o.opcnamespace where o.opcname = 'gin_trgm_ops' limit 1");
        if (found.isEmpty()) {
            notes.add("pg_trgm is not available on this server" + (r.error() == null ? "" : " ("
                    + r.error().error().summary() + ")") + ": no trigram index for LIKE/ILIKE patterns");
            return null;
        }
        return Identifiers.quote(String.valueOf(found.get(0).get("s"))) + ".gin_trgm_ops";
    }

    private static List<Built> build(SandboxDatabase db, List<Candidate> candidates, List<String> notes) {
        List<Built> built = new ArrayList<>();
        Set<String> analyze = new LinkedHashSet<>();
        int i = 0;
        for (Candidate c : candidates) {
            String name = "qo_c" + (++i);
            ScriptResult r = db.apply("create index " + name + " " + c.definition());
            if (r.error() != null) {
                notes.add("candidate " + c.name() + " could not be built: " + r.error().error().summary());
                continue;
            }
            String qualified = Identifiers.quote(c.schema()) + "." + name;
            Number bytes = (Number) db.query("select pg_relation_size(?::regclass) as b", qualified).get(0).get("b");
            built.add(new Built(c, qualified, bytes.longValue()));
            if (c.keys().stream().anyMatch(k -> !k.column())) {
                analyze.add(c.qualifiedTable());
            }
        }
        for (String t : analyze) {
            db.apply("analyze " + t);
        }
        return built;
    }
}
