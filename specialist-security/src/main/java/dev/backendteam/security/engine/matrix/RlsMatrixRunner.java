package dev.backendteam.security.engine.matrix;

import dev.backendteam.contract.access.AccessIntent;
import dev.backendteam.contract.access.Operation;
import dev.backendteam.contract.access.TableIntent;
import dev.backendteam.contract.access.Tenancy;
import dev.backendteam.contract.evidence.RlsMatrix;
import dev.backendteam.sandbox.SandboxDatabase;
import dev.backendteam.sandbox.StatementOutcome;
import dev.backendteam.security.engine.catalog.SchemaCatalog;
import dev.backendteam.security.engine.policy.PolicyWriter;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import static dev.backendteam.security.engine.policy.Identifiers.ident;
import static dev.backendteam.security.engine.policy.Identifiers.literal;
import static dev.backendteam.security.engine.policy.Identifiers.qualified;

/**
 * Runs the RLS matrix (README, "The RLS matrix"): seeds the world as the table owner in one transaction that is
 * rolled back, executes every cell as its actor in a savepoint of its own, tells the grant layer from RLS by the
 * catalog, compares each verdict and row count with what the intent expects, then weakens each policy in turn (drop
 * it, make it true) and shows which cells change.
 */
public final class RlsMatrixRunner {

    /** One access case: the statements it runs and what the intent expects. */
    /**
     * @param expectedKeys  for a select: the keys of the rows the actor must see, sorted ({@code k1|k2,…}), so that
     *                      seeing the wrong rows in the right number is a mismatch
     * @param expectedState for an expected error: its SQLSTATE (23503 a restricting key, 23505 a key that exists)
     */
    public record Cell(String table, String operation, String actor, Actor as, List<String> sql,
            String privilege, String column, Verdict expected, long expectedRows, String expectedKeys,
            String expectedState) {

        Cell(String table, String operation, String actor, Actor as, List<String> sql, String privilege,
                String column, Verdict expected, long expectedRows) {
            this(table, operation, actor, as, sql, privilege, column, expected, expectedRows, null, null);
        }

        Cell failing(String state) {
            return new Cell(table, operation, actor, as, sql, privilege, column, Verdict.ERROR, 0, null, state);
        }

        Cell seeing(String keys) {
            return new Cell(table, operation, actor, as, sql, privilege, column, expected, expectedRows,
                    expected == Verdict.DENY_GRANT ? null : keys, expectedState);
        }

        public String id() {
            return table + "/" + operation + "/" + actor;
        }
    }

    /** A cell's observed verdict. */
    public record Observed(Verdict verdict, long rows, String keys, String sqlState, String error) {

        boolean sameAs(Observed o) {
            return verdict == o.verdict && rows == o.rows && java.util.Objects.equals(keys, o.keys)
                    && java.util.Objects.equals(sqlState, o.sqlState);
        }

        /** Whether this is what the cell expects: verdict, rows, and where given the rows' keys and the error. */
        boolean meets(Cell c) {
            return verdict == c.expected() && rows == c.expectedRows()
                    && (c.expectedKeys() == null || c.expectedKeys().equals(keys))
                    && (c.expectedState() == null || c.expectedState().equals(sqlState));
        }
    }

    /** The matrix, its cells, the seed, and whether every cell matched and every policy was shown to matter. */
    public record Outcome(RlsMatrix matrix, List<Cell> cells, List<String> seed, List<String> mismatches,
            List<String> insensitive, String seedError) {

        public boolean passed() {
            return seedError == null && mismatches.isEmpty() && insensitive.isEmpty();
        }
    }

    /** A policy to weaken: on table, its name, its command. */
    public record PolicyRef(String table, String name, String command) {
    }

    private final AccessIntent intent;
    private final SchemaCatalog catalog;
    private final World world;
    private final Expectations expectations;
    private final java.util.Set<String> targets;

    /** The matrix of {@code targets}; the other tables of the intent are seeded too (parents), not tested. */
    public RlsMatrixRunner(AccessIntent intent, SchemaCatalog catalog, java.util.Set<String> targets) {
        this.intent = intent;
        this.catalog = catalog;
        this.targets = java.util.Set.copyOf(targets);
        this.world = new World(intent, catalog, this.targets);
        this.expectations = new Expectations(intent, world);
    }

    public World world() {
        return world;
    }

    /** Every cell of every table with a primary key, expected verdicts derived from the intent. */
    public List<Cell> cells() {
        List<Cell> cells = new ArrayList<>();
        for (String name : world.tables()) {
            TableIntent t = intent.table(name).orElseThrow();
            SchemaCatalog.Table table = catalog.table(name).orElseThrow();
            if (table.primaryKey().isEmpty() || !targets.contains(name)) {
                continue;
            }
            // a table whose every column is a generated key has nothing an update could set: no update cell
            boolean updatable = table.columns().stream().anyMatch(SchemaCatalog.Column::writable);
            for (Actor a : world.actors(t)) {
                cells.add(select(t, table, a));
                cells.add(insert(t, table, a));
                if (updatable) {
                    cells.add(update(t, table, a));
                }
                cells.add(delete(t, table, a));
            }
            integrity(t, table, cells);
        }
        return cells;
    }

    private boolean privileged(TableIntent t, Actor a, Operation op) {
        return t.privileges(a.role()).contains(op);
    }

    private Cell select(TableIntent t, SchemaCatalog.Table table, Actor a) {
        List<World.Row> seen = world.rows(t.table()).stream()
                .filter(r -> expectations.allows(a, t, Operation.SELECT, r)).toList();
        String keys = String.join(",", seen.stream().map(r -> r.keyText(table.primaryKey())).sorted().toList());
        String key = "concat_ws('|', " + String.join(", ", table.primaryKey().stream().map(k -> ident(k) + "::text")
                .toList()) + ")";
        // the count and which rows: "2:k1,k2"
        return cell(t, "select", a, List.of("select count(*)::text || ':' || coalesce(string_agg(k, ',' order by k),"
                + " '') from (select " + key + " as k from " + qualified(t.table()) + ") as seen"), "select", null,
                privileged(t, a, Operation.SELECT), seen.size()).seeing(keys);
    }

    private Cell insert(TableIntent t, SchemaCatalog.Table table, Actor a) {
        World.Row row;
        if (t.membership()) {
            Tenancy tenancy = intent.tenancyOf(t).orElseThrow();
            row = world.row(t, 1, World.EVE, tenancy.roles().get(tenancy.roles().size() - 1), World.EVE);
        } else if (t.tenantRoot()) {
            row = world.row(t, 1, null, null, null);
        } else {
            // service_role writes for a user that has no row yet (a profile keyed by its user stays unique)
            UUID owner = a.signedIn() ? a.user() : a.service() ? World.EVE : null;
            row = world.newRow(t, owner);
        }
        boolean allowed = expectations.allows(a, t, Operation.INSERT, row);
        Cell c = cell(t, "insert", a, List.of(world.insert(row)), "insert", null, privileged(t, a, Operation.INSERT),
                allowed ? 1 : 0);
        // PostgreSQL checks grants, then the policies, then the key: an allowed row whose key exists is an error
        if (c.expected() == Verdict.ALLOW && world.collides(row, table.primaryKey())) {
            return c.failing("23505");
        }
        return c;
    }

    private Cell update(TableIntent t, SchemaCatalog.Table table, Actor a) {
        // service_role holds update on every column; a user only on the columns the update grant lists
        List<String> cols = a.service() ? table.columns().stream().filter(SchemaCatalog.Column::writable)
                .map(SchemaCatalog.Column::name).toList() : PolicyWriter.updatable(t, table);
        String column = cols.isEmpty() ? table.columns().stream().filter(SchemaCatalog.Column::writable)
                .map(SchemaCatalog.Column::name).findFirst().orElseThrow() : cols.get(0);
        long n = world.rows(t.table()).stream().filter(r -> expectations.allows(a, t, Operation.UPDATE, r)
                && expectations.allows(a, t, Operation.SELECT, r)).count();
        return cell(t, "update", a, List.of("update " + qualified(t.table()) + " set " + ident(column) + " = "
                + ident(column)), "update", column, privileged(t, a, Operation.UPDATE) && !cols.isEmpty(), n);
    }

    private Cell delete(TableIntent t, SchemaCatalog.Table table, Actor a) {
        List<World.Row> gone = world.rows(t.table()).stream()
                .filter(r -> expectations.allows(a, t, Operation.DELETE, r)).toList();
        Cell c = cell(t, "delete", a, List.of("delete from " + qualified(t.table())), "delete", null,
                privileged(t, a, Operation.DELETE), gone.size());
        if (c.expected() == Verdict.ALLOW && blocked(t, gone)) {
            return c.failing("23503");
        }
        return c;
    }

    /** Whether a seeded row of another table still references one of {@code gone} through a restricting key. */
    private boolean blocked(TableIntent t, List<World.Row> gone) {
        for (SchemaCatalog.Table other : catalog.tables()) {
            for (SchemaCatalog.ForeignKey f : other.foreignKeys()) {
                if (!f.ref().equals(t.table()) || !f.blocksDelete() || f.columns().size() != 1) {
                    continue;
                }
                for (World.Row r : world.rows(other.qualified())) {
                    if (gone.contains(r.parents().get(f.columns().get(0)))) {
                        return true;
                    }
                }
            }
        }
        return false;
    }

    /** insert-foreign, update-move and bootstrap, where the table has an owner or a tenant. */
    private void integrity(TableIntent t, SchemaCatalog.Table table, List<Cell> cells) {
        Optional<Tenancy> tenancy = intent.tenancyOf(t);
        if (t.tenantRoot()) {
            SchemaCatalog.Table membership = tenancy.flatMap(x -> catalog.table(x.membership())).orElse(null);
            SchemaCatalog.Column key = table.column(World.key(table)).orElse(null);
            if (membership == null || key == null || !key.type().equals("uuid")) {
                return;
            }
            for (Actor a : world.actors(t)) {
                if (!a.name().equals("other-user") && !a.name().equals("non-member")) {
                    continue;
                }
                World.Row row = world.row(t, 1, null, null, null);
                Tenancy x = tenancy.get();
                String count = "select count(*) from " + qualified(x.membership()) + " where "
                        + ident(x.tenantColumn()) + " = " + row.values().get(World.key(table)) + " and "
                        + ident(x.userColumn()) + " = " + literal(a.user().toString()) + "::uuid and "
                        + ident(x.roleColumn()) + "::text = " + literal(x.firstRole());
                boolean allowed = expectations.allows(a, t, Operation.INSERT, row);
                cells.add(cell(t, "bootstrap", a, List.of(world.insert(row), count), "insert", null,
                        privileged(t, a, Operation.INSERT), allowed ? 1 : 0));
            }
            return;
        }
        if (t.join() || t.ownerColumn() == null && t.tenantColumn() == null) {
            return;
        }
        boolean byOwner = t.ownerColumn() != null;
        Actor a = byOwner ? new Actor("owner", "authenticated", World.ALICE) : tenancy.map(x ->
                new Actor("member:" + x.firstRole(), "authenticated", world.memberOf(x.firstRole()))).orElse(null);
        if (a == null) {
            return;
        }
        World.Row foreign;
        if (t.membership()) {
            Tenancy x = tenancy.get();
            foreign = world.row(t, 1, World.BOB, x.roles().get(x.roles().size() - 1), World.BOB);
        } else {
            foreign = byOwner ? world.row(t, 1, World.BOB, null, null) : world.row(t, 2, a.user(), null, null);
        }
        boolean allowed = expectations.allows(a, t, Operation.INSERT, foreign);
        cells.add(cell(t, "insert-foreign", a, List.of(world.insert(foreign)), "insert", null,
                privileged(t, a, Operation.INSERT), allowed ? 1 : 0));
        String column = byOwner ? t.ownerColumn() : t.tenantColumn();
        World.Row mine = world.rows(t.table()).stream().filter(r -> r.world() == 1 && (!byOwner
                || World.ALICE.equals(r.owner()))).findFirst().orElse(null);
        if (mine == null) {
            return;
        }
        String target = byOwner ? literal(World.BOB.toString()) + "::uuid" : world.tenantKey(t.tenant(), 2);
        cells.add(new Cell(t.table(), "update-move", a.name(), a, List.of("update " + qualified(t.table())
                + " set " + ident(column) + " = " + target + " where " + mine.matches(table.primaryKey())),
                "update", column, Verdict.DENY_GRANT, 0));
    }

    private Cell cell(TableIntent t, String op, Actor a, List<String> sql, String privilege,
            String column, boolean privileged, long rows) {
        Verdict v = !privileged ? Verdict.DENY_GRANT : rows > 0 ? Verdict.ALLOW : Verdict.DENY_RLS;
        return new Cell(t.table(), op, a.name(), a, sql, privilege, column, v, v == Verdict.ALLOW ? rows : 0);
    }

    /** Runs every cell and every weakening of {@code policies}. */
    public Outcome run(SandboxDatabase db, List<PolicyRef> policies) {
        List<Cell> cells = cells();
        List<String> seed = world.seedStatements();
        Privileges privileges = Privileges.read(db, world.tables());
        return db.inRolledBackTransaction(tx -> {
            tx.actAsRunner();
            for (String s : seed) {
                StatementOutcome o = tx.execute(s);
                if (!o.ok()) {
                    return new Outcome(new RlsMatrix(db.grants().wire(), List.of()), cells, seed, List.of(),
                            List.of(), "seeding the world failed: " + o.error().summary() + " in: " + s);
                }
            }
            Map<String, Observed> observed = new LinkedHashMap<>();
            for (Cell c : cells) {
                observed.put(c.id(), observe(tx, c, privileges));
            }
            List<RlsMatrix.Case> cases = new ArrayList<>();
            List<String> mismatches = new ArrayList<>();
            for (Cell c : cells) {
                Observed o = observed.get(c.id());
                boolean ok = o.meets(c);
                if (!ok) {
                    mismatches.add(c.id() + ": expected " + c.expected().wire() + (c.expected() == Verdict.ALLOW
                            ? " (" + c.expectedRows() + " rows" + (c.expectedKeys() == null ? "" : ": "
                            + c.expectedKeys()) + ")" : "") + (c.expectedState() == null ? "" : " "
                            + c.expectedState()) + ", got " + o.verdict().wire()
                            + (o.verdict() == Verdict.ALLOW ? " (" + o.rows() + " rows" + (o.keys() == null ? ""
                            : ": " + o.keys()) + ")" : "") + (o.sqlState() == null ? "" : " " + o.sqlState())
                            + (o.error() == null ? "" : ": " + o.error()));
                }
                cases.add(new RlsMatrix.Case(c.table(), c.operation(), c.actor(), c.expected().wire(),
                        c.expectedRows(), o.verdict().wire(), o.rows(), o.sqlState(), o.error(), ok));
            }
            List<RlsMatrix.Sensitivity> sensitivity = new ArrayList<>();
            List<String> insensitive = new ArrayList<>();
            for (PolicyRef p : policies) {
                List<Cell> ofTable = cells.stream().filter(c -> c.table().equals(p.table())).toList();
                List<String> changedByDrop = weakened(tx, p, "drop policy " + ident(p.name()) + " on "
                        + qualified(p.table()), ofTable, observed, privileges);
                String trueSql = "alter policy " + ident(p.name()) + " on " + qualified(p.table()) + switch (p.command()) {
                    case "insert" -> " with check (true)";
                    case "select", "delete" -> " using (true)";
                    default -> " using (true) with check (true)";
                };
                List<String> changedByTrue = weakened(tx, p, trueSql, ofTable, observed, privileges);
                sensitivity.add(new RlsMatrix.Sensitivity(p.table(), p.name(), "drop", changedByDrop,
                        !changedByDrop.isEmpty()));
                sensitivity.add(new RlsMatrix.Sensitivity(p.table(), p.name(), "true", changedByTrue,
                        !changedByTrue.isEmpty()));
                // the matrix must notice the policy gone; "true" is reported too (it shows what the policy holds back)
                if (changedByDrop.isEmpty()) {
                    insensitive.add(p.table() + "." + p.name());
                }
            }
            return new Outcome(new RlsMatrix(db.grants().wire(), cases, sensitivity), cells, seed, mismatches,
                    insensitive, null);
        });
    }

    private List<String> weakened(SandboxDatabase.RolledBackTransaction tx, PolicyRef p, String weaken,
            List<Cell> cells, Map<String, Observed> baseline, Privileges privileges) throws SQLException {
        return tx.undone(u -> {
            u.actAsRunner();
            StatementOutcome w = u.execute(weaken);
            List<String> changed = new ArrayList<>();
            if (!w.ok()) {
                // a weakening that cannot be applied shows nothing: the policy counts as not shown to matter
                return changed;
            }
            for (Cell c : cells) {
                if (!observe(u, c, privileges).sameAs(baseline.get(c.id()))) {
                    changed.add(c.id());
                }
            }
            return changed;
        });
    }

    private Observed observe(SandboxDatabase.RolledBackTransaction tx, Cell c, Privileges privileges)
            throws SQLException {
        return tx.undone(u -> {
            u.actAs(c.as().role(), c.as().claims());
            StatementOutcome last = null;
            for (String s : c.sql()) {
                last = u.execute(s);
                if (!last.ok()) {
                    break;
                }
            }
            if (last.ok()) {
                String keys = null;
                long rows;
                if (c.operation().equals("select")) {
                    String seen = String.valueOf(last.rows().get(0).values().iterator().next());
                    rows = Long.parseLong(seen.substring(0, seen.indexOf(':')));
                    keys = seen.substring(seen.indexOf(':') + 1);
                } else {
                    rows = c.sql().get(c.sql().size() - 1).startsWith("select") ? count(last) : last.rowCount();
                }
                return new Observed(rows > 0 ? Verdict.ALLOW : Verdict.DENY_RLS, rows, keys, null, null);
            }
            String state = last.sqlState();
            String message = last.error().message();
            if ("42501".equals(state)) {
                if (!privileges.holds(c.as().role(), c.table(), c.privilege(), c.column())) {
                    return new Observed(Verdict.DENY_GRANT, 0, null, state, message);
                }
                if (message != null && message.contains("row-level security")) {
                    return new Observed(Verdict.DENY_RLS, 0, null, state, message);
                }
            }
            return new Observed(Verdict.ERROR, 0, null, state, message);
        });
    }

    private static long count(StatementOutcome o) {
        if (o.rows().isEmpty()) {
            return 0;
        }
        Object v = o.rows().get(0).values().iterator().next();
        return v instanceof Number n ? n.longValue() : Long.parseLong(String.valueOf(v));
    }

    /** The privileges each API role holds, read from the catalog before the matrix runs. */
    record Privileges(Map<String, Boolean> held) {

        static Privileges read(SandboxDatabase db, List<String> tables) {
            Map<String, Boolean> held = new HashMap<>();
            for (String table : tables) {
                for (Map<String, Object> r : db.query("""
                        select r.role, a.attname,
                               has_any_column_privilege(r.role, ?::text::regclass, 'SELECT') as s,
                               has_table_privilege(r.role, ?::text::regclass, 'INSERT') as i,
                               has_table_privilege(r.role, ?::text::regclass, 'DELETE') as d,
                               has_column_privilege(r.role, ?::text::regclass, a.attname, 'UPDATE') as u,
                               has_column_privilege(r.role, ?::text::regclass, a.attname, 'INSERT') as ci
                          from pg_attribute a
                          cross join (values ('anon'), ('authenticated'), ('service_role')) as r(role)
                         where a.attrelid = ?::text::regclass and a.attnum > 0 and not a.attisdropped""",
                        rel(table), rel(table), rel(table), rel(table), rel(table), rel(table))) {
                    String role = (String) r.get("role");
                    held.put(role + "|" + table + "|select|", (Boolean) r.get("s"));
                    held.put(role + "|" + table + "|insert|", (Boolean) r.get("i"));
                    held.put(role + "|" + table + "|delete|", (Boolean) r.get("d"));
                    held.put(role + "|" + table + "|update|" + r.get("attname"), (Boolean) r.get("u"));
                    held.put(role + "|" + table + "|insert|" + r.get("attname"), (Boolean) r.get("ci"));
                }
            }
            return new Privileges(held);
        }

        /** The table as regclass reads it: quoted where it must be ({@code public."Task"}). */
        private static String rel(String table) {
            return qualified(table);
        }

        boolean holds(String role, String table, String privilege, String column) {
            return held.getOrDefault(role + "|" + table + "|" + privilege + "|" + (column == null ? "" : column), false);
        }
    }
}
