package dev.backendteam.security.engine.catalog;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Policies that would recurse (PostgreSQL: 42P17 "infinite recursion detected in policy"), found from the policy
 * dependency graph before anything runs: a policy on A that reads B (a FROM or JOIN in its expressions) is evaluated
 * together with B's select policies, so a path that comes back to A loops. Tables without RLS end a path; so does a
 * security definer function (it reads as its owner), which is why the generated policies check membership through one.
 */
public final class PolicyCycles {
    private static final Pattern READS = Pattern.compile("(?i)\\b(?:from|join)\\s+(?:(\"?[a-z_][\\w$]*\"?)\\.)?(\"?[a-z_][\\w$]*\"?)");

    private PolicyCycles() {
    }

    /** Each cycle as its policies ("schema.table.policy"), starting from the alphabetically first table's. */
    public static List<List<String>> find(SchemaCatalog catalog) {
        Map<String, SchemaCatalog.Table> tables = new LinkedHashMap<>();
        catalog.tables().forEach(t -> tables.put(t.qualified(), t));
        Set<String> seen = new LinkedHashSet<>();
        List<List<String>> cycles = new ArrayList<>();
        for (SchemaCatalog.Table start : catalog.tables().stream()
                .sorted(java.util.Comparator.comparing(SchemaCatalog.Table::qualified)).toList()) {
            if (!start.rls()) {
                continue;
            }
            // nested reads use select policies, so every loop is a loop of select (or all) policies
            for (SchemaCatalog.Policy p : start.policies()) {
                if (!p.command().equals("select") && !p.command().equals("all")) {
                    continue;
                }
                walk(tables, start, p, new ArrayList<>(), new ArrayList<>(), cycles, seen);
            }
        }
        return cycles;
    }

    private static void walk(Map<String, SchemaCatalog.Table> tables, SchemaCatalog.Table table,
            SchemaCatalog.Policy policy, List<String> pathTables, List<String> pathPolicies, List<List<String>> cycles,
            Set<String> seen) {
        String node = table.qualified() + "." + policy.name();
        int at = pathTables.indexOf(table.qualified());
        if (at >= 0) {
            List<String> cycle = new ArrayList<>(pathPolicies.subList(at, pathPolicies.size()));
            String key = canonical(cycle);
            if (seen.add(key)) {
                cycles.add(rotate(cycle));
            }
            return;
        }
        if (pathPolicies.contains(node) || pathTables.size() > 16) {
            return;
        }
        pathTables.add(table.qualified());
        pathPolicies.add(node);
        for (String read : reads(table, policy)) {
            SchemaCatalog.Table next = tables.get(read);
            if (next == null || !next.rls()) {
                continue;
            }
            for (SchemaCatalog.Policy q : next.policies()) {
                if (q.command().equals("select") || q.command().equals("all")) {
                    walk(tables, next, q, pathTables, pathPolicies, cycles, seen);
                }
            }
        }
        pathTables.remove(pathTables.size() - 1);
        pathPolicies.remove(pathPolicies.size() - 1);
    }

    /** The tables a policy's expressions read, schema-qualified (unqualified names are the policy table's schema). */
    static Set<String> reads(SchemaCatalog.Table table, SchemaCatalog.Policy policy) {
        Set<String> reads = new LinkedHashSet<>();
        for (String expr : new String[] {policy.using(), policy.withCheck()}) {
            if (expr == null) {
                continue;
            }
            Matcher m = READS.matcher(expr);
            while (m.find()) {
                String schema = m.group(1) == null ? table.schema() : unquote(m.group(1));
                reads.add(schema + "." + unquote(m.group(2)));
            }
        }
        return reads;
    }

    private static String unquote(String s) {
        return s.startsWith("\"") ? s.substring(1, s.length() - 1) : s.toLowerCase(Locale.ROOT);
    }

    private static String canonical(List<String> cycle) {
        return String.join(" ", new java.util.TreeSet<>(cycle));
    }

    private static List<String> rotate(List<String> cycle) {
        int first = 0;
        for (int i = 1; i < cycle.size(); i++) {
            if (cycle.get(i).compareTo(cycle.get(first)) < 0) {
                first = i;
            }
        }
        List<String> out = new ArrayList<>(cycle.subList(first, cycle.size()));
        out.addAll(cycle.subList(0, first));
        return out;
    }
}
