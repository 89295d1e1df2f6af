package dev.backendteam.security.engine.matrix;

import dev.backendteam.contract.access.AccessIntent;
import dev.backendteam.contract.access.TableIntent;
import dev.backendteam.contract.access.Tenancy;
import dev.backendteam.security.engine.catalog.SchemaCatalog;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static dev.backendteam.security.engine.policy.Identifiers.ident;
import static dev.backendteam.security.engine.policy.Identifiers.literal;
import static dev.backendteam.security.engine.policy.Identifiers.qualified;

/**
 * The rows the RLS matrix runs against (README, "The RLS matrix"): users alice (owner), bob (other user, first-role
 * member of tenant T2), dave (member of nothing), one user per membership role in tenant T1 (alice has the last
 * role there); a world-1 and a world-2 row per table, a third world-1 row owned by the first-role member where a
 * table has an owner and a tenant. Keys are fixed (name-based UUIDs, numbers), so the pgTAP file reads the same
 * each time. The world is a plan: {@link #seedStatements()} inserts it as the table owner.
 */
public final class World {
    public static final UUID ALICE = user("alice");
    public static final UUID BOB = user("bob");
    public static final UUID DAVE = user("dave");
    public static final UUID EVE = user("eve");
    private static final Pattern QUOTED = Pattern.compile("'((?:[^']|'')*)'");

    /** One seeded (or hypothetical) row: its column values as SQL literals, whose it is, its tenant and parents. */
    public record Row(String table, int world, Map<String, String> values, UUID owner, String tenant,
            Map<String, Row> parents, String memberRole, UUID member) {

        /** The key as PostgreSQL prints it ({@code concat_ws('|', k1::text, …)}), for comparing which rows were seen. */
        public String keyText(List<String> key) {
            List<String> parts = new ArrayList<>();
            for (String k : key) {
                parts.add(rawValue(values.get(k)));
            }
            return String.join("|", parts);
        }

        /** {@code pk = value and …} for this row. */
        public String matches(List<String> key) {
            List<String> ands = new ArrayList<>();
            for (String k : key) {
                ands.add(ident(k) + " = " + values.get(k));
            }
            return String.join(" and ", ands);
        }
    }

    /** A literal of ours ({@code 'x'::uuid}, {@code 1001::bigint}) as its text value. */
    static String rawValue(String literal) {
        if (literal == null) {
            return "";
        }
        Matcher quoted = Pattern.compile("(?s)^'(.*)'::.*$").matcher(literal);
        if (quoted.matches()) {
            return quoted.group(1).replace("''", "'");
        }
        int cast = literal.indexOf("::");
        return cast < 0 ? literal : literal.substring(0, cast);
    }

    private final AccessIntent intent;
    private final SchemaCatalog catalog;
    private final Map<String, UUID> roleMembers = new LinkedHashMap<>();
    private final Map<String, List<Row>> rows = new LinkedHashMap<>();
    private final Map<String, String> tenants = new HashMap<>();
    private final List<String> order = new ArrayList<>();
    private final Set<String> relevant;
    private int counter;

    /** The world of {@code targets} and every table they reference (parents, tenants, memberships), recursively. */
    public World(AccessIntent intent, SchemaCatalog catalog, Set<String> targets) {
        this.intent = intent;
        this.catalog = catalog;
        this.relevant = closure(targets);
        for (Tenancy t : intent.tenancies()) {
            for (String role : t.roles()) {
                roleMembers.putIfAbsent(role, user("member:" + role));
            }
        }
        plan();
    }

    public static UUID user(String name) {
        return UUID.nameUUIDFromBytes(("backend-team rls matrix " + name).getBytes(StandardCharsets.UTF_8));
    }

    public UUID memberOf(String role) {
        return roleMembers.get(role);
    }

    public List<Row> rows(String table) {
        return rows.getOrDefault(table, List.of());
    }

    /** The tables in the order they are seeded (parents first). */
    public List<String> tables() {
        return order;
    }

    /** T1's or T2's key, as a SQL literal, for a tenant table. */
    public String tenantKey(String tenantTable, int world) {
        return tenants.get(tenantTable + "#" + world);
    }

    /** The role each user has in the tenant a key names (membership rows of the world). */
    public Optional<String> roleIn(UUID user, String tenantKey) {
        for (List<Row> list : rows.values()) {
            for (Row r : list) {
                if (r.memberRole() != null && user.equals(r.member()) && tenantKey.equals(r.tenant())) {
                    return Optional.of(r.memberRole());
                }
            }
        }
        return Optional.empty();
    }

    public List<Actor> actors(TableIntent t) {
        List<Actor> actors = new ArrayList<>();
        // the owner: of the row, or, off tenancy, of its parent (shares of a note: the note's owner may add them)
        if (t.ownerColumn() != null || intent.tenancyOf(t).isEmpty() && ownedAncestor(t, new HashSet<>())) {
            actors.add(new Actor("owner", "authenticated", ALICE));
        }
        actors.add(new Actor("other-user", "authenticated", BOB));
        if (intent.tenancyOf(t).isPresent()) {
            for (String role : intent.tenancyOf(t).get().roles()) {
                actors.add(new Actor("member:" + role, "authenticated", roleMembers.get(role)));
            }
            actors.add(new Actor("non-member", "authenticated", DAVE));
        }
        actors.add(Actor.ANON);
        actors.add(Actor.SERVICE_ROLE);
        return actors;
    }

    private boolean ownedAncestor(TableIntent t, Set<String> seen) {
        for (TableIntent.Parent p : t.parents()) {
            Optional<TableIntent> parent = intent.table(p.table());
            if (parent.isPresent() && seen.add(p.table())
                    && (parent.get().ownerColumn() != null || ownedAncestor(parent.get(), seen))) {
                return true;
            }
        }
        return false;
    }

    /** The insert statements of the whole world, parents first, users first of all. */
    public List<String> seedStatements() {
        List<String> sql = new ArrayList<>();
        Set<UUID> users = new java.util.LinkedHashSet<>(List.of(ALICE, BOB, DAVE, EVE));
        users.addAll(roleMembers.values());
        StringBuilder u = new StringBuilder("insert into auth.users (id, email) values ");
        int i = 0;
        for (UUID id : users) {
            u.append(i++ == 0 ? "" : ", ").append("(").append(literal(id.toString())).append(", ")
                    .append(literal(name(id) + "@example.test")).append(")");
        }
        sql.add(u + " on conflict (id) do nothing");
        for (String table : order) {
            boolean keyed = !catalog.table(table).orElseThrow().primaryKey().isEmpty();
            for (Row r : rows(table)) {
                // a trigger on auth.users (handle_new_user) may have made the row already: the world's keys are kept
                sql.add(insert(r) + (keyed ? " on conflict do nothing" : ""));
            }
        }
        return sql;
    }

    public String name(UUID id) {
        if (id.equals(ALICE)) {
            return "alice";
        }
        if (id.equals(BOB)) {
            return "bob";
        }
        if (id.equals(DAVE)) {
            return "dave";
        }
        if (id.equals(EVE)) {
            return "eve";
        }
        return roleMembers.entrySet().stream().filter(e -> e.getValue().equals(id)).map(e -> "member_" + e.getKey())
                .findFirst().orElse(id.toString());
    }

    /** {@code insert into t (…) values (…)}, with {@code overriding system value} for identity keys. */
    public String insert(Row r) {
        SchemaCatalog.Table table = catalog.table(r.table()).orElseThrow();
        boolean identity = r.values().keySet().stream().anyMatch(c -> table.column(c)
                .map(x -> "a".equals(x.identity())).orElse(false));
        return "insert into " + qualified(r.table()) + " (" + String.join(", ", r.values().keySet().stream()
                .map(c -> ident(c)).toList()) + ")" + (identity ? " overriding system value" : "") + " values ("
                + String.join(", ", r.values().values()) + ")";
    }

    private Set<String> closure(Set<String> targets) {
        Set<String> all = new HashSet<>();
        java.util.Deque<String> todo = new java.util.ArrayDeque<>(targets);
        while (!todo.isEmpty()) {
            String t = todo.pop();
            if (!all.add(t)) {
                continue;
            }
            catalog.table(t).ifPresent(x -> x.foreignKeys().forEach(f -> todo.add(f.ref())));
            intent.table(t).flatMap(intent::tenancyOf).ifPresent(x -> {
                todo.add(x.tenant());
                todo.add(x.membership());
            });
        }
        return all;
    }

    private void plan() {
        Set<String> done = new HashSet<>();
        List<TableIntent> pending = new ArrayList<>(intent.tables().stream()
                .filter(t -> catalog.table(t.table()).isPresent() && relevant.contains(t.table())).toList());
        while (!pending.isEmpty()) {
            TableIntent next = pending.stream().filter(t -> dependencies(t).stream().allMatch(d -> done.contains(d)
                    || pending.stream().noneMatch(p -> p.table().equals(d)))).findFirst().orElse(pending.get(0));
            pending.remove(next);
            done.add(next.table());
            order.add(next.table());
            planTable(next);
        }
    }

    private Set<String> dependencies(TableIntent t) {
        Set<String> deps = new HashSet<>();
        catalog.table(t.table()).ifPresent(x -> x.foreignKeys().forEach(f -> {
            if (!f.ref().equals(t.table())) {
                deps.add(f.ref());
            }
        }));
        return deps;
    }

    private void planTable(TableIntent t) {
        List<Row> list = new ArrayList<>();
        rows.put(t.table(), list);
        if (t.membership()) {
            Tenancy tenancy = intent.tenancyOf(t).orElseThrow();
            String last = tenancy.roles().get(tenancy.roles().size() - 1);
            list.add(row(t, 1, ALICE, last, ALICE));
            for (String role : tenancy.roles()) {
                list.add(row(t, 1, roleMembers.get(role), role, roleMembers.get(role)));
            }
            list.add(row(t, 2, BOB, tenancy.firstRole(), BOB));
        } else {
            list.add(row(t, 1, ALICE, null, null));
            list.add(row(t, 2, BOB, null, null));
            Optional<Tenancy> tenancy = intent.tenancyOf(t);
            if (t.ownerColumn() != null && tenancy.isPresent() && !t.tenantRoot()) {
                list.add(row(t, 1, roleMembers.get(tenancy.get().firstRole()), null, null));
            }
        }
        if (t.tenantRoot()) {
            SchemaCatalog.Table table = catalog.table(t.table()).orElseThrow();
            for (Row r : list) {
                tenants.put(t.table() + "#" + r.world(), r.values().get(key(table)));
            }
        }
    }

    /**
     * A row of world {@code world} attributed to {@code owner}; for the membership table, {@code member} with
     * {@code memberRole}. Also used for the hypothetical rows the insert cases write.
     */
    public Row row(TableIntent t, int world, UUID owner, String memberRole, UUID member) {
        return row(t, world, owner, memberRole, member, Map.of(), null);
    }

    /**
     * A new world-1 row for an insert case: for a join table, the first pair of world-1 parents not yet joined
     * (re-inserting a seeded pair would only hit the primary key).
     */
    public Row newRow(TableIntent t, UUID owner) {
        Row first = row(t, 1, owner, null, null);
        SchemaCatalog.Table table = catalog.table(t.table()).orElseThrow();
        if (!collides(first, table.primaryKey())) {
            return first;
        }
        // a key holding a user who is not the owner (shared_with): a user no row names yet
        Row otherUser = row(t, 1, owner, null, null, Map.of(), EVE);
        if (!collides(otherUser, table.primaryKey()) || t.parents().isEmpty()) {
            return collides(otherUser, table.primaryKey()) ? first : otherUser;
        }
        // a key made of parents (and the owner): the first world-1 combination of parents not taken yet
        List<List<Row>> choices = new ArrayList<>();
        for (TableIntent.Parent p : t.parents()) {
            choices.add(rows(p.table()).stream().filter(r -> r.world() == 1).toList());
        }
        for (Map<String, Row> combination : combinations(t.parents(), choices, 0, new LinkedHashMap<>())) {
            Row candidate = row(t, 1, owner, null, null, combination, null);
            if (!collides(candidate, table.primaryKey())) {
                return candidate;
            }
        }
        return first;
    }

    private static List<Map<String, Row>> combinations(List<TableIntent.Parent> parents, List<List<Row>> choices,
            int at, Map<String, Row> so) {
        if (at == parents.size()) {
            return List.of(new LinkedHashMap<>(so));
        }
        List<Map<String, Row>> all = new ArrayList<>();
        for (Row r : choices.get(at)) {
            so.put(parents.get(at).column(), r);
            all.addAll(combinations(parents, choices, at + 1, so));
            so.remove(parents.get(at).column());
        }
        return all;
    }

    /** Whether a seeded row of the table has the same key. */
    public boolean collides(Row row, List<String> key) {
        if (key.isEmpty() || !row.values().keySet().containsAll(key)) {
            return false;
        }
        return rows(row.table()).stream().anyMatch(r -> key.stream().allMatch(k -> row.values().get(k)
                .equals(r.values().get(k))));
    }

    private Row row(TableIntent t, int world, UUID owner, String memberRole, UUID member, Map<String, Row> chosen,
            UUID userRef) {
        SchemaCatalog.Table table = catalog.table(t.table()).orElseThrow();
        Map<String, String> values = new LinkedHashMap<>();
        Map<String, Row> parents = new LinkedHashMap<>();
        int n = ++counter;
        int ordinal = rows(t.table()).size() + 1;
        String tenant = null;
        Optional<Tenancy> tenancy = intent.tenancyOf(t);
        for (SchemaCatalog.Column c : table.columns()) {
            String name = c.name();
            Optional<SchemaCatalog.ForeignKey> fk = table.foreignKey(name);
            String value = null;
            if (t.membership() && tenancy.isPresent() && name.equals(tenancy.get().roleColumn())) {
                value = literal(memberRole) + "::" + c.type();
            } else if (name.equals(t.ownerColumn())) {
                value = owner == null ? "null" : literal(owner.toString()) + "::uuid";
            } else if (name.equals(t.tenantColumn())) {
                value = tenantKey(t.tenant(), world);
                tenant = value;
            } else if (fk.isPresent() && fk.get().ref().equals("auth.users")) {
                value = literal((userRef != null ? userRef : owner == null ? ALICE : owner).toString()) + "::uuid";
            } else if (fk.isPresent() && !fk.get().ref().equals(t.table()) && !rows(fk.get().ref()).isEmpty()) {
                Row parent = chosen.containsKey(name) ? chosen.get(name) : rows(fk.get().ref()).stream()
                        .filter(p -> p.world() == world).findFirst().orElse(rows(fk.get().ref()).get(0));
                SchemaCatalog.Table pt = catalog.table(fk.get().ref()).orElseThrow();
                value = parent.values().get(fk.get().refColumns().get(0));
                if (value == null) {
                    value = parent.values().get(key(pt));
                }
                parents.put(name, parent);
                if (tenant == null && parent.tenant() != null) {
                    tenant = parent.tenant();
                }
            } else if (table.primaryKey().contains(name) || (c.notNull() && !c.hasDefault() && c.writable())) {
                value = generated(table, c, world, n, ordinal, table.columns().indexOf(c));
            }
            if (value != null && c.writable() || value != null && table.primaryKey().contains(name)) {
                values.put(name, value);
            }
        }
        if (t.tenantRoot()) {
            tenant = values.get(key(table));
        }
        return new Row(t.table(), world, values, owner, tenant, parents, memberRole, member);
    }

    static String key(SchemaCatalog.Table table) {
        return table.primaryKey().size() == 1 ? table.primaryKey().get(0) : "id";
    }

    /** A value of the column's type that its checks accept, as a SQL literal with its cast. */
    private String generated(SchemaCatalog.Table table, SchemaCatalog.Column c, int world, int n, int ordinal,
            int position) {
        String type = c.type();
        if (!c.enumValues().isEmpty()) {
            return literal(c.enumValues().get(0)) + "::" + type;
        }
        if (type.endsWith("[]")) {
            return "'{}'::" + type;
        }
        String base = type.replaceAll("\\(.*\\)", "").trim();
        return switch (base) {
            case "uuid" -> literal(user(table.qualified() + "#" + n).toString()) + "::uuid";
            // small numbers (a weekday, a rating) and times that grow with the column (opens_at < closes_at)
            case "smallint", "integer", "bigint", "numeric", "real", "double precision" -> (key(table).equals(c.name())
                    ? 1000 * world + n : ordinal) + "::" + type;
            case "boolean" -> "false";
            case "timestamp with time zone", "timestamp without time zone" -> "(now() + interval '" + position
                    + " hours')::" + type;
            case "date" -> "current_date + " + position;
            case "time without time zone", "time with time zone" -> "'" + String.format("%02d", Math.min(23,
                    6 + position)) + ":00'::" + type;
            case "interval" -> "'1 day'::interval";
            case "json", "jsonb" -> "'{}'::" + type;
            case "bytea" -> "'\\x00'::bytea";
            case "inet", "cidr" -> "'127.0.0.1'::" + type;
            default -> checkedValue(table, c).orElse(literal("w" + world + " " + table.name() + " " + n)) + "::"
                    + type;
        };
    }

    /** The first value a check constraint on the column lists ({@code status in ('todo', …)}), if any. */
    private static Optional<String> checkedValue(SchemaCatalog.Table table, SchemaCatalog.Column c) {
        for (String check : table.checks()) {
            if (check.matches("(?s).*\\b" + Pattern.quote(c.name()) + "\\b.*")) {
                Matcher m = QUOTED.matcher(check);
                if (m.find()) {
                    return Optional.of("'" + m.group(1) + "'");
                }
            }
        }
        return Optional.empty();
    }
}
