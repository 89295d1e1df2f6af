package dev.backendteam.security.engine.policy;

import dev.backendteam.contract.access.AccessIntent;
import dev.backendteam.contract.access.Grantee;
import dev.backendteam.contract.access.Operation;
import dev.backendteam.contract.access.TableIntent;
import dev.backendteam.contract.access.Tenancy;
import dev.backendteam.security.engine.catalog.SchemaCatalog;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

import static dev.backendteam.security.engine.policy.Identifiers.ident;
import static dev.backendteam.security.engine.policy.Identifiers.literal;
import static dev.backendteam.security.engine.policy.Identifiers.qualified;

/**
 * Writes the grants and policies an access intent needs, as one migration and its down script.
 * <ul>
 * <li>Grants, explicit-grants model: each Data API role gets only the table privileges its rules need; the update
 * privilege is column-level and leaves out the key, the owner, tenant and parent columns, so no update moves a row
 * to another owner or tenant; service_role gets the four privileges (it bypasses RLS).</li>
 * <li>RLS on; every existing policy replaced; one policy per operation and role, always {@code to <role>};
 * {@code (select auth.uid())}; {@code with check} on insert and update; children through {@code exists} on the
 * parent (whose own policies then apply); tenant membership through a {@code security definer} helper in schema
 * {@code private} with an empty {@code search_path}, executable by authenticated only, so no policy reads its own
 * table.</li>
 * <li>Tenant bootstrap: a trigger makes the creator of a tenant its first-role member in the same transaction.</li>
 * </ul>
 * The down script restores what the catalog had before: RLS flags, policies and grants.
 */
public final class PolicyWriter {
    public static final String PRIVATE = "private";

    /** The migration, its down script, the policies written, and the columns they filter on per table. */
    public record Written(String up, String down, List<WrittenPolicy> policies, List<FilterColumns> filters) {
    }

    public record WrittenPolicy(String table, String name, Operation operation, String role) {
    }

    public record FilterColumns(String table, List<String> columns) {
    }

    private final AccessIntent intent;
    private final SchemaCatalog catalog;
    private final Set<String> targets;
    private final boolean privateSchemaExists;
    private final Set<String> privateFunctions;

    /**
     * Writes the tables of {@code targets}; the intent's other tables are read for parents and tenancies. What exists
     * already is kept and never dropped by the down script: schema {@code private}, a membership helper of the same
     * name ({@code privateFunctions}: the functions of {@code private} by name, e.g. from an earlier job's
     * migration), a bootstrap trigger.
     */
    public PolicyWriter(AccessIntent intent, SchemaCatalog catalog, Set<String> targets, boolean privateSchemaExists,
            Set<String> privateFunctions) {
        this.intent = intent;
        this.catalog = catalog;
        this.targets = Set.copyOf(targets);
        this.privateSchemaExists = privateSchemaExists;
        this.privateFunctions = Set.copyOf(privateFunctions);
    }

    public Written write() {
        StringBuilder up = new StringBuilder();
        StringBuilder down = new StringBuilder();
        List<WrittenPolicy> policies = new ArrayList<>();
        List<FilterColumns> filters = new ArrayList<>();
        up.append("-- Grants and row level security from the access intent (security specialist).\n")
                .append("-- Explicit grants: each Data API role gets only what its rules need; one policy per operation")
                .append(" and role.\n")
                .append("set lock_timeout = '5s';\nset statement_timeout = '60s';\n\n");
        down.append("-- Restores the grants, row level security and policies as they were before.\n")
                .append("set lock_timeout = '5s';\nset statement_timeout = '60s';\n\n");
        List<String> helperDrops = new ArrayList<>();
        boolean tenancy = intent.tenancies().stream().anyMatch(t -> targets.contains(t.tenant())
                || targets.contains(t.membership()) || intent.tables().stream().filter(x -> targets.contains(x.table()))
                .anyMatch(x -> intent.tenancyOf(x).filter(t::equals).isPresent()));
        if (tenancy) {
            up.append("create schema if not exists ").append(PRIVATE).append(";\n")
                    .append("revoke all on schema ").append(PRIVATE).append(" from public;\n")
                    .append("grant usage on schema ").append(PRIVATE).append(" to authenticated;\n\n");
            for (Tenancy t : intent.tenancies()) {
                helpers(t, up, helperDrops);
            }
        }
        for (TableIntent t : intent.tables()) {
            Optional<SchemaCatalog.Table> table = catalog.table(t.table());
            if (table.isEmpty() || !targets.contains(t.table())) {
                continue;
            }
            table(t, table.get(), up, policies);
            restore(table.get(), t, down);
            if (!t.protectedColumns().isEmpty()) {
                filters.add(new FilterColumns(t.table(), t.protectedColumns()));
            }
        }
        for (String drop : helperDrops) {
            down.append(drop);
        }
        if (tenancy && !privateSchemaExists) {
            down.append("drop schema if exists ").append(PRIVATE).append(";\n");
        }
        return new Written(up.toString(), down.toString(), policies, filters);
    }

    /** The tenant's membership helper and its bootstrap trigger. */
    private void helpers(Tenancy t, StringBuilder up, List<String> drops) {
        String tenantName = local(t.tenant());
        String fn = memberFunction(t);
        String idType = catalog.table(t.membership()).flatMap(m -> m.column(t.tenantColumn()))
                .map(SchemaCatalog.Column::type).orElse("uuid");
        String roleCast = catalog.table(t.membership()).flatMap(m -> m.column(t.roleColumn()))
                .map(c -> c.type().equals("text") ? "" : "::text").orElse("");
        String fnName = memberFunctionName(t);
        if (privateFunctions.contains(fnName)) {
            up.append("-- ").append(fn).append(" exists already (an earlier migration): kept as it is.\n\n");
        } else {
            up.append("-- Whether the signed-in user is a member of the tenant (with one of the roles, when given). Security\n")
                    .append("-- definer, so policies never read the membership table under its own policies (no recursion).\n")
                    .append("create or replace function ").append(fn).append("(tenant ").append(idType)
                    .append(", roles text[] default null)\n")
                    .append("    returns boolean\n    language sql\n    stable\n    security definer\n")
                    .append("    set search_path = ''\nas $$\n")
                    .append("  select exists (\n    select 1 from ").append(qualified(t.membership())).append(" m\n")
                    .append("     where m.").append(ident(t.tenantColumn())).append(" = tenant\n")
                    .append("       and m.").append(ident(t.userColumn())).append(" = (select auth.uid())\n")
                    .append("       and (roles is null or m.").append(ident(t.roleColumn())).append(roleCast)
                    .append(" = any (roles)));\n$$;\n")
                    .append("revoke all on function ").append(fn).append("(").append(idType).append(", text[]) from public, anon;\n")
                    .append("grant execute on function ").append(fn).append("(").append(idType).append(", text[]) to authenticated;\n\n");
            drops.add("drop function if exists " + fn + "(" + idType + ", text[]);\n");
        }

        String tenantKey = catalog.table(t.tenant()).map(x -> x.primaryKey().size() == 1 ? x.primaryKey().get(0) : "id")
                .orElse("id");
        if (bootstrapped(t)) {
            up.append("-- Tenant bootstrap: ").append(t.tenant()).append(" already makes its creator a member (a trigger")
                    .append(" inserting into ").append(t.membership()).append("): kept as it is.\n\n");
            return;
        }
        String trigger = PRIVATE + "." + ident(Identifiers.shortName("add_" + tenantName + "_creator"));
        up.append("-- Tenant bootstrap: whoever creates a ").append(tenantName).append(" becomes its ")
                .append(t.firstRole()).append(", in the same transaction.\n")
                .append("create or replace function ").append(trigger).append("()\n")
                .append("    returns trigger\n    language plpgsql\n    security definer\n    set search_path = ''\nas $$\n")
                .append("begin\n  if (select auth.uid()) is not null then\n")
                .append("    insert into ").append(qualified(t.membership())).append(" (").append(ident(t.tenantColumn()))
                .append(", ").append(ident(t.userColumn())).append(", ").append(ident(t.roleColumn())).append(")\n")
                .append("    values (new.").append(ident(tenantKey)).append(", (select auth.uid()), ")
                .append(literal(t.firstRole() == null ? "member" : t.firstRole())).append(");\n")
                .append("  end if;\n  return new;\nend\n$$;\n")
                .append("revoke all on function ").append(trigger).append("() from public, anon, authenticated;\n")
                .append("drop trigger if exists ").append(ident(Identifiers.shortName(tenantName + "_add_creator")))
                .append(" on ").append(qualified(t.tenant())).append(";\n")
                .append("create trigger ").append(ident(Identifiers.shortName(tenantName + "_add_creator")))
                .append(" after insert on ").append(qualified(t.tenant()))
                .append(" for each row execute function ").append(trigger).append("();\n\n");
        drops.add(0, "drop trigger if exists " + ident(Identifiers.shortName(tenantName + "_add_creator")) + " on "
                + qualified(t.tenant()) + ";\n");
        drops.add("drop function if exists " + trigger + "();\n");
    }

    /** Whether a trigger of the schema already inserts a tenant's creator into its membership table. */
    private boolean bootstrapped(Tenancy t) {
        String membership = t.membership().substring(t.membership().indexOf('.') + 1);
        return catalog.table(t.tenant()).map(x -> x.triggers().stream().anyMatch(tg -> tg.source() != null
                && tg.source().toLowerCase(Locale.ROOT).matches("(?s).*insert\\s+into\\s+(public\\.)?\"?"
                + java.util.regex.Pattern.quote(membership) + "\\b.*"))).orElse(false);
    }

    public static String memberFunction(Tenancy t) {
        return PRIVATE + "." + ident(memberFunctionName(t));
    }

    static String memberFunctionName(Tenancy t) {
        return Identifiers.shortName("is_" + local(t.tenant()) + "_member");
    }

    private void table(TableIntent t, SchemaCatalog.Table table, StringBuilder up, List<WrittenPolicy> policies) {
        String q = qualified(t.table());
        up.append("-- ").append(t.table()).append(": ").append(t.source()).append("\n");
        up.append("alter table ").append(q).append(" enable row level security;\n");
        for (SchemaCatalog.Policy p : table.policies()) {
            up.append("drop policy if exists ").append(ident(p.name())).append(" on ").append(q).append(";\n");
        }
        up.append("revoke all on table ").append(q).append(" from public, anon, authenticated, service_role;\n");
        for (String role : List.of("anon", "authenticated")) {
            List<Operation> ops = t.privileges(role);
            List<String> table_ = new ArrayList<>();
            for (Operation op : ops) {
                if (op != Operation.UPDATE) {
                    table_.add(op.wire());
                }
            }
            if (!table_.isEmpty()) {
                up.append("grant ").append(String.join(", ", table_)).append(" on table ").append(q).append(" to ")
                        .append(role).append(";\n");
            }
            if (ops.contains(Operation.UPDATE)) {
                List<String> cols = updatable(t, table);
                if (!cols.isEmpty()) {
                    up.append("grant update (").append(String.join(", ", cols.stream().map(Identifiers::ident).toList()))
                            .append(") on table ").append(q).append(" to ").append(role).append(";\n");
                }
            }
        }
        up.append("grant select, insert, update, delete on table ").append(q).append(" to service_role;\n");
        for (Operation op : Operation.values()) {
            for (String role : List.of("anon", "authenticated")) {
                List<Grantee> grantees = t.rule(op).stream().filter(g -> g.apiRole().equals(role)).toList();
                // no column a user may change (a join row, a row keyed by its owner and parent): no update at all
                if (grantees.isEmpty() || op == Operation.UPDATE && updatable(t, table).isEmpty()) {
                    continue;
                }
                String expr = expression(t, grantees);
                String name = Identifiers.shortName(t.name() + "_" + op.wire() + "_" + role);
                up.append("create policy ").append(ident(name)).append(" on ").append(q).append("\n    for ")
                        .append(op.wire()).append(" to ").append(role);
                switch (op) {
                    case SELECT, DELETE -> up.append("\n    using (").append(expr).append(")");
                    case INSERT -> up.append("\n    with check (").append(expr).append(")");
                    case UPDATE -> up.append("\n    using (").append(expr).append(")\n    with check (").append(expr)
                            .append(")");
                }
                up.append(";\n");
                policies.add(new WrittenPolicy(t.table(), name, op, role));
            }
        }
        up.append("\n");
    }

    /** The columns a user's update may set: not the key, not generated, not the owner, tenant or parent columns. */
    public static List<String> updatable(TableIntent t, SchemaCatalog.Table table) {
        return table.columns().stream().filter(SchemaCatalog.Column::writable)
                .map(SchemaCatalog.Column::name)
                .filter(c -> !table.primaryKey().contains(c) && !t.protectedColumn(c) && !c.equals("created_at")
                        && !privilegeLike(t, c))
                .toList();
    }

    /**
     * Columns that read as a privilege or an entitlement ({@code is_admin}, {@code role}, {@code plan}…): a user who
     * may update their own row must not raise their own rights, so they stay out of users' update grant — except a
     * membership's role, which the tenant's first role manages.
     */
    public static final Set<String> PRIVILEGE_LIKE = Set.of("role", "roles", "is_admin", "admin", "is_superuser",
            "is_staff", "permissions", "scopes", "plan", "tier", "credits", "balance", "verified", "is_verified",
            "email_verified", "banned", "is_banned");

    public static boolean privilegeLike(TableIntent t, String column) {
        return PRIVILEGE_LIKE.contains(column) && !(t.membership() && column.equals("role"));
    }

    /** The OR of the grantees' conditions, each limited to the table's tenants and readable parents. */
    public String expression(TableIntent t, List<Grantee> grantees) {
        List<String> ors = new ArrayList<>();
        for (Grantee g : grantees) {
            List<String> ands = new ArrayList<>();
            switch (g.kind()) {
                case ANON, AUTHENTICATED -> { }
                case OWNER -> ands.add(ident(t.ownerColumn()) + " = (select auth.uid())");
                case MEMBER -> ands.add(member(t, ident(t.name()), g.role() == null ? null : List.of(g.role()), 1));
                case PARENT -> ands.add(parents(t));
            }
            if (g.kind() != Grantee.Kind.ANON) {
                if (g.kind() != Grantee.Kind.MEMBER && t.tenantColumn() != null && !t.membership()) {
                    ands.add(member(t, ident(t.name()), null, 1));
                }
                // a member of the row's tenant still only reaches rows whose parents they may read (no row of
                // their tenant pointing at another tenant's parent)
                if (g.kind() != Grantee.Kind.PARENT && !t.parents().isEmpty()) {
                    ands.add(parents(t));
                }
            }
            ors.add(ands.isEmpty() ? "true" : String.join(" and ", ands));
        }
        if (ors.contains("true")) {
            return "true";
        }
        return ors.size() == 1 ? ors.get(0) : "(" + String.join(") or (", ors) + ")";
    }

    /** The row's parents are readable (each parent's own select policies decide). */
    private String parents(TableIntent t) {
        List<String> ands = new ArrayList<>();
        for (TableIntent.Parent p : t.parents()) {
            ands.add("exists (select 1 from " + qualified(p.table()) + " p where p." + ident(key(p.table())) + " = "
                    + ident(t.name()) + "." + ident(p.column()) + ")");
        }
        return String.join(" and ", ands);
    }

    /** The signed-in user is a member (with one of {@code roles}) of the tenant of the row {@code ref} of {@code t}. */
    private String member(TableIntent t, String ref, List<String> roles, int depth) {
        Tenancy tenancy = intent.tenancyOf(t).orElseThrow(() -> new IllegalStateException(t.table()
                + " has no tenant to check membership of"));
        String fn = memberFunction(tenancy);
        String rolesArg = roles == null ? "" : ", array[" + String.join(", ", roles.stream().map(Identifiers::literal)
                .toList()) + "]";
        if (t.tenantRoot()) {
            return fn + "(" + ref + "." + ident(key(t.table())) + rolesArg + ")";
        }
        if (t.tenantColumn() != null) {
            return fn + "(" + ref + "." + ident(t.tenantColumn()) + rolesArg + ")";
        }
        for (TableIntent.Parent p : t.parents()) {
            Optional<TableIntent> parent = intent.table(p.table());
            if (parent.isPresent() && intent.tenancyOf(parent.get()).isPresent()) {
                String alias = "t" + depth;
                return "exists (select 1 from " + qualified(p.table()) + " " + alias + " where " + alias + "."
                        + ident(key(p.table())) + " = " + ref + "." + ident(p.column()) + " and "
                        + member(parent.get(), alias, roles, depth + 1) + ")";
            }
        }
        throw new IllegalStateException(t.table() + " reaches no tenant");
    }

    private String key(String table) {
        return catalog.table(table).filter(x -> x.primaryKey().size() == 1).map(x -> x.primaryKey().get(0)).orElse("id");
    }

    /** The down script's part for one table: its policies, RLS flags and grants as they were. */
    private void restore(SchemaCatalog.Table before, TableIntent t, StringBuilder down) {
        String q = qualified(before.qualified());
        down.append("-- ").append(before.qualified()).append("\n");
        for (Operation op : Operation.values()) {
            for (String role : List.of("anon", "authenticated")) {
                if (t.rule(op).stream().anyMatch(g -> g.apiRole().equals(role))
                        && !(op == Operation.UPDATE && updatable(t, before).isEmpty())) {
                    down.append("drop policy if exists ").append(ident(Identifiers.shortName(t.name() + "_" + op.wire()
                            + "_" + role))).append(" on ").append(q).append(";\n");
                }
            }
        }
        down.append("revoke all on table ").append(q).append(" from public, anon, authenticated, service_role;\n");
        for (SchemaCatalog.Grant g : before.grants()) {
            if (!List.of("public", "anon", "authenticated", "service_role").contains(g.role())) {
                continue;
            }
            down.append("grant ").append(g.privilege().toLowerCase(Locale.ROOT));
            if (g.column() != null) {
                down.append(" (").append(ident(g.column())).append(")");
            }
            down.append(" on table ").append(q).append(" to ").append(g.role()).append(";\n");
        }
        for (SchemaCatalog.Policy p : before.policies()) {
            down.append(create(p, q));
        }
        down.append("alter table ").append(q).append(before.rls() ? " enable" : " disable").append(" row level security;\n\n");
    }

    /** {@code create policy …;} recreating a policy of the catalog on table {@code q} as it was. */
    public static String create(SchemaCatalog.Policy p, String q) {
        StringBuilder s = new StringBuilder("create policy ").append(ident(p.name())).append(" on ").append(q)
                .append(p.permissive() ? "" : " as restrictive").append(" for ").append(p.command())
                .append(" to ").append(String.join(", ", p.roles().stream().map(r -> r.equals("public") ? r
                        : ident(r)).toList()));
        if (p.using() != null) {
            s.append(" using (").append(p.using()).append(")");
        }
        if (p.withCheck() != null) {
            s.append(" with check (").append(p.withCheck()).append(")");
        }
        return s.append(";\n").toString();
    }

    private static String local(String qualified) {
        int dot = qualified.indexOf('.');
        return dot < 0 ? qualified : qualified.substring(dot + 1);
    }
}
