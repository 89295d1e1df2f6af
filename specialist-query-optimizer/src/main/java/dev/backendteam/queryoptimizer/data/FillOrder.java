package dev.backendteam.queryoptimizer.data;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Parents before children. A self-reference, and one nullable foreign key of each cycle, is deferred: inserted null
 * and set afterwards by an UPDATE, once the rows it points at exist.
 *
 * @param tables   in fill order
 * @param deferred the deferred foreign keys, as "schema.table/constraint"
 * @param notes    what was deferred and why, and cycles that could not be broken
 */
record FillOrder(List<CatalogTable> tables, Set<String> deferred, List<String> notes) {

    static String key(CatalogTable t, CatalogTable.ForeignKey fk) {
        return t.qualified() + "/" + fk.name();
    }

    static FillOrder of(List<CatalogTable> all) {
        Map<String, CatalogTable> byName = new LinkedHashMap<>();
        all.forEach(t -> byName.put(t.qualified(), t));
        Set<String> deferred = new LinkedHashSet<>();
        List<String> notes = new ArrayList<>();
        for (CatalogTable t : all) {
            for (CatalogTable.ForeignKey fk : t.foreignKeys()) {
                if (fk.parent().equals(t.qualified())) {
                    deferred.add(key(t, fk));
                    notes.add(nullable(t, fk)
                            ? t.qualified() + "." + String.join(",", fk.columns()) + " refers to its own table: inserted"
                              + " null, then set by an UPDATE to an earlier row (a tree: three rows in ten get a parent)."
                            : t.qualified() + "." + String.join(",", fk.columns()) + " refers to its own table and is"
                              + " NOT NULL: the generator cannot point it at rows that do not exist yet.");
                }
            }
        }
        List<CatalogTable> order = new ArrayList<>();
        Set<String> placed = new LinkedHashSet<>();
        while (order.size() < all.size()) {
            CatalogTable ready = null;
            for (CatalogTable t : all) {
                if (!placed.contains(t.qualified()) && waitsFor(t, byName, placed, deferred).isEmpty()) {
                    ready = t;
                    break;
                }
            }
            if (ready != null) {
                order.add(ready);
                placed.add(ready.qualified());
                continue;
            }
            // a cycle: defer one nullable foreign key of a waiting table, or, failing that, any one of them
            CatalogTable.ForeignKey broken = null;
            CatalogTable owner = null;
            for (CatalogTable t : all) {
                if (placed.contains(t.qualified())) {
                    continue;
                }
                for (CatalogTable.ForeignKey fk : waitsFor(t, byName, placed, deferred)) {
                    if (broken == null || (nullable(t, fk) && !nullable(owner, broken))) {
                        broken = fk;
                        owner = t;
                    }
                }
            }
            deferred.add(key(owner, broken));
            notes.add(nullable(owner, broken)
                    ? "The foreign keys form a cycle: " + owner.qualified() + "." + String.join(",", broken.columns())
                      + " is inserted null and set by an UPDATE once " + broken.parent() + " is filled."
                    : "The foreign keys form a cycle of NOT NULL columns: " + owner.qualified() + "."
                      + String.join(",", broken.columns()) + " cannot be filled before " + broken.parent() + ".");
        }
        return new FillOrder(List.copyOf(order), Set.copyOf(deferred), List.copyOf(notes));
    }

    static boolean nullable(CatalogTable t, CatalogTable.ForeignKey fk) {
        return fk.columns().stream().allMatch(c -> t.column(c).map(col -> !col.notNull()).orElse(false));
    }

    private static List<CatalogTable.ForeignKey> waitsFor(CatalogTable t, Map<String, CatalogTable> byName,
                                                          Set<String> placed, Set<String> deferred) {
        return t.foreignKeys().stream()
                .filter(fk -> byName.containsKey(fk.parent()) && !placed.contains(fk.parent())
                              && !deferred.contains(key(t, fk)))
                .toList();
    }
}
