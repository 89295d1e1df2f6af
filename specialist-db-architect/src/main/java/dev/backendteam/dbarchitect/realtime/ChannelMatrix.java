package dev.backendteam.dbarchitect.realtime;

import dev.backendteam.contract.evidence.RlsMatrix;
import dev.backendteam.dbarchitect.realtime.RealtimePlan.Access;
import dev.backendteam.dbarchitect.realtime.RealtimePlan.Channel;
import dev.backendteam.dbarchitect.realtime.RealtimePlan.Hop;
import dev.backendteam.dbarchitect.realtime.RealtimePlan.Scope;
import dev.backendteam.sandbox.JwtClaims;
import dev.backendteam.sandbox.SandboxDatabase;
import dev.backendteam.sandbox.SandboxDatabase.RolledBackTransaction;
import dev.backendteam.sandbox.StatementOutcome;

import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * The channel matrix: every channel's policies on {@code realtime.messages} exercised as Realtime exercises them
 * (README "The websocket role"), in one rolled-back transaction of the sandbox. A world of two tenants (alice is a
 * member of the first, bob of the second, dave of none; or, for owner channels, alice and bob own one scope row
 * each), then per topic (the first world's, the second's, a row that does not exist) × extension (broadcast,
 * presence) × operation (select = receive, which join needs for either extension; insert = send / track) × actor
 * (alice, bob, dave, anon, service_role) the verdict the plan expects against the one PostgreSQL gives. Receive is a
 * message inserted by the runner (as the Realtime server inserts its probe) and selected back as the actor with
 * {@code realtime.topic} set; send is an insert as the actor. A denial by a missing grant is told apart from RLS.
 * Then each policy is weakened (dropped, made true) and the matrix run again: a policy no cell depends on proves
 * nothing, and fails the matrix. Policy-level only: no Realtime server runs here.
 */
public final class ChannelMatrix {
    static final UUID ALICE = user("alice");
    static final UUID BOB = user("bob");
    static final UUID DAVE = user("dave");
    private static final List<String> EXTENSIONS = List.of("broadcast", "presence");
    private static final List<String> OPERATIONS = List.of("select", "insert");
    static final String NOT_RUN = "not_run";

    /** The matrix (RLS-matrix evidence), whether every cell and every weakening came out as the plan says. */
    public record Outcome(RlsMatrix matrix, boolean passed, String details) {
    }

    private record Actor(String label, String role, UUID user, int world) {
        JwtClaims claims() {
            return switch (role) {
                case "anon" -> JwtClaims.anon();
                case "service_role" -> JwtClaims.serviceRole();
                default -> JwtClaims.authenticated(user);
            };
        }
    }

    private record Topic(Channel channel, String topic, int world, String label) {
    }

    /** A fixture the schema would not take: the matrix cannot run, and says why. */
    static final class FixtureException extends RuntimeException {
        FixtureException(String message) {
            super(message);
        }
    }

    private ChannelMatrix() {
    }

    public static Outcome run(SandboxDatabase db, RealtimePlan plan, SchemaGraph graph) {
        if (plan.channels().isEmpty()) {
            return new Outcome(new RlsMatrix(db.grants().wire(), List.of()), true, "no channel in the plan");
        }
        Map<String, Map<String, Boolean>> grants = new LinkedHashMap<>();
        for (String role : List.of("anon", "authenticated", "service_role")) {
            Map<String, Object> row = db.query("select has_table_privilege(?, 'realtime.messages', 'select') as s,"
                    + " has_table_privilege(?, 'realtime.messages', 'insert') as i,"
                    + " (select rolbypassrls from pg_roles where rolname = ?) as bypass", role, role, role).get(0);
            grants.put(role, Map.of("select", Boolean.TRUE.equals(row.get("s")), "insert",
                    Boolean.TRUE.equals(row.get("i")), "bypass", Boolean.TRUE.equals(row.get("bypass"))));
        }
        Set<String> existing = new LinkedHashSet<>();
        db.query("select policyname::text as p from pg_policies where schemaname = 'realtime' and tablename = 'messages'")
                .forEach(r -> existing.add(String.valueOf(r.get("p"))));
        try {
            return db.inRolledBackTransaction(tx -> {
                tx.actAsRunner();
                for (Object[] u : new Object[][] {{ALICE, "alice"}, {BOB, "bob"}, {DAVE, "dave"}}) {
                    must(tx.execute("insert into auth.users (id, email) values (?, ?)", u[0],
                            u[1] + "@realtime.example"), "auth.users");
                }
                List<Topic> topics = new ArrayList<>();
                Map<Channel, List<Actor>> actors = new LinkedHashMap<>();
                for (Channel c : plan.channels()) {
                    String role = null;
                    Seeded world1 = null;
                    for (int world = 1; world <= 2; world++) {
                        Seeded s = seed(tx, c, graph, world, world == 1 ? ALICE : BOB);
                        world1 = world1 == null ? s : world1;
                        role = s.memberRole();
                        topics.add(new Topic(c, c.prefix() + ":" + s.scopeKey(), world, c.prefix() + ":{"
                                + (c.scope().tenancy() ? "tenant " + world : (world == 1 ? "alice's" : "bob's")) + "}"));
                    }
                    topics.add(new Topic(c, c.prefix() + ":" + unknownKey(c.scope()), 0, c.prefix() + ":{no such "
                            + c.scope().table() + "}"));
                    topics.addAll(attacks(c, plan, world1.scopeKey()));
                    String first = c.scope().tenancy() ? "member:" + (role == null ? "any" : label(role)) : "owner";
                    actors.put(c, List.of(new Actor(first, "authenticated", ALICE, 1),
                            new Actor("other-user", "authenticated", BOB, 2),
                            new Actor("non-member", "authenticated", DAVE, 0), new Actor("anon", "anon", null, -1),
                            new Actor("service_role", "service_role", null, -2)));
                }
                List<RlsMatrix.Case> cases = cases(tx, topics, actors, grants);
                List<RlsMatrix.Sensitivity> sensitivity = new ArrayList<>();
                for (Channel c : plan.channels()) {
                    for (String[] p : new String[][] {{c.receivePolicy(), "using"}, {c.sendPolicy(), "with check"}}) {
                        if (!existing.contains(p[0])) {
                            continue;
                        }
                        for (String weakening : List.of("drop", "true")) {
                            List<RlsMatrix.Case> weakened = tx.undone(u -> {
                                u.actAsRunner();
                                must(u.execute(weakening.equals("drop")
                                        ? "drop policy " + RealtimeMigration.ident(p[0]) + " on realtime.messages"
                                        : "alter policy " + RealtimeMigration.ident(p[0]) + " on realtime.messages "
                                        + p[1] + " (true)"), "weakening " + p[0]);
                                return cases(u, topics, actors, grants);
                            });
                            List<String> changed = new ArrayList<>();
                            for (int i = 0; i < cases.size(); i++) {
                                if (!cases.get(i).actual().equals(weakened.get(i).actual())) {
                                    RlsMatrix.Case x = cases.get(i);
                                    changed.add(x.table() + "/" + x.operation() + "/" + x.actor());
                                }
                            }
                            sensitivity.add(new RlsMatrix.Sensitivity("realtime.messages", p[0], weakening, changed,
                                    !changed.isEmpty()));
                        }
                    }
                }
                long wrong = cases.stream().filter(x -> !x.ok()).count();
                long notRun = cases.stream().filter(x -> NOT_RUN.equals(x.actual())).count();
                List<String> blind = sensitivity.stream().filter(s -> !s.sensitive())
                        .map(s -> s.policy() + " (" + s.weakening() + ")").distinct().toList();
                StringBuilder details = new StringBuilder(cases.size() + " case(s) on " + topics.size()
                        + " topic(s), policy-level (no Realtime server runs here): " + (cases.size() - wrong - notRun)
                        + " as the plan says");
                if (notRun > 0) {
                    details.append("; ").append(notRun).append(" not run (service_role has no BYPASSRLS in this"
                            + " sandbox's grant model)");
                }
                if (wrong > 0) {
                    details.append("; ").append(wrong).append(" not: ").append(String.join("; ", cases.stream()
                            .filter(x -> !x.ok()).limit(6).map(x -> x.actor() + " " + x.operation() + " " + x.table()
                                    + " expected " + x.expected() + ", got " + x.actual()
                                    + (x.error() == null ? "" : " (" + x.sqlState() + " " + x.error() + ")")).toList()));
                }
                if (!blind.isEmpty()) {
                    details.append("; no cell depends on ").append(String.join(", ", blind));
                }
                details.append("; ").append(sensitivity.size()).append(" weakening(s) of ")
                        .append(sensitivity.stream().map(RlsMatrix.Sensitivity::policy).distinct().count())
                        .append(" polic(ies) run");
                return new Outcome(new RlsMatrix(db.grants().wire(), cases, sensitivity), wrong == 0 && blind.isEmpty(),
                        details.toString());
            });
        } catch (FixtureException e) {
            return new Outcome(new RlsMatrix(db.grants().wire(), List.of()), false,
                    "the matrix's world could not be built: " + e.getMessage());
        }
    }

    /**
     * Topics no user may join, built from the first world's key: a suffix after the key ({@code project:<key>:x}, which
     * a policy reading the text after the first colon admits), the key under a prefix no channel has, and a uuid key
     * in upper case (Realtime compares topics as text: another spelling is another channel).
     */
    private static List<Topic> attacks(Channel c, RealtimePlan plan, String key) {
        String first = c.scope().tenancy() ? "tenant 1" : "alice's";
        List<Topic> out = new ArrayList<>();
        out.add(new Topic(c, c.prefix() + ":" + key + ":x", 0, c.prefix() + ":{" + first + "}:x"));
        Set<String> prefixes = new LinkedHashSet<>();
        plan.channels().forEach(ch -> prefixes.add(ch.prefix()));
        String other = c.prefix() + "x";
        while (prefixes.contains(other)) {
            other = other + "x";
        }
        out.add(new Topic(c, other + ":" + key, 0, other + ":{" + first + "}"));
        if ("uuid".equals(c.scope().keyType()) && !key.equals(key.toUpperCase(Locale.ROOT))) {
            out.add(new Topic(c, c.prefix() + ":" + key.toUpperCase(Locale.ROOT), 0, c.prefix()
                    + ":{" + first + ", upper case}"));
        }
        return out;
    }

    private static List<RlsMatrix.Case> cases(RolledBackTransaction tx, List<Topic> topics,
            Map<Channel, List<Actor>> actors, Map<String, Map<String, Boolean>> grants) throws SQLException {
        List<RlsMatrix.Case> out = new ArrayList<>();
        for (Topic t : topics) {
            for (String ext : EXTENSIONS) {
                String table = "realtime.messages " + ext + " on " + t.label();
                for (String op : OPERATIONS) {
                    for (Actor a : actors.get(t.channel())) {
                        out.add(one(tx, t, ext, op, a, table, grants.get(a.role())));
                    }
                }
            }
        }
        return out;
    }

    private static RlsMatrix.Case one(RolledBackTransaction tx, Topic t, String ext, String op, Actor a, String table,
            Map<String, Boolean> grant) throws SQLException {
        Channel c = t.channel();
        boolean allowed;
        if (a.role().equals("service_role")) {
            if (!grant.get("bypass")) {
                // the service role bypasses RLS on Supabase; a sandbox whose service_role does not cannot show it
                return new RlsMatrix.Case(table, op, a.label(), "allow", null, NOT_RUN, null, null,
                        "not run: service_role has no BYPASSRLS in this sandbox's grant model", true);
            }
            allowed = true;
        } else if (a.role().equals("anon") || !c.extensions().contains(ext)) {
            allowed = false;
        } else {
            Access rule = op.equals("select") ? c.join() : c.send();
            allowed = switch (rule) {
                case MEMBER, OWNER -> t.world() > 0 && a.world() == t.world();
                case AUTHENTICATED -> t.world() > 0;
                case NONE -> false;
            };
        }
        boolean granted = grant.get(op);
        String expected = allowed ? "allow" : granted ? "deny-rls" : "deny-grant";
        StatementOutcome o = tx.undone(u -> {
            Object id = null;
            if (op.equals("select")) {
                u.actAsRunner();
                StatementOutcome probe = u.execute("insert into realtime.messages (topic, extension, private)"
                        + " values (?, ?, true) returning id", t.topic(), ext);
                must(probe, "the probe message on " + t.topic());
                id = probe.rows().get(0).get("id");
            }
            u.actAs(a.role(), a.claims());
            u.execute("select set_config('realtime.topic', ?, true)", t.topic());
            return op.equals("select")
                    ? u.execute("select count(*) as n from realtime.messages where topic = ? and extension = ? and id = ?",
                    t.topic(), ext, id)
                    : u.execute("insert into realtime.messages (topic, extension, event, payload, private)"
                    + " values (?, ?, 'probe', '{}', true)", t.topic(), ext);
        });
        String actual;
        Long rows = null;
        if (o.ok()) {
            rows = op.equals("select") ? ((Number) o.rows().get(0).get("n")).longValue() : o.rowCount();
            actual = rows > 0 ? "allow" : "deny-rls";
        } else if ("42501".equals(o.sqlState()) && o.error().message().contains("row-level security")) {
            actual = "deny-rls";
        } else if ("42501".equals(o.sqlState()) && o.error().message().contains("table messages")) {
            actual = "deny-grant";
        } else {
            actual = "error";
        }
        return new RlsMatrix.Case(table, op, a.label(), expected, null, actual, rows, o.sqlState(),
                o.ok() ? null : o.error().message(), expected.equals(actual));
    }

    /** The rows of one world: the tenant, the rows down to the scope, the user's membership; or the owned scope row. */
    private record Seeded(String scopeKey, String memberRole) {
    }

    private static Seeded seed(RolledBackTransaction tx, Channel c, SchemaGraph graph, int world, UUID user)
            throws SQLException {
        Scope s = c.scope();
        Rows rows = new Rows(tx, graph, world, user);
        if (!s.tenancy()) {
            return new Seeded(rows.insert(s.table(), Map.of(), 0), null);
        }
        // each row returns the column the row below it references (the key, or another unique column)
        List<String> tenantWants = new ArrayList<>(List.of(s.membershipTenantRef()));
        tenantWants.add(s.hops().isEmpty() ? s.key() : s.hops().get(s.hops().size() - 1).toColumn());
        Map<String, String> tenant = rows.insert(s.tenant(), Map.of(), 0, tenantWants);
        Map<String, String> above = tenant;
        for (int i = s.hops().size() - 1; i >= 0; i--) {
            Hop h = s.hops().get(i);
            SchemaGraph.Table from = graph.table(h.from()).orElseThrow();
            String want = i > 0 ? s.hops().get(i - 1).toColumn() : s.key();
            above = rows.insert(h.from(), Map.of(h.column(), cast(value(above, h.toColumn(), h.to()), from,
                    h.column())), 0, List.of(want));
        }
        String current = value(above, s.key(), s.table());
        SchemaGraph.Table m = graph.table(s.membership()).orElseThrow();
        Map<String, String> fixed = new LinkedHashMap<>();
        fixed.put(s.membershipTenantColumn(), cast(value(tenant, s.membershipTenantRef(), s.tenant()), m,
                s.membershipTenantColumn()));
        fixed.put(s.membershipUserColumn(), "'" + user + "'::uuid");
        String role = m.column("role").map(col -> Rows.closedValue(m, col, true))
                .orElse(null);
        if (role != null) {
            fixed.put("role", role);
        }
        rows.insert(s.membership(), fixed, 0);
        return new Seeded(current, role == null ? null : role.replaceAll("^'(.*)'(::.*)?$", "$1"));
    }

    private static String value(Map<String, String> row, String column, String table) {
        String v = row.get(column);
        if (v == null) {
            throw new FixtureException("the fixture row of " + table + " has no " + column + " for the next step of"
                    + " the scope's path");
        }
        return v;
    }

    private static String cast(String keyText, SchemaGraph.Table t, String column) {
        return RealtimeMigration.literal(keyText) + "::" + t.column(column).orElseThrow().type();
    }

    private static String unknownKey(Scope s) {
        String type = s.keyType() == null ? "" : s.keyType();
        if (type.contains("int") || type.startsWith("numeric")) {
            return "-42";
        }
        if (type.equals("uuid")) {
            return user("no such " + s.table()).toString();
        }
        return "no-such-" + s.table();
    }

    private static String label(String role) {
        String l = role.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9_]", "_");
        return l.isEmpty() ? "any" : l;
    }

    static UUID user(String name) {
        return UUID.nameUUIDFromBytes(("backend-team channel matrix " + name).getBytes(StandardCharsets.UTF_8));
    }

    static void must(StatementOutcome o, String what) {
        if (!o.ok()) {
            throw new FixtureException(what + ": " + o.error().sqlState() + " " + o.error().message());
        }
    }

    /** Fixture rows: required columns filled by type, references followed (a world's own parents), users by world. */
    private static final class Rows {
        private final RolledBackTransaction tx;
        private final SchemaGraph graph;
        private final int world;
        private final UUID user;
        private int counter;

        Rows(RolledBackTransaction tx, SchemaGraph graph, int world, UUID user) {
            this.tx = tx;
            this.graph = graph;
            this.world = world;
            this.user = user;
        }

        /** Inserts a row; its key as text, or null for a composite key (a membership row is not needed back). */
        String insert(String tableName, Map<String, String> fixed, int depth) throws SQLException {
            List<String> key = graph.table(tableName).orElseThrow().key();
            if (key.size() != 1) {
                insert(tableName, fixed, depth, List.of());
                return null;
            }
            return insert(tableName, fixed, depth, key).get(key.get(0));
        }

        /** Inserts a row and returns the {@code wanted} columns as text. */
        Map<String, String> insert(String tableName, Map<String, String> fixed, int depth, List<String> wanted)
                throws SQLException {
            SchemaGraph.Table t = graph.table(tableName).orElseThrow();
            if (depth > 4) {
                throw new FixtureException("references of " + tableName + " nest too deep");
            }
            List<String> cols = new ArrayList<>();
            List<String> values = new ArrayList<>();
            for (SchemaGraph.Column col : t.columns()) {
                String value = fixed.get(col.name());
                if (value == null) {
                    SchemaGraph.ForeignKey fk = t.foreignKeys().stream().filter(f -> f.column().equals(col.name()))
                            .findFirst().orElse(null);
                    if (fk != null && fk.refTable().equals(SchemaGraph.AUTH_USERS)) {
                        value = "'" + user + "'::uuid";
                    } else if (fk != null && col.notNull() && !col.filled()) {
                        if (fk.refTable().startsWith("public.")) {
                            String ref = insert(fk.refTable(), Map.of(), depth + 1, List.of(fk.refColumn()))
                                    .get(fk.refColumn());
                            if (ref == null) {
                                throw new FixtureException(fk.refTable() + "." + fk.refColumn() + " is null in its"
                                        + " fixture row");
                            }
                            value = cast(ref, t, col.name());
                        } else {
                            throw new FixtureException(tableName + "." + col.name() + " references " + fk.refTable());
                        }
                    } else if (col.notNull() && !col.filled()) {
                        value = literal(t, col);
                    }
                }
                if (value != null) {
                    cols.add(RealtimeMigration.ident(col.name()));
                    values.add(value);
                }
            }
            List<String> back = wanted.stream().distinct().toList();
            String returning = back.isEmpty() ? "" : " returning " + String.join(", ", java.util.stream.IntStream
                    .range(0, back.size()).mapToObj(i -> RealtimeMigration.ident(back.get(i)) + "::text as c" + i)
                    .toList());
            String sql = cols.isEmpty() ? "insert into public." + RealtimeMigration.ident(tableName)
                    + " default values" + returning
                    : "insert into public." + RealtimeMigration.ident(tableName) + " (" + String.join(", ", cols)
                    + ") values (" + String.join(", ", values) + ")" + returning;
            StatementOutcome o = tx.execute(sql);
            must(o, "fixture row of " + tableName);
            Map<String, String> row = new LinkedHashMap<>();
            for (int i = 0; i < back.size(); i++) {
                Object v = o.rows().get(0).get("c" + i);
                row.put(back.get(i), v == null ? null : String.valueOf(v));
            }
            return row;
        }

        private String literal(SchemaGraph.Table t, SchemaGraph.Column col) {
            String closed = closedValue(t, col, false);
            if (closed != null) {
                return closed;
            }
            String type = col.type().toLowerCase(Locale.ROOT);
            if (type.endsWith("[]")) {
                return "'{}'";
            }
            if (type.startsWith("text") || type.startsWith("character") || type.startsWith("citext")) {
                return RealtimeMigration.literal("realtime " + t.name() + " " + world + "-" + (++counter));
            }
            if (type.equals("uuid")) {
                return "gen_random_uuid()";
            }
            if (type.startsWith("smallint") || type.startsWith("integer") || type.startsWith("bigint")
                    || type.startsWith("numeric") || type.startsWith("real") || type.startsWith("double")) {
                return String.valueOf(world * 100 + (++counter));
            }
            if (type.equals("boolean")) {
                return "false";
            }
            if (type.startsWith("timestamp")) {
                return "now()";
            }
            if (type.equals("date")) {
                return "current_date";
            }
            if (type.equals("jsonb") || type.equals("json")) {
                return "'{}'";
            }
            if (type.startsWith("interval")) {
                return "'1 hour'";
            }
            return RealtimeMigration.literal("realtime " + world + "-" + (++counter)) + "::" + col.type();
        }

        /** An enum label or a value of the column's check list: the last (least privileged role) or the first. */
        static String closedValue(SchemaGraph.Table t, SchemaGraph.Column col, boolean last) {
            List<String> values = !col.enumLabels().isEmpty() ? col.enumLabels() : t.allowedValues().get(col.name());
            if (values == null || values.isEmpty()) {
                return null;
            }
            String v = last ? values.get(values.size() - 1) : values.get(0);
            return RealtimeMigration.literal(v) + (col.enumLabels().isEmpty() ? "" : "::" + col.type());
        }
    }
}
