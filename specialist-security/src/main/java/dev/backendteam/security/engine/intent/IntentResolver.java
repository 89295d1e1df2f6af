package dev.backendteam.security.engine.intent;

import com.fasterxml.jackson.databind.JsonNode;
import dev.backendteam.contract.access.AccessDefaults;
import dev.backendteam.contract.access.AccessIntent;
import dev.backendteam.contract.access.Grantee;
import dev.backendteam.contract.access.Operation;
import dev.backendteam.contract.access.SpecAccess;
import dev.backendteam.contract.access.TableIntent;
import dev.backendteam.contract.access.Tenancy;
import dev.backendteam.security.engine.catalog.SchemaCatalog;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The access intent of the tables a job's schema has: declared by the spec (its entities' markers and its
 * {@code access} section), or, for a table the spec does not describe (a schema under review, base migrations),
 * inferred from its columns and stated as assumptions the user can correct by answering with an {@code access}
 * section.
 */
public final class IntentResolver {
    static final List<String> OWNER_COLUMNS = List.of("user_id", "owner_id", "author_id", "created_by", "profile_id");
    private static final String AUTH_USERS = "auth.users";
    private static final Pattern QUOTED = Pattern.compile("'((?:[^']|'')*)'");

    /** The intent, and the problems of the spec's access section (each with its JSON Pointer and message). */
    public record Resolution(AccessIntent intent, List<SpecAccess.Problem> problems) {
    }

    private IntentResolver() {
    }

    /**
     * The spec whose markers and access section are the user's declared intent: none when a model drafted the spec
     * from the task's words (the planner's), whose access is then only a draft to confirm, like an inferred one.
     */
    public static JsonNode declaredSpec(dev.backendteam.contract.JobInputs inputs) {
        return inputs.drafted(dev.backendteam.contract.JobInputs.SPEC) ? null : inputs.spec();
    }

    public static Resolution resolve(JsonNode spec, SchemaCatalog catalog) {
        SpecAccess.Result declared = SpecAccess.read(spec, name -> catalog.tables().stream()
                .anyMatch(t -> t.name().equals(name)));
        List<SpecAccess.Problem> problems = new ArrayList<>(declared.problems());
        Map<String, TableIntent> byTable = new LinkedHashMap<>();
        List<Tenancy> tenancies = new ArrayList<>(declared.intent().tenancies());
        List<SchemaCatalog.Table> undeclared = new ArrayList<>();
        for (SchemaCatalog.Table t : catalog.tables()) {
            Optional<TableIntent> d = declared.intent().table(t.qualified());
            if (d.isPresent()) {
                byTable.put(t.qualified(), d.get());
            } else {
                undeclared.add(t);
            }
        }
        for (SchemaCatalog.Table t : undeclared) {
            membership(t).filter(m -> tenancies.stream().noneMatch(x -> x.membership().equals(m.membership())))
                    .ifPresent(tenancies::add);
        }
        List<TableIntent> shapes = new ArrayList<>();
        for (SchemaCatalog.Table t : undeclared) {
            shapes.add(inferShape(t, tenancies));
        }
        AccessIntent shaped = new AccessIntent(tenancies, concat(byTable.values(), shapes));
        JsonNode access = spec == null ? null : spec.path("access");
        for (TableIntent shape : shapes) {
            Tenancy tenancy = shaped.tenancyOf(shape).orElse(null);
            TableIntent inferred = shape.withRules("inferred", AccessDefaults.rules(shape, false, tenancy),
                    assumptions(shape, tenancy));
            JsonNode block = access == null ? null : access.path(shape.name());
            byTable.put(shape.table(), block != null && block.isObject()
                    ? SpecAccess.declare(inferred, block, "/access/" + shape.name(), tenancy, problems) : inferred);
        }
        List<TableIntent> ordered = catalog.tables().stream().map(t -> byTable.get(t.qualified())).toList();
        return new Resolution(new AccessIntent(tenancies, ordered), problems);
    }

    private static List<TableIntent> concat(java.util.Collection<TableIntent> a, List<TableIntent> b) {
        List<TableIntent> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }

    /** A membership table: a tenant reference, a user reference and a role column. */
    static Optional<Tenancy> membership(SchemaCatalog.Table t) {
        Optional<SchemaCatalog.Column> role = t.column("role");
        Optional<SchemaCatalog.ForeignKey> user = userReference(t);
        if (role.isEmpty() || user.isEmpty()) {
            return Optional.empty();
        }
        Optional<SchemaCatalog.ForeignKey> tenant = t.foreignKeys().stream()
                .filter(f -> f.columns().size() == 1 && !f.ref().equals(AUTH_USERS) && !f.ref().equals(t.qualified()))
                .findFirst();
        if (tenant.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new Tenancy(tenant.get().ref(), t.qualified(), tenant.get().columns().get(0),
                user.get().columns().get(0), "role", roles(t, role.get())));
    }

    /** Role names whose rank is known, most privileged first; others keep the order the schema lists them in. */
    private static final List<String> RANKED = List.of("owner", "admin", "manager", "editor", "member", "viewer",
            "guest");

    /**
     * The roles, most privileged first: as the enum or the check constraint on {@code role} lists them, ranked by
     * name when every name is a known one ({@code enum ('member', 'admin', 'owner')} → owner, admin, member).
     */
    static List<String> roles(SchemaCatalog.Table t, SchemaCatalog.Column role) {
        List<String> listed = listedRoles(t, role);
        if (RANKED.containsAll(listed)) {
            return listed.stream().sorted(java.util.Comparator.comparingInt(RANKED::indexOf)).toList();
        }
        return listed;
    }

    private static List<String> listedRoles(SchemaCatalog.Table t, SchemaCatalog.Column role) {
        if (!role.enumValues().isEmpty()) {
            return role.enumValues();
        }
        for (String check : t.checks()) {
            if (check.matches("(?s).*\\brole\\b.*")) {
                List<String> values = new ArrayList<>();
                Matcher m = QUOTED.matcher(check);
                while (m.find()) {
                    values.add(m.group(1).replace("''", "'"));
                }
                if (!values.isEmpty()) {
                    return values;
                }
            }
        }
        return List.of("member");
    }

    private static Optional<SchemaCatalog.ForeignKey> userReference(SchemaCatalog.Table t) {
        List<SchemaCatalog.ForeignKey> refs = t.foreignKeys().stream()
                .filter(f -> f.columns().size() == 1 && f.ref().equals(AUTH_USERS)).toList();
        for (String preferred : OWNER_COLUMNS) {
            Optional<SchemaCatalog.ForeignKey> f = refs.stream().filter(r -> r.columns().get(0).equals(preferred))
                    .findFirst();
            if (f.isPresent()) {
                return f;
            }
        }
        // profiles keyed by the user's id: id references auth.users(id)
        return refs.stream().filter(r -> t.primaryKey().equals(r.columns())).findFirst();
    }

    static TableIntent inferShape(SchemaCatalog.Table t, List<Tenancy> tenancies) {
        Optional<Tenancy> member = tenancies.stream().filter(x -> x.membership().equals(t.qualified())).findFirst();
        boolean root = tenancies.stream().anyMatch(x -> x.tenant().equals(t.qualified()));
        String owner = member.map(Tenancy::userColumn).orElseGet(() -> userReference(t)
                .map(f -> f.columns().get(0)).orElse(null));
        String tenant = member.map(Tenancy::tenant).orElse(null);
        String tenantColumn = member.map(Tenancy::tenantColumn).orElse(null);
        List<TableIntent.Parent> parents = new ArrayList<>();
        for (SchemaCatalog.ForeignKey f : t.foreignKeys()) {
            if (f.columns().size() != 1 || !f.refSchema().equals(t.schema()) || f.ref().equals(t.qualified())) {
                continue;
            }
            String column = f.columns().get(0);
            if (tenant == null && !root && tenancies.stream().anyMatch(x -> x.tenant().equals(f.ref()))) {
                tenant = f.ref();
                tenantColumn = column;
            } else if (member.isEmpty()) {
                parents.add(new TableIntent.Parent(f.ref(), column));
            }
        }
        boolean join = owner == null && parents.size() == 2 && t.primaryKey().size() == 2
                && parents.stream().allMatch(p -> t.primaryKey().contains(p.column()));
        return new TableIntent(t.qualified(), "inferred", owner, tenant, tenantColumn, root, member.isPresent(), join,
                false, parents, Map.<Operation, List<Grantee>>of(), List.of());
    }

    private static List<String> assumptions(TableIntent t, Tenancy tenancy) {
        List<String> a = new ArrayList<>();
        if (t.membership()) {
            a.add("membership of " + tenancy.tenant() + " (" + t.tenantColumn() + ", " + t.ownerColumn()
                    + ", role: " + String.join(" > ", tenancy.roles()) + ")");
        } else if (t.tenantRoot()) {
            a.add("a tenant: its members read it; a signed-in user creates one and becomes its "
                    + tenancy.firstRole());
        }
        if (t.ownerColumn() != null && !t.membership()) {
            a.add("owner column " + t.ownerColumn() + " (references auth.users)");
        }
        if (t.tenant() != null && !t.membership()) {
            a.add("tenant column " + t.tenantColumn() + " (rows belong to a " + t.tenant() + ")");
        }
        for (TableIntent.Parent p : t.parents()) {
            a.add("access follows the parent " + p.table() + " (" + p.column() + ")");
        }
        if (a.isEmpty()) {
            a.add("no owner, tenant or parent column: signed-in users read every row, only the service writes");
        }
        a.add("not public, not service-only: answer with an access section to say otherwise");
        return a;
    }
}
