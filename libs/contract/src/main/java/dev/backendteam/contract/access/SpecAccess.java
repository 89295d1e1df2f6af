package dev.backendteam.contract.access;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The access intent a domain spec declares: each entity's shape (owner, tenant, parents) read from its markers, the
 * rules from {@link AccessDefaults}, replaced operation by operation by the spec's {@code access} section
 * ({@code access: { task: { update: [owner, "member:admin"] } }}). Entities live in {@code public}, with the column
 * names db-architect gives them ({@code user_id}, {@code <tenant>_id}, {@code <parent>_id} or the relation's
 * {@code column}).
 */
public final class SpecAccess {
    public static final String SCHEMA = "public";

    /** The intent, and what is wrong with the {@code access} section (each with its JSON Pointer). */
    public record Result(AccessIntent intent, List<Problem> problems) {
    }

    public record Problem(String path, String message) {
    }

    private SpecAccess() {
    }

    public static Result read(JsonNode spec) {
        return read(spec, name -> false);
    }

    /**
     * {@code otherTables}: names the {@code access} section may give besides the spec's entities (tables of a schema
     * under review, of base migrations), whose rules the caller applies itself with {@link #declare}.
     */
    public static Result read(JsonNode spec, java.util.function.Predicate<String> otherTables) {
        List<Problem> problems = new ArrayList<>();
        JsonNode entities = spec == null ? null : spec.path("entities");
        List<Tenancy> tenancies = new ArrayList<>();
        Set<String> tenants = new HashSet<>();
        Set<String> known = new HashSet<>();
        if (entities != null) {
            for (JsonNode e : entities) {
                known.add(e.path("name").asText());
                JsonNode tm = e.path("tenantMembership");
                if (tm.isObject()) {
                    String tenant = local(tm.path("tenant").asText());
                    List<String> roles = new ArrayList<>();
                    tm.path("roles").forEach(r -> roles.add(r.asText()));
                    tenancies.add(new Tenancy(q(tenant), q(e.path("name").asText()), tenant + "_id", "user_id", "role",
                            roles));
                    tenants.add(tenant);
                }
            }
        }
        JsonNode access = spec == null ? null : spec.path("access");
        List<TableIntent> shapes = new ArrayList<>();
        if (entities != null) {
            for (JsonNode e : entities) {
                shapes.add(shape(e, tenants.contains(e.path("name").asText())));
            }
        }
        AccessIntent shaped = new AccessIntent(tenancies, shapes);
        List<TableIntent> tables = new ArrayList<>();
        if (entities != null) {
            int index = 0;
            for (JsonNode e : entities) {
                String name = e.path("name").asText();
                TableIntent shape = shapes.get(index++);
                Tenancy tenancy = shaped.tenancyOf(shape).orElse(null);
                boolean publicRead = e.path("publicRead").asBoolean(false);
                Map<Operation, List<Grantee>> rules = AccessDefaults.rules(shape, publicRead, tenancy);
                String source = markers(e, tenants.contains(name));
                List<String> notes = new ArrayList<>();
                JsonNode declared = access == null ? null : access.path(name);
                TableIntent base = shape.withRules(source, rules, List.of());
                if (declared != null && declared.isObject()) {
                    tables.add(declare(base, declared, "/access/" + name, tenancy, problems));
                    continue;
                }
                if ("default".equals(source)) {
                    notes.add(name + " has no access marker: signed-in users read every row and only the service"
                            + " writes; declare access." + name + " (or a marker) to change it");
                }
                tables.add(shape.withRules(source, rules, notes));
            }
        }
        if (access != null && access.isObject()) {
            access.fieldNames().forEachRemaining(n -> {
                if (!known.contains(n) && !otherTables.test(n)) {
                    problems.add(new Problem("/access/" + n, "access names `" + n + "`, which is no entity of this"
                            + " spec"));
                }
            });
        }
        return new Result(new AccessIntent(tenancies, tables), problems);
    }

    /**
     * {@code base} with the operations {@code block} declares ({@code {update: [owner, "member:admin"]}}) replacing
     * its rules; what does not fit the table's shape is a problem at {@code path}.
     */
    public static TableIntent declare(TableIntent base, JsonNode block, String path, Tenancy tenancy,
            List<Problem> problems) {
        Map<Operation, List<Grantee>> rules = new EnumMap<>(base.rules());
        List<String> ops = new ArrayList<>();
        Iterator<Map.Entry<String, JsonNode>> it = block.fields();
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> d = it.next();
            Operation op;
            try {
                op = Operation.of(d.getKey());
            } catch (IllegalArgumentException x) {
                problems.add(new Problem(path + "/" + d.getKey(), "unknown operation `" + d.getKey()
                        + "`; use select, insert, update, delete"));
                continue;
            }
            List<Grantee> grantees = new ArrayList<>();
            for (int i = 0; i < d.getValue().size(); i++) {
                String token = d.getValue().get(i).asText();
                try {
                    Grantee g = Grantee.parse(token);
                    String misfit = misfit(g, base, tenancy);
                    if (misfit != null) {
                        problems.add(new Problem(path + "/" + d.getKey() + "/" + i, misfit));
                    }
                    grantees.add(g);
                } catch (IllegalArgumentException x) {
                    problems.add(new Problem(path + "/" + d.getKey() + "/" + i, x.getMessage()));
                }
            }
            rules.put(op, List.copyOf(grantees));
            ops.add(op.wire());
        }
        String source = ops.size() == 4 ? "declared" : "declared (" + String.join(", ", ops) + "), " + base.source()
                + " for the rest";
        return base.withRules(source, rules, base.assumptions());
    }

    private static TableIntent shape(JsonNode e, boolean tenantRoot) {
        String name = e.path("name").asText();
        JsonNode tm = e.path("tenantMembership");
        // a membership row is its member's (user_id) and its tenant's
        String owner = e.path("owner").isObject() || e.path("owner").asBoolean(false) || tm.isObject() ? "user_id"
                : null;
        String tenant = e.path("tenant").isTextual() ? local(e.path("tenant").asText())
                : tm.isObject() ? local(tm.path("tenant").asText()) : null;
        List<TableIntent.Parent> parents = new ArrayList<>();
        JsonNode b = e.path("belongsTo");
        if (b.isArray()) {
            b.forEach(r -> parent(name, r, parents));
        } else if (!b.isMissingNode() && !b.isNull()) {
            parent(name, b, parents);
        }
        boolean join = e.path("manyToMany").isArray() && !e.path("manyToMany").isEmpty();
        e.path("manyToMany").forEach(r -> parent(name, r, parents));
        return new TableIntent(q(name), null, owner, tenant == null ? null : q(tenant), tenant == null ? null
                : tenant + "_id", tenantRoot, tm.isObject(), join, e.path("serviceOnly").asBoolean(false), parents,
                null, null);
    }

    /** A relation to another entity of the spec (not to itself, not to auth.users) is a parent for access. */
    private static void parent(String self, JsonNode r, List<TableIntent.Parent> parents) {
        String target = r.isTextual() ? r.asText() : r.path("entity").asText();
        if (target.startsWith(SCHEMA + ".")) {
            target = target.substring(SCHEMA.length() + 1);
        }
        if (target.contains(".") || target.equals(self)) {
            return;
        }
        String column = r.path("column").isTextual() ? r.path("column").asText() : target + "_id";
        parents.add(new TableIntent.Parent(q(target), column));
    }

    private static String markers(JsonNode e, boolean tenantRoot) {
        List<String> m = new ArrayList<>();
        for (String marker : List.of("serviceOnly", "publicRead", "owner", "tenant", "tenantMembership", "belongsTo",
                "manyToMany")) {
            JsonNode v = e.path(marker);
            if (!v.isMissingNode() && !v.isNull() && !(v.isBoolean() && !v.asBoolean())) {
                m.add(marker);
            }
        }
        if (tenantRoot) {
            m.add("tenant of a membership");
        }
        return m.isEmpty() ? "default" : "marker (" + String.join(", ", m) + ")";
    }

    /** Why a grantee cannot apply to a table of this shape, or null. */
    static String misfit(Grantee g, TableIntent t, Tenancy tenancy) {
        return switch (g.kind()) {
            case OWNER -> t.ownerColumn() == null ? "`owner` needs an owner column: add owner: true"
                    + " to the entity" : null;
            case PARENT -> t.parents().isEmpty() ? "`parent` needs a parent: add belongsTo to the entity" : null;
            case MEMBER -> tenancy == null ? "`" + g.wire() + "` needs a tenant: add tenant: <entity> and a"
                    + " tenantMembership entity" : g.role() != null && !tenancy.roles().contains(g.role())
                    ? "`" + g.wire() + "` names no role of " + tenancy.membership() + " (" + String.join(", ",
                    tenancy.roles()) + ")" : null;
            default -> null;
        };
    }

    private static String local(String name) {
        int dot = name.indexOf('.');
        return dot < 0 ? name : name.substring(dot + 1);
    }

    private static String q(String name) {
        return SCHEMA + "." + name;
    }
}
