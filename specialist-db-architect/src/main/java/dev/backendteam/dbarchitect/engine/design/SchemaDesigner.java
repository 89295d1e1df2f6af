package dev.backendteam.dbarchitect.engine.design;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.backendteam.dbarchitect.engine.design.TableDesign.Check;
import dev.backendteam.dbarchitect.engine.design.TableDesign.Column;
import dev.backendteam.dbarchitect.engine.design.TableDesign.ForeignKey;
import dev.backendteam.dbarchitect.engine.design.TableDesign.Index;
import dev.backendteam.dbarchitect.engine.design.TableDesign.Role;
import dev.backendteam.dbarchitect.engine.design.TableDesign.Unique;
import dev.backendteam.dbarchitect.engine.spec.DomainSpec;
import dev.backendteam.dbarchitect.engine.spec.SpecProblem;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Turns a domain spec into tables that follow the conventions of BRIEF §6: a uuid (or identity) key, foreign keys
 * with an explicit on delete and an index unless a key or unique constraint already leads with the column, join
 * tables keyed by their pair of references plus an index on the second, the owner column, check constraints for
 * closed value sets, created_at/updated_at. Reports what only a design can see: columns defined twice, generated
 * names over 63 bytes or colliding, defaults that do not fit their column, unique rules naming unknown columns.
 */
public final class SchemaDesigner {
    public static final String COLUMN_CONFLICT = "spec.column-conflict";
    public static final String IDENTIFIER_TOO_LONG = "spec.identifier-too-long";
    public static final String NAME_COLLISION = "spec.name-collision";
    public static final String UNKNOWN_COLUMN = "spec.unknown-column";
    public static final String INVALID_DEFAULT = "spec.invalid-default";

    private static final int MAX_IDENTIFIER_BYTES = 63;
    private static final String AUTH_USERS = "auth.users";
    private static final Pattern UUID = Pattern.compile(
            "^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$");
    private static final Set<String> TIME_EXPRESSIONS = Set.of("now()", "current_timestamp", "current_date",
            "current_time", "localtime", "localtimestamp");
    private static final ObjectMapper JSON = new ObjectMapper();

    public record Result(SchemaDesign design, List<SpecProblem> problems) {
    }

    private final ExistingSchema existing;
    private final Map<String, DomainSpec.Entity> byName = new LinkedHashMap<>();
    private final List<SpecProblem> problems = new ArrayList<>();

    private SchemaDesigner(DomainSpec spec, ExistingSchema existing) {
        this.existing = existing;
        spec.entities().forEach(e -> byName.putIfAbsent(e.name(), e));
    }

    public static Result design(DomainSpec spec, ExistingSchema existing) {
        SchemaDesigner designer = new SchemaDesigner(spec, existing);
        List<TableDesign> tables = new ArrayList<>();
        for (DomainSpec.Entity e : designer.ordered()) {
            tables.add(designer.table(e));
        }
        designer.collisions(tables);
        return new Result(new SchemaDesign(List.copyOf(tables)), List.copyOf(designer.problems));
    }

    /** Entities in dependency order; among independent ones, the spec's order. Cycles are reported elsewhere. */
    private List<DomainSpec.Entity> ordered() {
        List<DomainSpec.Entity> remaining = new ArrayList<>(byName.values());
        List<DomainSpec.Entity> ordered = new ArrayList<>();
        Set<String> placed = new java.util.HashSet<>();
        while (!remaining.isEmpty()) {
            DomainSpec.Entity next = remaining.stream().filter(e -> e.references().stream()
                    .map(DomainSpec.Relation::target).allMatch(t -> t.equals(e.name()) || !byName.containsKey(t)
                            || placed.contains(t))).findFirst().orElse(remaining.get(0));
            ordered.add(next);
            placed.add(next.name());
            remaining.remove(next);
        }
        return ordered;
    }

    /** The columns of a table under construction, with who defined each (for conflicts). */
    private final class Builder {
        final DomainSpec.Entity entity;
        final String table;
        final Map<String, String> origin = new LinkedHashMap<>();
        final List<Column> columns = new ArrayList<>();
        final List<ForeignKey> foreignKeys = new ArrayList<>();
        final List<Check> checks = new ArrayList<>();
        final List<Unique> uniques = new ArrayList<>();
        final List<Index> indexes = new ArrayList<>();
        List<String> primaryKey = List.of();

        Builder(DomainSpec.Entity entity) {
            this.entity = entity;
            this.table = entity.name();
        }

        boolean add(Column column, String path, String by) {
            String earlier = origin.putIfAbsent(column.name(), by);
            if (earlier != null) {
                problems.add(SpecProblem.error(path, COLUMN_CONFLICT, "column `" + column.name() + "` is defined"
                        + " twice: by " + earlier + " and by " + by, "Rename the field, or give the relation its"
                        + " own column (belongsTo: { entity: …, column: … })."));
                return false;
            }
            columns.add(column);
            return true;
        }

        void reference(DomainSpec.Relation r, String column, boolean nullable, String onDelete, Role role,
                String by) {
            Target target = target(r.target());
            if (add(new Column(column, target.keyType, nullable, null, false, List.of(), r.description()), r.path(),
                    by)) {
                foreignKeys.add(new ForeignKey(name(table + "_" + column + "_fkey"), column, target.schema,
                        target.table, target.keyColumn, onDelete, role));
            }
        }

        String name(String generated) {
            int bytes = generated.getBytes(StandardCharsets.UTF_8).length;
            if (bytes > MAX_IDENTIFIER_BYTES) {
                problems.add(SpecProblem.error(entity.path(), IDENTIFIER_TOO_LONG, "the generated name `"
                        + generated + "` is " + bytes + " bytes, over PostgreSQL's 63", "Shorten the entity's or the"
                        + " column's name."));
            }
            return generated;
        }
    }

    private record Target(String schema, String table, String keyColumn, String keyType) {
    }

    private Target target(String target) {
        if (target.equals(AUTH_USERS)) {
            return new Target("auth", "users", "id", "uuid");
        }
        // A table that already exists is referenced as it is, even when the spec describes it too.
        Optional<ExistingSchema.Table> t = existing.find(target);
        if (t.isPresent() && t.get().primaryKeyType() != null) {
            return new Target(t.get().schema(), t.get().name(), t.get().primaryKeyColumn(), t.get().primaryKeyType());
        }
        DomainSpec.Entity e = byName.get(target);
        if (e != null) {
            return new Target("public", e.name(), "id", e.primaryKey() == DomainSpec.PrimaryKey.IDENTITY ? "bigint"
                    : "uuid");
        }
        int dot = target.indexOf('.');
        // Unknown targets are reported by SpecChecks; design on so that every other problem is found too.
        return new Target(dot < 0 ? "public" : target.substring(0, dot), target.substring(dot + 1), "id", "uuid");
    }

    private static String columnFor(String target) {
        String name = target.substring(target.indexOf('.') + 1);
        return target.equals(AUTH_USERS) ? "user_id" : name + "_id";
    }

    private TableDesign table(DomainSpec.Entity e) {
        Builder b = new Builder(e);
        TableDesign.Kind kind = TableDesign.Kind.TABLE;
        if (e.membership() != null) {
            kind = TableDesign.Kind.MEMBERSHIP;
            DomainSpec.Membership m = e.membership();
            String tenantColumn = columnFor(m.tenant());
            b.reference(new DomainSpec.Relation(m.path() + "/tenant", m.tenant(), null, "cascade", false, null),
                    tenantColumn, false, "cascade", Role.TENANT, "tenantMembership.tenant");
            b.reference(new DomainSpec.Relation(m.path(), AUTH_USERS, null, "cascade", false, null), "user_id",
                    false, "cascade", Role.MEMBER, "tenantMembership (the member)");
            String role = m.defaultRole() != null ? m.defaultRole() : m.roles().get(m.roles().size() - 1);
            b.add(new Column("role", "text", false, literal(role), false, m.roles(), null), m.path(),
                    "tenantMembership (the role)");
            b.checks.add(new Check(b.name(b.table + "_role_check"), "role", inList("role", m.roles())));
            b.primaryKey = List.of(tenantColumn, "user_id");
        } else if (!e.manyToMany().isEmpty()) {
            kind = TableDesign.Kind.JOIN;
            List<String> key = new ArrayList<>();
            for (DomainSpec.Relation side : e.manyToMany()) {
                String column = side.column() != null ? side.column() : columnFor(side.target());
                b.reference(side, column, false, side.onDelete() != null ? side.onDelete() : "cascade", Role.JOIN,
                        "manyToMany (" + side.target() + ")");
                key.add(column);
            }
            b.primaryKey = List.copyOf(key);
        } else {
            Column id = e.primaryKey() == DomainSpec.PrimaryKey.IDENTITY
                    ? new Column("id", "bigint", false, null, true, List.of(), null)
                    : new Column("id", "uuid", false, "gen_random_uuid()", false, List.of(), null);
            b.add(id, e.path(), "the primary key");
            b.primaryKey = List.of("id");
        }
        if (e.tenant() != null) {
            b.reference(e.tenant(), columnFor(e.tenant().target()), false, "cascade", Role.TENANT, "tenant");
        }
        for (DomainSpec.Relation r : e.belongsTo()) {
            boolean self = r.target().equals(e.name());
            String column = r.column() != null ? r.column() : self ? "parent_id" : columnFor(r.target());
            boolean nullable = self || Boolean.TRUE.equals(r.nullable());
            b.reference(r, column, nullable, r.onDelete() != null ? r.onDelete() : "cascade", Role.BELONGS_TO,
                    "belongsTo " + r.target());
        }
        if (e.owner() != null) {
            if (b.add(new Column("user_id", "uuid", false, "auth.uid()", false, List.of(),
                    "The signed-in user who created the row."), e.owner().path(), "owner: true")) {
                b.foreignKeys.add(new ForeignKey(b.name(b.table + "_user_id_fkey"), "user_id", "auth", "users", "id",
                        e.owner().onDelete() != null ? e.owner().onDelete() : "cascade", Role.OWNER));
            }
        }
        for (DomainSpec.Field f : e.fields()) {
            field(b, f);
        }
        if (e.softDelete()) {
            b.add(new Column("deleted_at", "timestamptz", true, null, false, List.of(),
                    "Set when the row is deleted (soft delete); live rows have null."), e.path() + "/softDelete",
                    "softDelete");
        }
        b.add(new Column("created_at", "timestamptz", false, "now()", false, List.of(), null), e.path(),
                "the timestamps");
        b.add(new Column("updated_at", "timestamptz", false, "now()", false, List.of(), null), e.path(),
                "the timestamps");
        for (int i = 0; i < e.unique().size(); i++) {
            List<String> columns = e.unique().get(i);
            boolean known = true;
            for (int j = 0; j < columns.size(); j++) {
                if (!b.origin.containsKey(columns.get(j))) {
                    known = false;
                    problems.add(SpecProblem.error(e.path() + "/unique/" + i + "/" + j, UNKNOWN_COLUMN, "unknown"
                            + " column `" + columns.get(j) + "`; the table's columns are "
                            + String.join(", ", b.origin.keySet()), "Name columns of this entity."));
                }
            }
            if (known) {
                unique(b, columns);
            }
        }
        for (int i = 0; i < e.checks().size(); i++) {
            b.checks.add(new Check(b.name(b.table + "_check" + (i + 1)), null, e.checks().get(i)));
        }
        foreignKeyIndexes(b);
        String trigger = b.name(UpdatedAtFunction.trigger(b.table));
        String existingSource = existing.find(e.name()).map(ExistingSchema.Table::source).orElse(null);
        return new TableDesign(e, b.table, kind, List.copyOf(b.columns), b.primaryKey, List.copyOf(b.foreignKeys),
                List.copyOf(b.checks), List.copyOf(b.uniques), List.copyOf(b.indexes), trigger, existingSource);
    }

    private void field(Builder b, DomainSpec.Field f) {
        String type = f.type() != null ? f.type() : "text";
        String defaultSql = f.defaultValue() == null ? null : defaultSql(f, type);
        boolean nullable = f.nullable() != null ? f.nullable() : f.defaultValue() == null;
        if (!b.add(new Column(f.name(), type, nullable, defaultSql, false, f.enumValues(), f.description()),
                f.path(), "field " + f.name())) {
            return;
        }
        List<String> rules = new ArrayList<>();
        if (f.isEnum()) {
            rules.add(inList(f.name(), f.enumValues()));
        }
        if (f.check() != null) {
            rules.add(f.isEnum() ? "(" + f.check() + ")" : f.check());
        }
        if (!rules.isEmpty()) {
            b.checks.add(new Check(b.name(b.table + "_" + f.name() + "_check"), f.name(), String.join(" and ",
                    rules)));
        }
        if (f.unique()) {
            unique(b, List.of(f.name()));
        }
    }

    private void unique(Builder b, List<String> columns) {
        String cols = String.join("_", columns);
        if (b.entity.softDelete()) {
            String name = b.name("idx_" + b.table + "_" + cols);
            b.uniques.add(new Unique(name, columns, true));
            b.indexes.add(new Index(name, columns, true, "deleted_at is null"));
        } else {
            b.uniques.add(new Unique(b.name(b.table + "_" + cols + "_key"), columns, false));
        }
    }

    /** An index on every foreign-key column that no primary key or unique constraint already leads with. */
    private void foreignKeyIndexes(Builder b) {
        List<String> leading = new ArrayList<>();
        if (!b.primaryKey.isEmpty()) {
            leading.add(b.primaryKey.get(0));
        }
        b.uniques.stream().filter(u -> !u.liveRowsOnly()).forEach(u -> leading.add(u.columns().get(0)));
        for (ForeignKey fk : b.foreignKeys) {
            if (!leading.contains(fk.column())) {
                b.indexes.add(new Index(b.name("idx_" + b.table + "_" + fk.column()), List.of(fk.column()), false,
                        null));
                leading.add(fk.column());
            }
        }
    }

    /** Tables, indexes and constraint indexes share one namespace per schema. */
    private void collisions(List<TableDesign> tables) {
        Map<String, String> names = new HashMap<>();
        existing.tables().values().stream().filter(t -> t.schema().equals("public"))
                .forEach(t -> names.put(t.name(), "the existing table " + t.name()));
        for (TableDesign t : tables) {
            if (t.exists()) {
                continue;
            }
            List<String> relations = new ArrayList<>();
            relations.add(t.name());
            relations.add(t.name() + "_pkey");
            t.uniques().stream().filter(u -> !u.liveRowsOnly()).forEach(u -> relations.add(u.name()));
            t.indexes().forEach(i -> relations.add(i.name()));
            for (String name : relations) {
                String other = names.putIfAbsent(name, "table " + t.name());
                if (other != null && !(name.equals(t.name()) && other.equals("the existing table " + name))) {
                    problems.add(SpecProblem.error(t.entity().path(), NAME_COLLISION, "the generated name `" + name
                            + "` is also used by " + other, "Rename the entity or the column so the names differ."));
                }
            }
        }
    }

    private String defaultSql(DomainSpec.Field f, String type) {
        JsonNode v = f.defaultValue();
        String path = f.path() + "/default";
        if (v.isObject()) {
            return v.path("sql").asText();
        }
        String base = type.replaceAll("\\(.*\\)", "");
        if (type.endsWith("[]")) {
            return v.isTextual() ? literal(v.asText()) : invalid(path, "an array default is written as a string"
                    + " such as '{}'", null);
        }
        if (f.isEnum()) {
            return v.isTextual() && f.enumValues().contains(v.asText()) ? literal(v.asText())
                    : invalid(path, "`" + v.asText() + "` is not one of " + String.join(", ", f.enumValues()),
                    "Choose one of the enum's values.");
        }
        switch (base) {
            case "boolean":
                return v.isBoolean() ? v.asText() : invalid(path, "a boolean default is true or false", null);
            case "smallint", "integer", "bigint":
                return v.isIntegralNumber() ? v.asText() : invalid(path, "a " + base + " default is a whole number",
                        null);
            case "numeric", "real", "double precision":
                return v.isNumber() ? v.decimalValue().toPlainString() : invalid(path, "a " + base + " default is a"
                        + " number", null);
            case "uuid":
                if (v.isTextual() && v.asText().equals("gen_random_uuid()")) {
                    return "gen_random_uuid()";
                }
                return v.isTextual() && UUID.matcher(v.asText()).matches() ? literal(v.asText())
                        : invalid(path, "a uuid default is gen_random_uuid() or a uuid", null);
            case "timestamptz", "date", "time":
                if (v.isTextual() && TIME_EXPRESSIONS.contains(v.asText().toLowerCase(java.util.Locale.ROOT))) {
                    return v.asText().toLowerCase(java.util.Locale.ROOT);
                }
                return v.isTextual() ? literal(v.asText()) : invalid(path, "a " + base + " default is now(),"
                        + " current_date or a date/time string", null);
            case "jsonb":
                if (v.isTextual()) {
                    try {
                        JSON.readTree(v.asText());
                        return literal(v.asText()) + "::jsonb";
                    } catch (java.io.IOException e) {
                        return invalid(path, "a jsonb default is a string holding JSON, e.g. '{}'", null);
                    }
                }
                return invalid(path, "a jsonb default is a string holding JSON, e.g. '{}'", null);
            default:
                return v.isTextual() ? literal(v.asText()) : invalid(path, "a " + base + " default is a string", null);
        }
    }

    private String invalid(String path, String message, String fix) {
        problems.add(SpecProblem.error(path, INVALID_DEFAULT, message, fix != null ? fix
                : "Give a value of the column's type, or { sql: \"<expression>\" }."));
        return null;
    }

    static String literal(String value) {
        return "'" + value.replace("'", "''") + "'";
    }

    static String inList(String column, List<String> values) {
        return column + " in (" + values.stream().map(SchemaDesigner::literal).collect(Collectors.joining(", "))
                + ")";
    }
}
