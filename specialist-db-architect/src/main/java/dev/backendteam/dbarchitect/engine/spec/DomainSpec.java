package dev.backendteam.dbarchitect.engine.spec;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * A domain spec read into records, after it passed its JSON Schema ({@code domain-spec.schema.json}); every element
 * keeps its JSON Pointer so that later checks can say where a problem is.
 */
public record DomainSpec(List<Entity> entities, List<Query> queries) {

    public enum PrimaryKey {
        UUID, IDENTITY
    }

    public record Entity(String path, String name, String description, List<Field> fields, PrimaryKey primaryKey,
            List<Relation> belongsTo, Owner owner, Relation tenant, Membership membership, List<Relation> manyToMany,
            boolean softDelete, boolean publicRead, boolean serviceOnly, List<List<String>> unique,
            List<String> checks) {

        /** Targets this entity's rows reference, with where each is named. */
        public List<Relation> references() {
            List<Relation> refs = new ArrayList<>();
            if (tenant != null) {
                refs.add(tenant);
            }
            if (membership != null) {
                refs.add(new Relation(membership.path() + "/tenant", membership.tenant(), null, "cascade", false,
                        null));
            }
            refs.addAll(belongsTo);
            refs.addAll(manyToMany);
            return refs;
        }
    }

    /**
     * A column. {@code type} is canonical ("text", "numeric(12,2)", "uuid[]"…) or null for an enum;
     * {@code nullable} is null when the spec does not say.
     */
    public record Field(String path, String name, String type, List<String> enumValues, Boolean nullable,
            boolean unique, JsonNode defaultValue, String check, String description, boolean shorthand) {

        public boolean isEnum() {
            return !enumValues.isEmpty();
        }

        /** Where the type is written: the field itself for the shorthand, else its {@code type} key. */
        public String typePath() {
            return shorthand ? path : path + "/type";
        }
    }

    /** A reference to another entity: belongsTo, tenant or one side of manyToMany. */
    public record Relation(String path, String target, String column, String onDelete, Boolean nullable,
            String description) {
    }

    public record Owner(String path, String onDelete) {
    }

    public record Membership(String path, String tenant, List<String> roles, String defaultRole) {
    }

    public record Query(String path, String name, String sql) {
    }

    /** Reads a spec that is valid against the JSON Schema. */
    public static DomainSpec from(JsonNode root) {
        List<Entity> entities = new ArrayList<>();
        JsonNode list = root.path("entities");
        for (int i = 0; i < list.size(); i++) {
            entities.add(entity("/entities/" + i, list.get(i)));
        }
        List<Query> queries = new ArrayList<>();
        JsonNode qs = root.path("queries");
        for (int i = 0; i < qs.size(); i++) {
            JsonNode q = qs.get(i);
            queries.add(new Query("/queries/" + i, q.path("name").asText(), q.path("sql").asText()));
        }
        return new DomainSpec(List.copyOf(entities), List.copyOf(queries));
    }

    private static Entity entity(String path, JsonNode e) {
        List<Field> fields = new ArrayList<>();
        Iterator<Map.Entry<String, JsonNode>> it = e.path("fields").fields();
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> f = it.next();
            fields.add(field(path + "/fields/" + escape(f.getKey()), f.getKey(), f.getValue()));
        }
        List<Relation> belongsTo = new ArrayList<>();
        JsonNode b = e.path("belongsTo");
        if (b.isArray()) {
            for (int i = 0; i < b.size(); i++) {
                belongsTo.add(relation(path + "/belongsTo/" + i, b.get(i)));
            }
        } else if (!b.isMissingNode() && !b.isNull()) {
            belongsTo.add(relation(path + "/belongsTo", b));
        }
        List<Relation> manyToMany = new ArrayList<>();
        JsonNode m = e.path("manyToMany");
        for (int i = 0; i < m.size(); i++) {
            manyToMany.add(relation(path + "/manyToMany/" + i, m.get(i)));
        }
        JsonNode o = e.path("owner");
        Owner owner = o.isObject() ? new Owner(path + "/owner", text(o, "onDelete"))
                : o.asBoolean(false) ? new Owner(path + "/owner", null) : null;
        JsonNode t = e.path("tenant");
        Relation tenant = t.isTextual() ? new Relation(path + "/tenant", t.asText(), null, "cascade", false, null)
                : null;
        JsonNode tm = e.path("tenantMembership");
        Membership membership = tm.isObject() ? new Membership(path + "/tenantMembership",
                tm.path("tenant").asText(), strings(tm.path("roles")), text(tm, "defaultRole")) : null;
        List<List<String>> unique = new ArrayList<>();
        for (JsonNode u : e.path("unique")) {
            unique.add(strings(u));
        }
        return new Entity(path, e.path("name").asText(), text(e, "description"), List.copyOf(fields),
                "identity".equals(e.path("primaryKey").asText()) ? PrimaryKey.IDENTITY : PrimaryKey.UUID,
                List.copyOf(belongsTo), owner, tenant, membership, List.copyOf(manyToMany),
                e.path("softDelete").asBoolean(false), e.path("publicRead").asBoolean(false),
                e.path("serviceOnly").asBoolean(false), List.copyOf(unique), strings(e.path("checks")));
    }

    private static Field field(String path, String name, JsonNode f) {
        if (f.isTextual()) {
            String s = f.asText();
            boolean notNull = s.endsWith("!");
            return new Field(path, name, normaliseType(notNull ? s.substring(0, s.length() - 1) : s), List.of(),
                    notNull ? Boolean.FALSE : null, false, null, null, null, true);
        }
        JsonNode nullable = f.path("nullable");
        return new Field(path, name, f.has("type") ? normaliseType(f.path("type").asText()) : null,
                strings(f.path("enum")), nullable.isBoolean() ? nullable.asBoolean() : null,
                f.path("unique").asBoolean(false), f.has("default") ? f.get("default") : null, text(f, "check"),
                text(f, "description"), false);
    }

    private static Relation relation(String path, JsonNode r) {
        if (r.isTextual()) {
            return new Relation(path, r.asText(), null, null, null, null);
        }
        JsonNode nullable = r.path("nullable");
        return new Relation(path, r.path("entity").asText(), text(r, "column"), text(r, "onDelete"),
                nullable.isBoolean() ? nullable.asBoolean() : null, text(r, "description"));
    }

    /** "numeric(12, 2)" → "numeric(12,2)". */
    static String normaliseType(String type) {
        return type.replace(", ", ",");
    }

    private static String text(JsonNode node, String field) {
        JsonNode v = node.path(field);
        return v.isTextual() ? v.asText() : null;
    }

    private static List<String> strings(JsonNode array) {
        List<String> out = new ArrayList<>();
        for (JsonNode v : array) {
            out.add(v.asText());
        }
        return List.copyOf(out);
    }

    /** JSON Pointer escaping of one reference token. */
    public static String escape(String token) {
        return token.replace("~", "~0").replace("/", "~1");
    }
}
