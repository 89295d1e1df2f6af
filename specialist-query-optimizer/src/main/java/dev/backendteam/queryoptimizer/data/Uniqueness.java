package dev.backendteam.queryoptimizer.data;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * How a table's primary and unique keys are kept distinct. A key with a column the generator can derive from the row
 * number (a number, text, uuid, timestamp) gets that column unique; a key made only of foreign-key columns (a join
 * table's (task_id, tag_id), a 1:1 profile's id) walks the parents' keys in mixed radix, so that every row gets another
 * combination; anything else rests on the inserts' ON CONFLICT DO NOTHING.
 *
 * @param rowUnique   columns derived from the row number
 * @param radix       foreign keys whose parent ranks come from the row number instead of a skewed draw
 * @param notes       keys that only ON CONFLICT guards
 */
record Uniqueness(Set<String> rowUnique, List<CatalogTable.ForeignKey> radix, List<String> notes) {
    private static final Set<String> ROW_UNIQUE_TYPES = Set.of("int2", "int4", "int8", "numeric", "float4", "float8",
            "text", "varchar", "bpchar", "citext", "uuid", "timestamptz", "timestamp", "date");

    static Uniqueness of(CatalogTable t, Set<String> deferred) {
        Set<String> rowUnique = new LinkedHashSet<>();
        List<CatalogTable.ForeignKey> radix = new ArrayList<>();
        List<String> notes = new ArrayList<>();
        for (CatalogTable.UniqueKey key : t.uniqueKeys()) {
            if (key.columns().stream().anyMatch(rowUnique::contains)
                    || key.columns().stream().anyMatch(c -> t.column(c).map(CatalogTable.Column::leftToDatabase).orElse(false))) {
                continue;
            }
            List<CatalogTable.ForeignKey> covering = new ArrayList<>();
            String free = null;
            for (String c : key.columns()) {
                CatalogTable.ForeignKey fk = t.foreignKeys().stream()
                        .filter(f -> f.columns().contains(c) && !deferred.contains(FillOrder.key(t, f)))
                        .findFirst().orElse(null);
                if (fk != null) {
                    if (!covering.contains(fk)) {
                        covering.add(fk);
                    }
                } else if (free == null && t.column(c).map(Uniqueness::rowUniqueType).orElse(false)) {
                    free = c;
                }
            }
            if (free != null) {
                rowUnique.add(free);
            } else if (covering.stream().mapToInt(f -> f.columns().size()).sum() >= key.columns().size()
                       && key.columns().stream().allMatch(c -> covering.stream().anyMatch(f -> f.columns().contains(c)))) {
                covering.stream().filter(f -> !radix.contains(f)).forEach(radix::add);
            } else {
                notes.add(t.qualified() + ": the key " + key.name() + " (" + String.join(", ", key.columns())
                          + ") has columns the generator cannot make distinct; duplicates are skipped (ON CONFLICT DO"
                          + " NOTHING), so the table may get fewer rows.");
            }
        }
        return new Uniqueness(Set.copyOf(rowUnique), List.copyOf(radix), List.copyOf(notes));
    }

    static boolean rowUniqueType(CatalogTable.Column c) {
        return !c.isArray() && !c.leftToDatabase() && ROW_UNIQUE_TYPES.contains(c.elementType());
    }
}
