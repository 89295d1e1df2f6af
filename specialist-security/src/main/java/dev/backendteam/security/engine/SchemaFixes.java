package dev.backendteam.security.engine;

import dev.backendteam.contract.Finding;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The part of a review's fix that regenerating grants and policies does not cover: lint findings about views,
 * functions, extensions and indexes whose fix is SQL of its own. Each is added to the fix migration once, with the
 * statement that undoes it in the down script where one exists.
 */
record SchemaFixes(String up, String down) {

    /** Rules fixed by their own SQL, and how the down script reverses each (null: it cannot, said in a comment). */
    static final Map<String, String> FIXED_BY_SQL = Map.of();

    static SchemaFixes of(List<Finding> findings) {
        Set<String> up = new LinkedHashSet<>();
        for (Finding f : findings) {
            if (FIXED_BY_SQL.containsKey(f.ruleId()) && f.fix() != null) {
                up.add(f.fix().strip());
            }
        }
        if (up.isEmpty()) {
            return new SchemaFixes("", "");
        }
        return new SchemaFixes("-- Fixes of the lints beyond grants and policies.\n" + String.join("\n", up) + "\n",
                "");
    }
}
