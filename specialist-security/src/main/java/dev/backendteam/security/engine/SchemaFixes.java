package dev.backendteam.security.engine;

import dev.backendteam.contract.Finding;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The part of a review's fix that regenerating grants and policies does not cover: lint findings about views,
 * functions and indexes whose fix is SQL of its own. Views and functions go into the fix migration, each with the
 * statement that undoes it in the down script; an index built or dropped {@code concurrently} cannot run in a
 * transaction, so each sits alone in a migration of its own (BRIEF §1). Extensions stay a finding: moving one needs
 * its owner (the postgres role on Supabase), which the sandbox's runner is not, so the move cannot be proven here.
 */
record SchemaFixes(String up, String down, List<Index> indexes) {

    /** One index migration: its purpose, the statement, and the one undoing it. */
    record Index(String name, String up, String down) {
    }

    private static final Pattern ALTER_SEARCH_PATH = Pattern.compile(
            "(?is)^alter (function|procedure) (.+) set search_path = public, extensions, pg_temp;$");
    private static final Pattern REVOKE_EXECUTE = Pattern.compile("(?is)^revoke execute on (function|procedure) (.+) from public, anon, authenticated;$");
    private static final Pattern INVOKER = Pattern.compile("(?is)^alter view (.+) set \\(security_invoker = true\\);$");
    private static final Pattern REVOKE_VIEW = Pattern.compile("(?is)^revoke all on (.+) from public, anon, authenticated;$");
    private static final Pattern CREATE_INDEX = Pattern.compile("(?is)^create index concurrently if not exists (\\S+) on .+;$");
    private static final Pattern DROP_INDEX = Pattern.compile("(?is)^drop index concurrently if exists (\\S+);$");

    /** How each rule's fix is undone ({@code null}: it is an index, or it cannot be proven here). */
    private static final Map<String, Function<String, String>> UNDO = Map.of(
            "security.function-search-path-mutable", fix -> replace(ALTER_SEARCH_PATH, fix,
                    m -> "alter " + m.group(1) + " " + m.group(2) + " reset search_path;"),
            "security.security-definer-function-executable", fix -> replace(REVOKE_EXECUTE, fix,
                    m -> "grant execute on " + m.group(1) + " " + m.group(2) + " to public, anon, authenticated;"),
            "security.security-definer-view", fix -> replace(INVOKER, fix,
                    m -> "alter view " + m.group(1) + " reset (security_invoker);"),
            "security.view-exposes-auth-users", fix -> replace(REVOKE_VIEW, fix,
                    m -> "grant select on " + m.group(1) + " to anon, authenticated;"));

    /** {@code indexDefinition}: the definition of an existing index by its qualified name (to undo a drop). */
    static SchemaFixes of(List<Finding> findings, Function<String, String> indexDefinition) {
        Map<String, String> up = new LinkedHashMap<>();
        List<Index> indexes = new ArrayList<>();
        for (Finding f : findings) {
            if (f.fix() == null) {
                continue;
            }
            String fix = f.fix().strip();
            Function<String, String> undo = UNDO.get(f.ruleId());
            if (undo != null && undo.apply(fix) != null) {
                up.putIfAbsent(fix, undo.apply(fix));
            } else if (f.ruleId().equals("security.unindexed-foreign-key")) {
                Matcher m = CREATE_INDEX.matcher(fix);
                if (m.matches()) {
                    indexes.add(new Index("index_" + local(m.group(1)), fix, "drop index concurrently if exists "
                            + m.group(1) + ";"));
                }
            } else if (f.ruleId().equals("security.duplicate-index")) {
                Matcher m = DROP_INDEX.matcher(fix);
                String def = m.matches() ? indexDefinition.apply(m.group(1)) : null;
                if (def != null) {
                    indexes.add(new Index("drop_duplicate_" + local(m.group(1)), fix,
                            def.replaceFirst("(?i)^create (unique )?index ", "create $1index concurrently if not exists ")
                                    + ";"));
                }
            }
        }
        if (up.isEmpty()) {
            return new SchemaFixes("", "", indexes);
        }
        List<String> downs = new ArrayList<>(up.values());
        java.util.Collections.reverse(downs);
        return new SchemaFixes("-- Views and functions the lints found exposed or unpinned.\n"
                + String.join("\n", up.keySet()) + "\n\n", "-- Views and functions as they were.\n"
                + String.join("\n", downs) + "\n\n", indexes);
    }

    private static String replace(Pattern p, String fix, Function<Matcher, String> with) {
        Matcher m = p.matcher(fix);
        return m.matches() ? with.apply(m) : null;
    }

    private static String local(String qualified) {
        return qualified.substring(qualified.lastIndexOf('.') + 1).replace("\"", "");
    }
}
