package dev.backendteam.queryoptimizer.engine;

import dev.backendteam.contract.Artifact;
import dev.backendteam.contract.Evidence;
import dev.backendteam.queryoptimizer.plan.Explainer;
import dev.backendteam.queryoptimizer.plan.PlanException;
import dev.backendteam.queryoptimizer.plan.PlanNode;
import dev.backendteam.queryoptimizer.plan.WorkloadQuery;
import dev.backendteam.sandbox.SandboxDatabase;
import dev.backendteam.sandbox.ScriptResult;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;

/**
 * The validation round's proof: the bundle's schema on fresh generated data, each query planned, then the
 * optimizer's migrations applied as delivered (concurrently, outside a transaction) and each query planned again.
 * Every claim in a migration's header ({@code -- serves q: planned cost a → b}) must still hold: the query uses that
 * index and saves at least {@code 1 − tolerance} of the share it claimed.
 */
final class Replay {
    private Replay() {
    }

    static Evidence check(SandboxDatabase db, List<Artifact> own, List<WorkloadQuery> workload,
            OptimizerSettings settings, long rows) {
        long started = System.nanoTime();
        Explainer explainer = new Explainer(db);
        Map<String, WorkloadQuery> byName = new HashMap<>();
        workload.forEach(q -> byName.put(q.name(), q));
        Map<String, PlanNode> before = new HashMap<>();
        for (WorkloadQuery q : workload) {
            try {
                before.put(q.name(), explainer.generic(q, List.of()));
            } catch (PlanException e) {
                // a query that cannot be planned made no claim the step delivered
            }
        }
        for (Artifact a : own) {
            ScriptResult r = db.apply(a.content());
            if (r.error() != null) {
                return new Evidence(QueryOptimizerEngine.REPLAY, false, a.name() + " does not apply: "
                        + r.error().describe(), millis(started));
            }
        }
        db.apply("analyze");
        List<String> held = new ArrayList<>();
        List<String> broken = new ArrayList<>();
        for (Artifact a : own) {
            List<String> indexes = IndexMigrations.created(a.content()).stream()
                    .map(n -> n.toLowerCase(Locale.ROOT)).toList();
            Matcher m = IndexMigrations.CLAIM.matcher(a.content());
            boolean claims = false;
            while (m.find()) {
                claims = true;
                String name = IndexMigrations.claimed(m);
                double claimedBefore = Double.parseDouble(m.group(2));
                double claimedAfter = Double.parseDouble(m.group(3));
                WorkloadQuery q = byName.get(name);
                PlanNode b = before.get(name);
                if (q == null || b == null) {
                    broken.add(name + " (the query is not in the job any more)");
                    continue;
                }
                PlanNode after = explainer.generic(q, List.of());
                double claimed = claimedBefore <= 0 ? 0 : 1 - claimedAfter / claimedBefore;
                double measured = b.totalCost() <= 0 ? 0 : 1 - after.totalCost() / b.totalCost();
                boolean uses = after.indexesUsed().stream().map(n -> n.toLowerCase(Locale.ROOT))
                        .anyMatch(indexes::contains);
                String line = String.format(Locale.ROOT, "%s via %s: cost %.1f → %.1f (%.0f %% saved, %.0f %% claimed)",
                        name, String.join(", ", indexes), b.totalCost(), after.totalCost(), measured * 100,
                        claimed * 100);
                if (uses && measured >= claimed * (1 - settings.tolerance())) {
                    held.add(line);
                } else {
                    broken.add(line + (uses ? "" : " — the plan does not use it"));
                }
            }
            if (!claims && !indexes.isEmpty()) {
                // an index delivered without a claim has nothing to hold it to: the round does not pass it
                broken.add(a.name() + " creates " + String.join(", ", indexes) + " and claims nothing");
            }
        }
        String details = own.size() + " migration(s) replayed on " + rows + " fresh rows; " + held.size()
                + " claim(s) held" + (held.isEmpty() ? "" : ": " + String.join("; ", held))
                + (broken.isEmpty() ? "" : "; broken: " + String.join("; ", broken));
        return new Evidence(QueryOptimizerEngine.REPLAY, broken.isEmpty(), details, millis(started));
    }

    private static long millis(long started) {
        return (System.nanoTime() - started) / 1_000_000;
    }
}
