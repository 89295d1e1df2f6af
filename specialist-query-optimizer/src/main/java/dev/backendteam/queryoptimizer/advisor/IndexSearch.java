package dev.backendteam.queryoptimizer.advisor;

import dev.backendteam.queryoptimizer.advisor.WorkloadCosts.Built;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The index set for the whole workload. Greedy in the manner of the published index-selection algorithms (add the
 * candidate that lowers the weighted workload cost most, a wider index replacing one that is its prefix), then
 * improvement steps (drop an index the others make useless, swap one for another) until none helps; the set never
 * holds an index that is a prefix of another, and at most {@code cap} indexes. For a few candidates the exhaustive
 * search over every admissible set runs too, so the report can say how far the greedy set is from the best.
 */
public final class IndexSearch {
    /**
     * A move counts when it lowers the weighted total and some query's own cost by at least this share: planner
     * noise is not a saving, and one huge query the set cannot help must not hide a real saving on another.
     */
    static final double MIN_GAIN = 0.02;

    private final WorkloadCosts costs;
    private final int cap;

    /** The chosen set and, where it ran, the exhaustive optimum. */
    public record Result(List<Built> chosen, double totalBefore, double totalAfter, Exhaustive exhaustive) {
    }

    /** The exhaustive search's outcome, or why it did not run. */
    public record Exhaustive(boolean ran, String reason, List<Built> best, double total, int sets) {
    }

    public IndexSearch(WorkloadCosts costs, int cap) {
        this.costs = costs;
        this.cap = cap;
    }

    public Result run(int exhaustiveLimit, int exhaustivePlanBudget) {
        double before = costs.total(List.of());
        Set<Built> chosen = new LinkedHashSet<>();
        double current = before;
        while (true) {
            Set<Built> bestSet = null;
            double best = current;
            for (Built c : costs.built()) {
                Set<Built> next = with(chosen, c);
                if (next == null || next.size() > cap) {
                    continue;
                }
                double t = costs.total(next);
                if (t < best && costs.improvesAQuery(chosen, next, MIN_GAIN)) {
                    best = t;
                    bestSet = next;
                }
            }
            if (bestSet == null) {
                break;
            }
            chosen = bestSet;
            current = best;
        }
        for (int round = 0; round < 3; round++) {
            boolean changed = false;
            for (Built b : List.copyOf(chosen)) {
                Set<Built> without = new LinkedHashSet<>(chosen);
                without.remove(b);
                double t = costs.total(without);
                if (t <= current || !costs.improvesAQuery(without, chosen, MIN_GAIN)) {
                    chosen = without;
                    current = t;
                    changed = true;
                }
            }
            for (Built out : List.copyOf(chosen)) {
                for (Built in : costs.built()) {
                    if (chosen.contains(in)) {
                        continue;
                    }
                    Set<Built> swapped = new LinkedHashSet<>(chosen);
                    swapped.remove(out);
                    Set<Built> next = with(swapped, in);
                    if (next == null || next.size() > cap) {
                        continue;
                    }
                    double t = costs.total(next);
                    if (t < current && costs.improvesAQuery(chosen, next, MIN_GAIN)) {
                        chosen = next;
                        current = t;
                        changed = true;
                        break;
                    }
                }
            }
            if (!changed) {
                break;
            }
        }
        return new Result(List.copyOf(chosen), before, current, exhaustive(exhaustiveLimit, exhaustivePlanBudget));
    }

    /** {@code set} plus {@code c}, without the indexes {@code c} extends; null when {@code c} adds nothing. */
    private static Set<Built> with(Set<Built> set, Built c) {
        if (set.contains(c)) {
            return null;
        }
        Set<Built> next = new LinkedHashSet<>();
        for (Built b : set) {
            if (c.candidate().isPrefixOf(b.candidate())) {
                return null;
            }
            if (!b.candidate().isPrefixOf(c.candidate()) && !sameKeys(b, c)) {
                next.add(b);
            }
        }
        next.add(c);
        return next;
    }

    /** Two variants of one key list (covering, partial) never ship together: one replaces the other. */
    private static boolean sameKeys(Built a, Built b) {
        return a.candidate().tableName().equals(b.candidate().tableName())
                && a.candidate().keys().equals(b.candidate().keys()) && a.candidate().method().equals(b.candidate()
                .method());
    }

    private Exhaustive exhaustive(int limit, int planBudget) {
        List<Built> all = costs.built();
        if (all.size() > limit) {
            return new Exhaustive(false, all.size() + " candidates: the exhaustive search runs for at most " + limit,
                    List.of(), 0, 0);
        }
        int startPlans = costs.plans();
        List<Built> best = List.of();
        double bestTotal = costs.total(List.of());
        int sets = 0;
        for (long mask = 1; mask < (1L << all.size()); mask++) {
            if (Long.bitCount(mask) > cap) {
                continue;
            }
            List<Built> set = new ArrayList<>();
            for (int i = 0; i < all.size(); i++) {
                if ((mask & (1L << i)) != 0) {
                    set.add(all.get(i));
                }
            }
            if (!admissible(set)) {
                continue;
            }
            if (costs.plans() - startPlans > planBudget) {
                return new Exhaustive(false, "stopped after " + planBudget + " plans (" + sets + " sets compared)",
                        best, bestTotal, sets);
            }
            sets++;
            double t = costs.total(set);
            if (t < bestTotal - 1e-9) {
                bestTotal = t;
                best = set;
            }
        }
        return new Exhaustive(true, null, best, bestTotal, sets);
    }

    private static boolean admissible(List<Built> set) {
        for (Built a : set) {
            for (Built b : set) {
                if (a != b && (a.candidate().isPrefixOf(b.candidate()) || sameKeys(a, b))) {
                    return false;
                }
            }
        }
        return true;
    }
}
