package dev.backendteam.security.engine.policy;

import dev.backendteam.contract.access.AccessIntent;
import dev.backendteam.contract.access.Grantee;
import dev.backendteam.contract.access.Operation;
import dev.backendteam.contract.access.TableIntent;
import dev.backendteam.security.engine.catalog.SchemaCatalog;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import static dev.backendteam.security.engine.policy.Identifiers.ident;
import static dev.backendteam.security.engine.policy.Identifiers.qualified;

/**
 * The smallest migration that gives one operation on one table what its access intent says (README, "Fixing what
 * the debugger diagnosed"): the grants each Data API role lacks for it (service_role included, as always), and, when
 * RLS refused, the operation's policies replaced by the intent's — one per role, {@code to <role>},
 * {@code (select auth.uid())}, {@code with check} on insert and update. Everything else on the table stays as it is;
 * the down script revokes what was granted, drops what was created and recreates what was dropped. A table whose
 * policies would need the tenant helpers, or whose RLS is off (a grant alone would open it to every signed-in user),
 * gets the table's whole access from {@link PolicyWriter} instead.
 */
public final class AccessFix {

    /** The migration, its down script, and each change in words. */
    public record Fix(String up, String down, List<String> changes) {
    }

    private final AccessIntent intent;
    private final SchemaCatalog catalog;
    private final TableIntent table;
    private final SchemaCatalog.Table current;
    private final Operation operation;

    public AccessFix(AccessIntent intent, SchemaCatalog catalog, String table, Operation operation) {
        this.intent = intent;
        this.catalog = catalog;
        this.table = intent.table(table).orElseThrow();
        this.current = catalog.table(table).orElseThrow();
        this.operation = operation;
    }

    /** Whether the minimal fix cannot be written and the table's whole access is rewritten instead. */
    public boolean whole() {
        return !current.rls() || intent.tenancyOf(table).isPresent() || table.membership() || table.tenantRoot();
    }

    /** The grants the operation needs and the roles lack; no policy. */
    public Fix grants() {
        StringBuilder up = header("Grants the intent of " + table.table() + " needs for " + operation.wire());
        StringBuilder down = header("Revokes what the fix granted on " + table.table());
        List<String> changes = new ArrayList<>();
        String q = qualified(table.table());
        for (String role : List.of("anon", "authenticated", "service_role")) {
            if (!role.equals("service_role") && !table.privileges(role).contains(operation)) {
                continue;
            }
            if (operation == Operation.UPDATE) {
                List<String> cols = role.equals("service_role") ? current.columns().stream()
                        .filter(SchemaCatalog.Column::writable).map(SchemaCatalog.Column::name).toList()
                        : PolicyWriter.updatable(table, current);
                List<String> missing = cols.stream().filter(c -> !holds(role, c)).toList();
                if (missing.isEmpty()) {
                    continue;
                }
                String list = String.join(", ", missing.stream().map(Identifiers::ident).toList());
                up.append("grant update (").append(list).append(") on table ").append(q).append(" to ").append(role)
                        .append(";\n");
                down.append("revoke update (").append(list).append(") on table ").append(q).append(" from ")
                        .append(role).append(";\n");
                changes.add("grant update (" + String.join(", ", missing) + ") on " + table.table() + " to " + role);
                continue;
            }
            if (holds(role, null)) {
                continue;
            }
            up.append("grant ").append(operation.wire()).append(" on table ").append(q).append(" to ").append(role)
                    .append(";\n");
            // revoking the table's privilege takes the column grants of the same privilege with it: give them back
            down.append("revoke ").append(operation.wire()).append(" on table ").append(q).append(" from ")
                    .append(role).append(";\n");
            for (SchemaCatalog.Grant g : current.grants()) {
                if (g.role().equals(role) && g.privilege().equals(operation.wire()) && g.column() != null) {
                    down.append("grant ").append(operation.wire()).append(" (").append(ident(g.column()))
                            .append(") on table ").append(q).append(" to ").append(role).append(";\n");
                }
            }
            changes.add("grant " + operation.wire() + " on " + table.table() + " to " + role);
        }
        return new Fix(up.toString(), down.toString(), changes);
    }

    /** The grants, and the operation's policies replaced by the intent's. */
    public Fix grantsAndPolicies() {
        Fix grants = grants();
        StringBuilder up = new StringBuilder(grants.up());
        StringBuilder down = new StringBuilder();
        List<String> changes = new ArrayList<>(grants.changes());
        String q = qualified(table.table());
        PolicyWriter writer = new PolicyWriter(intent, catalog, Set.of(table.table()), true, Set.of());
        List<String> created = new ArrayList<>();
        List<SchemaCatalog.Policy> dropped = new ArrayList<>();
        up.append("\n-- The ").append(operation.wire()).append(" policies of ").append(table.table())
                .append(", from its intent (").append(table.source()).append(")\n");
        for (SchemaCatalog.Policy p : current.policies()) {
            if (p.permissive() && p.command().equals(operation.wire())) {
                up.append("drop policy if exists ").append(ident(p.name())).append(" on ").append(q).append(";\n");
                dropped.add(p);
                changes.add("drop policy " + p.name() + " (" + clause(p) + ")");
            }
        }
        for (String role : List.of("anon", "authenticated")) {
            List<Grantee> grantees = table.rule(operation).stream().filter(g -> g.apiRole().equals(role)).toList();
            if (grantees.isEmpty()) {
                continue;
            }
            String name = freeName(Identifiers.shortName(table.name() + "_" + operation.wire() + "_" + role),
                    dropped);
            String expr = writer.expression(table, grantees);
            String clause = switch (operation) {
                case SELECT, DELETE -> "using (" + expr + ")";
                case INSERT -> "with check (" + expr + ")";
                case UPDATE -> "using (" + expr + ")\n    with check (" + expr + ")";
            };
            up.append("create policy ").append(ident(name)).append(" on ").append(q).append("\n    for ")
                    .append(operation.wire()).append(" to ").append(role).append("\n    ").append(clause)
                    .append(";\n");
            created.add(name);
            changes.add("create policy " + name + " for " + operation.wire() + " to " + role + " "
                    + clause.replace("\n    ", " "));
        }
        down.append(header("Restores the " + operation.wire() + " policies and grants of " + table.table()));
        for (String name : created) {
            down.append("drop policy if exists ").append(ident(name)).append(" on ").append(q).append(";\n");
        }
        for (SchemaCatalog.Policy p : dropped) {
            down.append(PolicyWriter.create(p, q));
        }
        down.append(grants.down().substring(grants.down().indexOf("\n\n") + 2));
        return new Fix(up.toString(), down.toString(), changes);
    }

    /** The table's whole access from its intent ({@link PolicyWriter}), for the tables {@link #whole()} names. */
    public Fix rewrite(boolean privateSchemaExists, Set<String> privateFunctions) {
        PolicyWriter.Written w = new PolicyWriter(intent, catalog, Set.of(table.table()), privateSchemaExists,
                privateFunctions).write();
        return new Fix(w.up(), w.down(), List.of("the grants, row level security and policies of " + table.table()
                + " rewritten from its intent (" + (current.rls() ? "its policies need the tenant's membership helper"
                : "row level security is off, so a grant alone would let every signed-in user in") + ")"));
    }

    /** The intent's policy name, unless a policy the fix keeps has it already. */
    private String freeName(String name, List<SchemaCatalog.Policy> dropped) {
        boolean kept = current.policies().stream().anyMatch(p -> p.name().equals(name))
                && dropped.stream().noneMatch(p -> p.name().equals(name));
        return kept ? Identifiers.shortName(name + "_fix") : name;
    }

    private boolean holds(String role, String column) {
        return current.grants().stream().anyMatch(g -> (g.role().equals(role) || g.role().equals("public"))
                && g.privilege().equals(operation.wire()) && (g.column() == null || g.column().equals(column)));
    }

    private static String clause(SchemaCatalog.Policy p) {
        return "to " + String.join(", ", p.roles()) + (p.using() == null ? "" : " using (" + p.using() + ")")
                + (p.withCheck() == null ? "" : " with check (" + p.withCheck() + ")");
    }

    private static StringBuilder header(String what) {
        return new StringBuilder("-- ").append(what).append(" (security specialist, from the debugger's diagnosis).\n")
                .append("set lock_timeout = '5s';\nset statement_timeout = '60s';\n\n");
    }
}
