package dev.backendteam.queryoptimizer.advisor;

import dev.backendteam.queryoptimizer.plan.Predicate;
import dev.backendteam.queryoptimizer.plan.RelationUse;

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
 * Index candidates from how each query reads each relation: single columns; composites with the equality columns
 * first (the ones more queries share first, then the more selective), then one range column or the sort order with
 * its direction; covering variants for an index-only scan; partial variants for constant predicates; expression
 * keys as the planner prints them; trigram GIN for {@code LIKE}/{@code ILIKE} patterns when the server has pg_trgm.
 * Never a B-tree that cannot serve the predicate it came from ({@code <>}, a pattern match).
 */
public final class CandidateGenerator {
    /** Covering columns at most, and their widest average width, for an index-only scan to pay for its size. */
    private static final int MAX_INCLUDE = 3;
    private static final int MAX_INCLUDE_WIDTH = 40;

    private final Map<String, IndexCatalog.ColumnStats> stats;
    /** The schema-qualified trigram operator class ({@code extensions.gin_trgm_ops}), or null without pg_trgm. */
    private final String trigram;

    /** The relations one query reads. */
    public record QueryUses(String query, List<RelationUse> uses) {
    }

    public CandidateGenerator(Map<String, IndexCatalog.ColumnStats> stats, String trigram) {
        this.stats = stats;
        this.trigram = trigram;
    }

    /**
     * Every distinct candidate for the workload, each with the queries that suggested it, plus one single-column
     * candidate per column security's policies filter on ({@code policyColumns}: table → columns).
     */
    public List<Candidate> generate(List<QueryUses> workload, Map<String, List<String>> policyColumns) {
        Map<String, Integer> popularity = new HashMap<>();
        for (QueryUses q : workload) {
            for (RelationUse u : q.uses()) {
                u.predicates().stream().filter(Predicate::isEquality)
                        .filter(p -> p.operand() != Predicate.Operand.CONSTANT).map(p -> u.qualified() + "." + p.key())
                        .distinct().forEach(k -> popularity.merge(k, 1, Integer::sum));
            }
        }
        Map<String, Candidate> all = new LinkedHashMap<>();
        for (QueryUses q : workload) {
            for (RelationUse u : q.uses()) {
                for (Candidate c : forUse(u, q.query(), popularity)) {
                    all.merge(c.definition(), c, (a, b) -> a.servingAlso(b.serves()));
                }
            }
        }
        policyColumns.forEach((table, columns) -> {
            String[] parts = table.contains(".") ? table.split("\\.", 2) : new String[] {"public", table};
            for (String col : columns) {
                Candidate c = new Candidate(parts[0], parts[1], List.of(new Candidate.Key(col, true, false)), null,
                        null, "btree", Set.of("policy:" + parts[1]), "policy");
                all.merge(c.definition(), c, (a, b) -> a.servingAlso(b.serves()));
            }
        });
        return List.copyOf(all.values());
    }

    private List<Candidate> forUse(RelationUse u, String query, Map<String, Integer> popularity) {
        String schema = u.schema() == null ? "public" : u.schema();
        List<Candidate> out = new ArrayList<>();
        Set<String> serves = Set.of(query);
        List<Predicate> eq = new ArrayList<>();
        Map<String, Predicate> seenEq = new LinkedHashMap<>();
        for (Predicate p : u.predicates()) {
            if (p.isEquality() && p.operand() != Predicate.Operand.CONSTANT) {
                seenEq.putIfAbsent(p.key(), p);
            }
        }
        eq.addAll(seenEq.values());
        eq.sort(Comparator.comparing((Predicate p) -> -popularity.getOrDefault(u.qualified() + "." + p.key(), 0))
                .thenComparing(p -> -distinct(u, p.key())));
        List<Predicate> constants = u.predicates().stream().filter(CandidateGenerator::partialPredicate).toList();
        List<Predicate> ranges = u.predicates().stream().filter(Predicate::isRange).toList();
        List<Candidate.Key> eqKeys = new ArrayList<>(eq.stream().map(p -> new Candidate.Key(p.key(), p.column(),
                false)).toList());
        Set<String> constantKeys = new LinkedHashSet<>();
        for (Predicate p : constants) {
            if (p.isEquality() && seenEq.get(p.key()) == null && constantKeys.add(p.key())) {
                eqKeys.add(new Candidate.Key(p.key(), p.column(), false));
            }
        }

        for (Candidate.Key k : eqKeys) {
            out.add(candidate(schema, u, List.of(k), null, null, serves, k.column() ? "single" : "expression"));
        }
        for (Predicate p : ranges) {
            out.add(candidate(schema, u, List.of(new Candidate.Key(p.key(), p.column(), false)), null, null, serves,
                    "single"));
        }
        List<List<Candidate.Key>> composites = new ArrayList<>();
        if (eqKeys.size() > 1) {
            composites.add(eqKeys);
        }
        if (!ranges.isEmpty() && !eqKeys.isEmpty()) {
            List<Candidate.Key> k = new ArrayList<>(eqKeys);
            k.add(new Candidate.Key(ranges.get(0).key(), ranges.get(0).column(), false));
            composites.add(k);
        }
        if (!u.sort().isEmpty()) {
            List<Candidate.Key> k = new ArrayList<>(eqKeys);
            Set<String> have = eqKeys.stream().map(Candidate.Key::expr).collect(Collectors.toSet());
            for (RelationUse.SortKey s : u.sort()) {
                if (!have.contains(s.key())) {
                    k.add(new Candidate.Key(s.key(), s.column(), s.desc()));
                }
            }
            if (k.size() > eqKeys.size()) {
                composites.add(k);
            }
        }
        for (List<Candidate.Key> keys : composites) {
            out.add(candidate(schema, u, keys, null, null, serves, "composite"));
        }
        // the order alone: above a join (a semi-join on a tag, a lookup per row) the scan that returns rows in the
        // sort's order lets a nested loop stop at the LIMIT; partial on the relation's constant predicates
        if (!u.sort().isEmpty() && u.limited()) {
            List<Candidate.Key> order = u.sort().stream().map(s -> new Candidate.Key(s.key(), s.column(), s.desc()))
                    .toList();
            if (!order.equals(composites.isEmpty() ? List.of() : composites.get(composites.size() - 1))) {
                out.add(candidate(schema, u, order, null, null, serves, "composite"));
                if (!constants.isEmpty()) {
                    out.add(candidate(schema, u, order, null, constants.stream().map(Predicate::text)
                            .collect(Collectors.joining(" and ")), serves, "partial"));
                }
            }
        }
        // the widest key list, covered and partial
        List<Candidate.Key> widest = composites.isEmpty() ? (eqKeys.isEmpty() ? List.of() : eqKeys)
                : composites.get(composites.size() - 1);
        if (!widest.isEmpty()) {
            List<String> include = include(u, widest);
            if (!include.isEmpty()) {
                out.add(candidate(schema, u, widest, include, null, serves, "covering"));
            }
            List<Candidate.Key> partialKeys = widest.stream().filter(k -> !constantKeys.contains(k.expr())).toList();
            if (!constants.isEmpty() && !partialKeys.isEmpty()) {
                String where = constants.stream().map(Predicate::text).collect(Collectors.joining(" and "));
                out.add(candidate(schema, u, partialKeys, null, where, serves, "partial"));
            }
        } else if (!constants.isEmpty()) {
            // only NULL tests (and <>, which no B-tree serves): a B-tree serves IS [NOT] NULL on its column, so
            // a rare refunded_at is not null gets its index
            for (Predicate p : constants) {
                if (p.op().startsWith("IS ") && p.column()) {
                    out.add(candidate(schema, u, List.of(new Candidate.Key(p.key(), true, false)), null, null,
                            serves, "single"));
                }
            }
        }
        if (trigram != null) {
            for (Predicate p : u.predicates()) {
                if (p.isPatternMatch() && p.column()) {
                    out.add(candidate(schema, u, List.of(new Candidate.Key(p.key(), true, false)), null, null, serves,
                            "trigram").using("gin", trigram));
                }
            }
        }
        return out;
    }

    /** A predicate the same in every call and immutable: it can be a partial index's WHERE. */
    private static boolean partialPredicate(Predicate p) {
        return p.isConstant() && !p.isPatternMatch() && !p.isRange() && !p.text().matches("(?s).*\\b(now|current_\\w+|"
                + "clock_timestamp|random|statement_timestamp)\\b.*");
    }

    private Candidate candidate(String schema, RelationUse u, List<Candidate.Key> keys, List<String> include,
            String where, Set<String> serves, String kind) {
        return new Candidate(schema, u.table(), keys, include, where, "btree", serves, kind);
    }

    /** Output columns not in the keys, if few and narrow enough that an index-only scan is worth their size. */
    private List<String> include(RelationUse u, List<Candidate.Key> keys) {
        Set<String> keyed = keys.stream().map(Candidate.Key::expr).collect(Collectors.toSet());
        List<String> rest = new ArrayList<>(new LinkedHashSet<>(u.output()));
        rest.removeIf(keyed::contains);
        if (rest.isEmpty() || rest.size() > MAX_INCLUDE) {
            return List.of();
        }
        for (String c : rest) {
            IndexCatalog.ColumnStats s = stats.get(u.qualified() + "." + c);
            if (s == null || s.width() > MAX_INCLUDE_WIDTH) {
                return List.of();
            }
        }
        return rest;
    }

    private double distinct(RelationUse u, String key) {
        IndexCatalog.ColumnStats s = stats.get(u.qualified() + "." + key);
        return s == null ? 0 : s.distinct();
    }
}
