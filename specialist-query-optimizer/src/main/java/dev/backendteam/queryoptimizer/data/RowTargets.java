package dev.backendteam.queryoptimizer.data;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * How many rows each table gets: the user's count, else the statistics' reltuples, else the default; auth.users
 * follows its largest child. Above the row budget every table is scaled by one factor; a parent then gets at least
 * as many rows as its children's keys need to stay distinct.
 *
 * @param rows  "schema.table" → rows it should hold, in fill order
 * @param scale 1.0, or the factor applied to every table
 */
record RowTargets(Map<String, Long> rows, double scale, List<String> notes) {
    static final String AUTH_USERS = "auth.users";

    static RowTargets of(FillOrder order, Map<String, Long> rowCounts, Map<String, TableStatistics> statistics,
                         GenerationSettings settings) {
        List<String> notes = new ArrayList<>();
        Map<String, Long> given = normalize(order.tables(), rowCounts == null ? Map.of() : rowCounts, notes);
        Map<String, Long> rows = new LinkedHashMap<>();
        List<String> defaulted = new ArrayList<>();
        for (CatalogTable t : order.tables()) {
            String name = t.qualified();
            TableStatistics stats = statistics == null ? null : statistics.get(name);
            if (given.containsKey(name)) {
                rows.put(name, Math.max(0, given.get(name)));
            } else if (stats != null && stats.reltuples() > 0) {
                rows.put(name, Math.round(stats.reltuples()));
            } else if (!name.equals(AUTH_USERS)) {
                rows.put(name, settings.defaultRows());
                defaulted.add(name);
            }
        }
        if (!defaulted.isEmpty()) {
            notes.add("No row count or statistics for " + String.join(", ", defaulted) + ": "
                      + settings.defaultRows() + " rows each (the default), even where a child has many more.");
        }
        if (!rows.containsKey(AUTH_USERS) && order.tables().stream().anyMatch(t -> t.qualified().equals(AUTH_USERS))) {
            long largest = order.tables().stream()
                    .filter(t -> t.foreignKeys().stream().anyMatch(fk -> fk.parent().equals(AUTH_USERS)))
                    .mapToLong(t -> rows.getOrDefault(t.qualified(), 0L)).max().orElse(0);
            long users = Math.max(300, Math.min(largest / 20, 50_000));
            rows.put(AUTH_USERS, users);
            notes.add("auth.users: " + users + " users (a twentieth of its largest child's rows, at least 300, at most"
                      + " 50,000), so a few users own much.");
        }
        long total = rows.values().stream().mapToLong(Long::longValue).sum();
        double scale = 1.0;
        if (total > settings.rowBudget()) {
            scale = (double) settings.rowBudget() / total;
            double f = scale;
            rows.replaceAll((k, v) -> v == 0 ? 0 : Math.max(1, Math.round(v * f)));
            notes.add(String.format(Locale.ROOT, "The tables asked for %,d rows, above the budget of %,d: every table"
                      + " was scaled by %.4f.", total, settings.rowBudget(), scale));
        }
        raiseParentsForUniqueness(order, rows, notes);
        Map<String, Long> ordered = new LinkedHashMap<>();
        order.tables().forEach(t -> ordered.put(t.qualified(), rows.getOrDefault(t.qualified(), 0L)));
        return new RowTargets(ordered, scale, List.copyOf(notes));
    }

    /** Children first: a key made of foreign keys needs as many parent combinations as the child has rows. */
    private static void raiseParentsForUniqueness(FillOrder order, Map<String, Long> rows, List<String> notes) {
        List<CatalogTable> reversed = new ArrayList<>(order.tables());
        java.util.Collections.reverse(reversed);
        for (CatalogTable t : reversed) {
            Uniqueness u = Uniqueness.of(t, order.deferred());
            if (u.radix().isEmpty()) {
                continue;
            }
            long need = rows.getOrDefault(t.qualified(), 0L);
            List<String> parents = u.radix().stream().map(CatalogTable.ForeignKey::parent).distinct()
                    .filter(rows::containsKey).toList();
            if (parents.isEmpty()) {
                continue;
            }
            double product = parents.stream().mapToDouble(p -> Math.max(1, rows.get(p))).reduce(1, (a, b) -> a * b);
            if (product >= need) {
                continue;
            }
            String smallest = parents.stream().min(java.util.Comparator.comparingLong(rows::get)).orElseThrow();
            double others = product / Math.max(1, rows.get(smallest));
            long raised = (long) Math.ceil(need / others);
            notes.add(smallest + " raised from " + rows.get(smallest) + " to " + raised + " rows, so that the "
                      + t.qualified() + " rows get distinct keys from their parents.");
            rows.put(smallest, raised);
        }
    }

    /** "comments" → the table of that name in public (else in any schema); "public.comments" as written. */
    private static Map<String, Long> normalize(List<CatalogTable> tables, Map<String, Long> rowCounts,
                                               List<String> notes) {
        Map<String, Long> out = new LinkedHashMap<>();
        Set<String> known = new java.util.HashSet<>();
        tables.forEach(t -> known.add(t.qualified()));
        rowCounts.forEach((name, rows) -> {
            String key = name.trim().replace("\"", "");
            Optional<String> table = key.contains(".")
                    ? Optional.of(key).filter(known::contains)
                    : tables.stream().filter(t -> t.name().equals(key))
                            .sorted(java.util.Comparator.comparing(t -> t.schema().equals("public") ? 0 : 1))
                            .map(CatalogTable::qualified).findFirst();
            if (table.isPresent() && rows != null) {
                out.put(table.get(), rows);
            } else {
                notes.add("A row count was given for " + name + ", a table the schema does not have; ignored.");
            }
        });
        return out;
    }
}
