package dev.backendteam.dbarchitect.api;

import dev.backendteam.contract.Evidence;
import dev.backendteam.contract.Finding;
import dev.backendteam.contract.evidence.EvidenceKind;
import dev.backendteam.contract.evidence.RlsMatrix;
import dev.backendteam.sandbox.SandboxDatabase;
import dev.backendteam.sandbox.StatementOutcome;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Calls every view and function the Data API serves as each actor (owner, stranger, authenticated non-member, anon,
 * service_role) on the seeded world, each call in its own rolled-back savepoint, and compares what came back with what
 * the access intent allows ({@link ApiIntent#visible}, evaluated as the tables' owner): the same rows for this role's
 * own views and functions, never a row outside it for anyone else's; a denial is told apart by the catalog — a missing
 * grant ({@code deny-grant}) or the policies ({@code deny-rls}). Also plans each function's statement (EXPLAIN) as
 * the owner under the policies. One evidence per object, its cases as an {@code rls-matrix} payload.
 */
final class ApiMatrix {
    static final String CHECK = "api matrix: ";
    static final String EXPLAIN = "explain: ";
    private static final int PLAN_LINES = 40;

    record Result(List<Evidence> evidence, List<Finding> findings) {
    }

    private final ApiCatalog catalog;
    private final ApiIntent intent;
    private final ApiDesign design;
    private final String grants;

    ApiMatrix(ApiCatalog catalog, ApiIntent intent, ApiDesign design, String grants) {
        this.catalog = catalog;
        this.intent = intent;
        this.design = design;
        this.grants = grants;
    }

    Result run(SandboxDatabase db) {
        List<Evidence> evidence = new ArrayList<>();
        List<Finding> findings = new ArrayList<>();
        db.inRolledBackTransaction(tx -> {
            long started = System.nanoTime();
            ApiWorld world = new ApiWorld(catalog, intent);
            if (!world.seed(tx)) {
                evidence.add(new Evidence(CHECK + "seed", false, "the world could not be seeded: " + world.error(),
                        millis(started)));
                return null;
            }
            Set<String> own = new LinkedHashSet<>();
            for (ApiDesign.ViewDef v : design.views()) {
                own.add("public." + v.name());
                evidence.add(object("public." + v.name(), "select", v.table(), v.key(), v.filter(), true,
                        "select " + keyExpr("x", v.key()) + " as k from public." + Sql.ident(v.name()) + " x",
                        tx, world, findings));
            }
            for (ApiDesign.Rpc r : design.rpcs()) {
                own.add("public." + r.name());
                evidence.add(switch (r.kind()) {
                    case SEARCH -> search(r, tx, world, findings);
                    case COUNT -> count(r, tx, world, findings);
                    case CREATE_WITH -> createWith(r, tx, world, findings);
                });
                evidence.add(explain(r, tx, world));
            }
            for (ApiCatalog.View v : catalog.views()) {
                if (own.contains("public." + v.name())) {
                    continue;
                }
                foreignView(v, tx, world, findings).ifPresent(evidence::add);
            }
            for (ApiCatalog.Function f : catalog.functions()) {
                if (f.callable() && !own.contains(f.schema() + "." + f.name())) {
                    foreignFunction(f, tx, world, findings).ifPresent(evidence::add);
                }
            }
            return null;
        });
        return new Result(evidence, findings);
    }

    // ---- this role's objects: exactly the rows the intent allows ----

    private Evidence search(ApiDesign.Rpc r, SandboxDatabase.RolledBackTransaction tx, ApiWorld world,
            List<Finding> findings) throws SQLException {
        String call = "select " + keyExpr("x", List.of(r.key())) + " as k from public." + Sql.ident(r.name())
                + "(p_query => '', p_limit => 1000) x";
        Evidence e = object("public." + r.name(), "call", r.table(), List.of(r.key()), r.filter(), true, call, tx,
                world, findings);
        if (!readable(r.table(), Actor.SERVICE_ROLE)) {
            return e; // the keyset is checked on the service role's rows; without its grants there are none to page
        }
        // the keyset: the service role's first page of one row, then the page after it
        String oracle = "select string_agg(k, ',' order by k) from (select " + keyExpr("x", List.of(r.key()))
                + " as k, x." + Sql.ident(r.key()) + " as key from " + Sql.qualified(r.table()) + " x"
                + (r.filter() == null ? "" : " where x." + r.filter()) + " order by x." + Sql.ident(r.key())
                + " limit 2) s";
        String pages = "select (select " + keyExpr("a", List.of(r.key())) + " from public." + Sql.ident(r.name())
                + "(p_query => '', p_limit => 1) a) || ',' || coalesce((select " + keyExpr("b", List.of(r.key()))
                + " from public." + Sql.ident(r.name()) + "(p_query => '', p_after => (select c." + Sql.ident(r.key())
                + " from public." + Sql.ident(r.name()) + "(p_query => '', p_limit => 1) c), p_limit => 1) b), '')";
        StatementOutcome expected = tx.execute(oracle);
        String want = value(expected);
        String got = tx.undone(t -> {
            t.actAs("service_role", Actor.SERVICE_ROLE.claims());
            return value(t.execute(pages));
        });
        boolean ok = Objects.equals(want, got);
        RlsMatrix m = EvidenceKind.read(e.data(), RlsMatrix.class).orElseThrow();
        List<RlsMatrix.Case> cases = new ArrayList<>(m.cases());
        cases.add(new RlsMatrix.Case("public." + r.name(), "keyset", "service_role", "allow", 2L, ok ? "allow"
                : "error", got == null ? 0L : (long) got.split(",").length, null, ok ? null : "pages " + got
                + ", expected " + want, ok));
        if (!ok) {
            findings.add(ApiRules.standard().finding("api.intent-mismatch", "public." + r.name(), "its keyset pages"
                    + " (p_limit 1, then p_after) returned " + got + " instead of " + want));
        }
        boolean passed = e.passed() && ok;
        return new Evidence(e.check(), passed, e.details() + (ok ? "; keyset: two pages of one row follow the key"
                : "; keyset pages wrong"), e.durationMs()).with(EvidenceKind.RLS_MATRIX.wrap(new RlsMatrix(grants,
                cases)));
    }

    private Evidence count(ApiDesign.Rpc r, SandboxDatabase.RolledBackTransaction tx, ApiWorld world,
            List<Finding> findings) throws SQLException {
        long started = System.nanoTime();
        String object = "public." + r.name();
        List<RlsMatrix.Case> cases = new ArrayList<>();
        List<String> wrong = new ArrayList<>();
        for (Actor a : Actor.ALL) {
            boolean readable = readable(r.table(), a);
            String oracle = "select string_agg(k || ':' || n, ',' order by k) from (select x." + Sql.ident(r.column())
                    + "::text as k, count(*) as n from " + Sql.qualified(r.table()) + " x where "
                    + (r.filter() == null ? "" : "x." + r.filter() + " and ") + intent.visible(r.table(), "x", a)
                    + " and x." + Sql.ident(r.column()) + " is not null group by 1) s";
            String want = readable ? orEmpty(value(tx.execute(oracle))) : null;
            String call = "select string_agg(x." + Sql.ident(r.column()) + "::text || ':' || x.total, ',' order by"
                    + " x." + Sql.ident(r.column()) + "::text) from public." + Sql.ident(r.name()) + "() x where x."
                    + Sql.ident(r.column()) + " is not null";
            cases.add(judge(object, "call", a, readable, want, call, tx, executable(r.name(), a), wrong));
        }
        return matrixEvidence(object, cases, wrong, findings, started);
    }

    private Evidence createWith(ApiDesign.Rpc r, SandboxDatabase.RolledBackTransaction tx, ApiWorld world,
            List<Finding> findings) throws SQLException {
        long started = System.nanoTime();
        String object = "public." + r.name();
        ApiCatalog.Relation left = catalog.relation(r.table()).orElseThrow();
        List<String> args = new ArrayList<>();
        List<String> parentChecks = new ArrayList<>();
        for (ApiDesign.Param p : r.params()) {
            String column = p.name().substring(2);
            if (p.name().equals("p_" + otherName(r) + "_ids")) {
                Object other = world.first(r.otherTable(), 1).map(x -> x.values().get("id")).orElse(null);
                args.add(p.name() + " => " + (other == null ? "'{}'" : "array[" + Sql.literal(String.valueOf(other))
                        + "]") + "::" + p.type());
                continue;
            }
            if (p.defaultSql() != null) {
                continue;
            }
            Optional<ApiCatalog.ForeignKey> fk = left.foreignKey(column);
            if (fk.isPresent() && !fk.get().ref().equals("auth.users")) {
                Object v = world.first(fk.get().ref(), 1).map(x -> x.values().get(fk.get().refColumns().get(0)))
                        .orElse(null);
                String lit = v == null ? "null" : Sql.literal(String.valueOf(v)) + "::" + p.type();
                args.add(p.name() + " => " + lit);
                parentChecks.add("exists (select 1 from " + Sql.qualified(fk.get().ref()) + " q where q."
                        + Sql.ident(fk.get().refColumns().get(0)) + " = " + lit + " and %s)");
            } else {
                args.add(p.name() + " => " + ApiWorld.generated(left, left.column(column).orElseThrow(), 1, 9000));
            }
        }
        String call = "select x." + Sql.ident(r.key()) + "::text as id from public." + Sql.ident(r.name()) + "("
                + String.join(", ", args) + ") x";
        List<RlsMatrix.Case> cases = new ArrayList<>();
        List<String> wrong = new ArrayList<>();
        for (Actor a : Actor.ALL) {
            boolean granted = executable(r.name(), a);
            boolean allowed = a.user() != null && !intent.table(r.table()).orElseThrow().rule(
                    dev.backendteam.contract.access.Operation.INSERT).isEmpty();
            for (String check : parentChecks) {
                String parentTable = check.substring("exists (select 1 from ".length(), check.indexOf(" q where"));
                String cond = check.formatted(a.user() == null ? "false" : intent.visible(parentTable
                        .replace("\"", ""), "q", a));
                allowed &= "true".equals(value(tx.execute("select (" + cond + ")::text")));
            }
            String expected = !granted || a.user() == null ? "deny-grant" : allowed ? "allow" : "deny-rls";
            RlsMatrix.Case c = tx.undone(t -> {
                t.actAs(a.role(), a.claims());
                StatementOutcome o = t.execute(call);
                t.actAsRunner();
                String actual = verdict(o, granted);
                long links = 0;
                String owner = null;
                if (o.ok() && !o.rows().isEmpty() && o.rows().get(0).get("id") != null) {
                    String id = String.valueOf(o.rows().get(0).get("id"));
                    links = count(t.execute("select count(*) as n from " + Sql.qualified(r.join()) + " where "
                            + Sql.ident(r.column()) + "::text = " + Sql.literal(id)));
                    String ownerColumn = intent.table(r.table()).orElseThrow().ownerColumn();
                    if (ownerColumn != null) {
                        owner = value(t.execute("select " + Sql.ident(ownerColumn) + "::text from "
                                + Sql.qualified(r.table()) + " where " + Sql.ident(r.key()) + "::text = "
                                + Sql.literal(id)));
                    }
                }
                boolean rowsOk = !actual.equals("allow") || links == 1 && (owner == null || a.user() != null
                        && owner.equals(a.user().toString()));
                boolean ok = actual.equals(expected) && rowsOk;
                return new RlsMatrix.Case(object, "call", a.name(), expected, expected.equals("allow") ? 1L : 0L,
                        actual, actual.equals("allow") ? 1L : 0L, o.sqlState(), o.ok() ? (rowsOk ? null
                        : links + " link row(s), owner " + owner) : o.error().message(), ok);
            });
            if (!c.ok()) {
                wrong.add(a.name() + ": expected " + c.expected() + ", got " + c.actual()
                        + (c.error() == null ? "" : " (" + c.error() + ")"));
            }
            cases.add(c);
        }
        return matrixEvidence(object, cases, wrong, findings, started);
    }

    private static String otherName(ApiDesign.Rpc r) {
        return r.other().endsWith("_id") ? r.other().substring(0, r.other().length() - 3) : r.other();
    }

    /**
     * A relation-returning object called as every actor: with {@code exact}, the keys must be the intent's rows of
     * {@code table} (with {@code filter}); otherwise none may lie outside them.
     */
    private Evidence object(String object, String operation, String table, List<String> key, String filter,
            boolean exact, String call, SandboxDatabase.RolledBackTransaction tx, ApiWorld world,
            List<Finding> findings) throws SQLException {
        long started = System.nanoTime();
        List<RlsMatrix.Case> cases = new ArrayList<>();
        List<String> wrong = new ArrayList<>();
        String local = object.substring(object.indexOf('.') + 1).replaceAll("\\(.*$", "");
        for (Actor a : Actor.ALL) {
            boolean readable = readable(table, a);
            String oracle = "select string_agg(k, ',' order by k) from (select " + keyExpr("x", key) + " as k from "
                    + Sql.qualified(table) + " x where " + (filter == null ? "" : "x." + filter + " and ")
                    + intent.visible(table, "x", a) + ") s";
            String want = orEmpty(value(tx.execute(oracle)));
            String wrapped = "select string_agg(k, ',' order by k) from (" + call + ") s";
            boolean granted = operation.equals("select") ? catalog.relation(local).map(r -> r.may(a.role(),
                    "select")).orElse(false) || a.service() && granted(tx, object, a) : executable(local, a);
            if (exact) {
                cases.add(judge(object, operation, a, readable, readable ? want : null, wrapped, tx, granted, wrong));
            } else {
                cases.add(within(object, operation, a, want, wrapped, tx, granted, wrong));
            }
        }
        return matrixEvidence(object, cases, wrong, findings, started);
    }

    private boolean granted(SandboxDatabase.RolledBackTransaction tx, String object, Actor a) throws SQLException {
        return "true".equals(value(tx.execute("select has_table_privilege(" + Sql.literal(a.role()) + ", "
                + Sql.literal(object) + ", 'SELECT')::text")));
    }

    /** Runs {@code call} as {@code a}; allowed when the intent lets it read, with exactly {@code want}'s keys. */
    private RlsMatrix.Case judge(String object, String operation, Actor a, boolean readable, String want, String call,
            SandboxDatabase.RolledBackTransaction tx, boolean granted, List<String> wrong) throws SQLException {
        String expected = readable ? "allow" : "deny-grant";
        return tx.undone(t -> {
            t.actAs(a.role(), a.claims());
            StatementOutcome o = t.execute(call);
            String actual = verdict(o, granted);
            String got = o.ok() ? orEmpty(value(o)) : null;
            boolean ok = actual.equals(expected) && (!readable || Objects.equals(want, got));
            RlsMatrix.Case c = new RlsMatrix.Case(object, operation, a.name(), expected, want == null ? 0L
                    : (long) size(want), actual, got == null ? 0L : (long) size(got), o.sqlState(), o.ok() ? (ok
                    ? null : "rows " + got + ", the intent allows " + want) : o.error().message(), ok);
            if (!ok) {
                wrong.add(a.name() + ": expected " + expected + (readable ? " " + size(want) + " row(s)" : "")
                        + ", got " + actual + (got == null ? "" : " " + size(got) + " row(s)")
                        + (o.ok() ? "" : " (" + o.sqlState() + " " + o.error().message() + ")"));
            }
            return c;
        });
    }

    /** Runs {@code call} as {@code a}: whatever it returns must lie within {@code allowed}'s keys. */
    private RlsMatrix.Case within(String object, String operation, Actor a, String allowed, String call,
            SandboxDatabase.RolledBackTransaction tx, boolean granted, List<String> wrong) throws SQLException {
        return tx.undone(t -> {
            t.actAs(a.role(), a.claims());
            StatementOutcome o = t.execute(call);
            String actual = verdict(o, granted);
            String got = o.ok() ? orEmpty(value(o)) : "";
            Set<String> allowedKeys = Set.of(allowed.isEmpty() ? new String[0] : allowed.split(","));
            List<String> extra = got.isEmpty() ? List.of() : java.util.Arrays.stream(got.split(","))
                    .filter(k -> !allowedKeys.contains(k)).toList();
            boolean ok = extra.isEmpty();
            if (!ok) {
                wrong.add(a.name() + ": " + extra.size() + " row(s) the intent does not let " + a.name() + " read ("
                        + String.join(", ", extra.stream().limit(3).toList()) + ")");
            }
            return new RlsMatrix.Case(object, operation, a.name(), "within-intent", (long) allowedKeys.size(), actual,
                    (long) size(got), o.sqlState(), ok ? (o.ok() ? null : o.error().message()) : extra.size()
                    + " row(s) outside the intent", ok);
        });
    }

    // ---- objects of the user or of earlier steps: never a row outside the intent ----

    private Optional<Evidence> foreignView(ApiCatalog.View v, SandboxDatabase.RolledBackTransaction tx, ApiWorld world,
            List<Finding> findings) throws SQLException {
        List<String> tables = v.reads().stream().filter(r -> intent.table(r).isPresent()).toList();
        ApiCatalog.Relation view = catalog.relation(v.name()).orElseThrow();
        if (tables.size() != 1) {
            return Optional.empty();
        }
        ApiCatalog.Relation t = catalog.relation(tables.get(0)).orElseThrow();
        if (t.primaryKey().isEmpty() || !view.columns().stream().map(ApiCatalog.Column::name).toList()
                .containsAll(t.primaryKey())) {
            return Optional.empty();
        }
        return Optional.of(object(view.qualified(), "select", t.qualified(), t.primaryKey(), null, false, "select "
                + keyExpr("x", t.primaryKey()) + " as k from " + Sql.qualified(view.qualified()) + " x", tx, world,
                findings));
    }

    private Optional<Evidence> foreignFunction(ApiCatalog.Function f, SandboxDatabase.RolledBackTransaction tx,
            ApiWorld world, List<Finding> findings) throws SQLException {
        List<String> args = new ArrayList<>();
        for (ApiCatalog.Arg a : f.args()) {
            if (a.hasDefault()) {
                break;
            }
            String v = sample(a.type());
            if (v == null) {
                return Optional.empty();
            }
            args.add(v);
        }
        String relation = f.returnRelation();
        Optional<ApiCatalog.Relation> t = relation == null ? Optional.empty() : catalog.relation(relation)
                .filter(r -> intent.table(r.qualified()).isPresent() && !r.primaryKey().isEmpty());
        String target = Sql.qualified(f.schema() + "." + f.name()) + "(" + String.join(", ", args) + ")";
        if (t.isPresent()) {
            return Optional.of(object(f.signature(), "call", t.get().qualified(), t.get().primaryKey(), null, false,
                    "select " + keyExpr("x", t.get().primaryKey()) + " as k from " + target + " x", tx, world,
                    findings));
        }
        return Optional.empty();
    }

    /** What a foreign function gets for an argument: another user's id for every uuid (the caller's is never it). */
    private static String sample(String type) {
        return switch (type) {
            case "uuid" -> Sql.literal(Actor.OWNER_ID.toString()) + "::uuid";
            case "text", "character varying" -> "''::text";
            case "integer", "bigint", "smallint", "numeric" -> "100::" + type;
            case "boolean" -> "false";
            default -> null;
        };
    }

    // ---- plans ----

    private Evidence explain(ApiDesign.Rpc r, SandboxDatabase.RolledBackTransaction tx, ApiWorld world)
            throws SQLException {
        long started = System.nanoTime();
        String statement = switch (r.kind()) {
            case SEARCH -> r.bodyWith(Map.of("p_query", "'a'", "p_after", "null::" + r.keyType(), "p_limit", "20"));
            case COUNT -> r.bodyWith(Map.of("p_ids", "null::" + r.keyType() + "[]"));
            case CREATE_WITH -> "select " + ApiDesign.columnList("x", r.columns()) + " from " + Sql.qualified(r.source())
                    + " x where x." + Sql.ident(r.key()) + " = " + world.first(r.table(), 1).map(x -> Sql.literal(
                    String.valueOf(x.values().get(r.key()))) + "::" + r.keyType()).orElse("null");
        };
        String label = r.kind() == ApiDesign.Kind.CREATE_WITH ? "the read-back of the new row" : "its statement";
        StatementOutcome plan = tx.undone(t -> {
            t.actAs("authenticated", Actor.OWNER.claims());
            return t.execute("explain " + statement);
        });
        if (!plan.ok()) {
            return new Evidence(EXPLAIN + "public." + r.name(), false, "EXPLAIN of " + label + " failed: "
                    + plan.sqlState() + " " + plan.error().message(), millis(started));
        }
        List<String> lines = plan.rows().stream().map(row -> String.valueOf(row.values().iterator().next())).toList();
        return new Evidence(EXPLAIN + "public." + r.name(), true, "EXPLAIN of " + label + " as the owner (authenticated,"
                + " under the policies), on the seeded rows:\n" + String.join("\n", lines.stream().limit(PLAN_LINES)
                .toList()), millis(started));
    }

    // ---- helpers ----

    /** The intent's answer; for service_role (all rows by intent) only where its grants on the table let it. */
    private boolean readable(String table, Actor a) {
        return a.service() ? catalog.relation(table).map(r -> r.may("service_role", "select")).orElse(false)
                : intent.mayRead(table, a);
    }

    private boolean executable(String name, Actor a) {
        return catalog.functions().stream().anyMatch(f -> f.exposed() && f.name().equals(name)
                && f.executableBy().contains(a.role()));
    }

    /** allow, or the layer that refused: deny-grant when the role lacks the privilege, deny-rls for 42501 else. */
    private static String verdict(StatementOutcome o, boolean granted) {
        if (o.ok()) {
            return "allow";
        }
        if ("42501".equals(o.sqlState())) {
            // a missing privilege (on the object or a table it reads) says so; a policy refusal says row-level security
            return !granted || o.error().message().startsWith("permission denied") ? "deny-grant" : "deny-rls";
        }
        return "error";
    }

    private Evidence matrixEvidence(String object, List<RlsMatrix.Case> cases, List<String> wrong,
            List<Finding> findings, long started) {
        boolean leak = cases.stream().anyMatch(c -> !c.ok() && (c.rows() != null && c.expectedRows() != null
                && c.rows() > c.expectedRows() || "within-intent".equals(c.expected())
                || "allow".equals(c.actual()) && !"allow".equals(c.expected())));
        if (!wrong.isEmpty()) {
            findings.add(ApiRules.standard().finding(leak ? "api.leak" : "api.intent-mismatch", object,
                    String.join("; ", wrong)));
        }
        String tally = cases.stream().map(c -> c.actor() + " " + c.actual() + (c.rows() == null ? "" : " "
                + c.rows())).reduce((x, y) -> x + ", " + y).orElse("");
        return new Evidence(CHECK + object, wrong.isEmpty(), (wrong.isEmpty() ? "as the intent allows: "
                : "not as the intent allows — " + String.join("; ", wrong) + " — all: ") + tally, millis(started))
                .with(EvidenceKind.RLS_MATRIX.wrap(new RlsMatrix(grants, cases)));
    }

    static String keyExpr(String alias, List<String> key) {
        return "concat_ws('|', " + String.join(", ", key.stream().map(k -> alias + "." + Sql.ident(k) + "::text")
                .toList()) + ")";
    }

    private static String value(StatementOutcome o) {
        if (!o.ok() || o.rows().isEmpty()) {
            return null;
        }
        Object v = o.rows().get(0).values().iterator().next();
        return v == null ? null : String.valueOf(v);
    }

    private static long count(StatementOutcome o) {
        String v = value(o);
        return v == null ? 0 : Long.parseLong(v);
    }

    private static String orEmpty(String s) {
        return s == null ? "" : s;
    }

    private static int size(String keys) {
        return keys == null || keys.isEmpty() ? 0 : keys.split(",").length;
    }

    private static long millis(long nanos) {
        return (System.nanoTime() - nanos) / 1_000_000;
    }
}
