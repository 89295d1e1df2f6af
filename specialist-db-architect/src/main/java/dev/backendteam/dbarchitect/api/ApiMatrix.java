package dev.backendteam.dbarchitect.api;

import dev.backendteam.contract.Evidence;
import dev.backendteam.contract.Finding;
import dev.backendteam.contract.access.TableIntent;
import dev.backendteam.contract.evidence.EvidenceKind;
import dev.backendteam.contract.evidence.RlsMatrix;
import dev.backendteam.sandbox.SandboxDatabase;
import dev.backendteam.sandbox.StatementOutcome;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
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
            // the seed and the oracle run as the tables' owner, which FORCE ROW LEVEL SECURITY would subject to the
            // very policies the oracle checks: lifted for this rolled-back transaction (every actor is another role,
            // so the actors' calls see the policies as before)
            String unforced = unforce(tx);
            if (unforced != null) {
                evidence.add(new Evidence(CHECK + "seed", false, unforced, millis(started)));
                return null;
            }
            ApiWorld world = new ApiWorld(catalog, intent);
            if (!world.seed(tx)) {
                evidence.add(new Evidence(CHECK + "seed", false, "the world could not be seeded: " + world.error(),
                        millis(started)));
                return null;
            }
            Set<String> own = new LinkedHashSet<>();
            for (ApiDesign.ViewDef v : design.views()) {
                own.add("public." + v.name());
                evidence.add(object("public." + v.name(), "select", v.table(), v.key(), over(v.filter()), true,
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

    /** {@code no force row level security} on every forced table of the schema; the error, or null. */
    private static String unforce(SandboxDatabase.RolledBackTransaction tx) throws SQLException {
        StatementOutcome forced = tx.execute("select format('%I.%I', n.nspname, c.relname) as t from pg_class c"
                + " join pg_namespace n on n.oid = c.relnamespace where c.relforcerowsecurity and n.nspname = "
                + Sql.literal(ApiCatalog.SCHEMA));
        if (!forced.ok()) {
            return "the forced tables could not be read: " + forced.error().message();
        }
        for (Map<String, Object> row : forced.rows()) {
            StatementOutcome o = tx.execute("alter table " + row.get("t") + " no force row level security");
            if (!o.ok()) {
                return "the oracle cannot run as the owner of " + row.get("t") + " (force row level security): "
                        + o.error().message();
            }
        }
        return null;
    }

    // ---- this role's objects: exactly the rows the intent allows ----

    private Evidence search(ApiDesign.Rpc r, SandboxDatabase.RolledBackTransaction tx, ApiWorld world,
            List<Finding> findings) throws SQLException {
        // the query: a text world-1's row holds and world-2's does not, so that a function ignoring p_query (or
        // matching anything) returns rows the oracle leaves out; an empty query only when no such text was seeded
        String marker = world.first(r.table(), 1).flatMap(row -> r.searchColumns().stream()
                .map(c -> row.values().get(c)).filter(Objects::nonNull).map(String::valueOf)
                .filter(v -> !v.isEmpty()).findFirst()).orElse("");
        // an empty query lists every row (a null text column matches no text, so without this a page of rows whose
        // searched columns are all null would come back empty)
        String match = marker.isEmpty() ? "true" : "(" + String.join(" or ", r.searchColumns().stream().map(c -> "strpos(lower(x." + Sql.ident(c)
                + "), lower(" + Sql.literal(marker) + ")) > 0").toList()) + ")";
        String call = "select " + keyExpr("x", List.of(r.key())) + " as k from public." + Sql.ident(r.name())
                + "(p_query => " + Sql.literal(marker) + ", p_limit => 1000) x";
        Evidence e = object("public." + r.name(), "call", r.table(), List.of(r.key()), (r.filter() == null ? ""
                : over(r.filter()) + " and ") + match, true, call, tx, world, findings);
        if (!readable(r.table(), Actor.SERVICE_ROLE)) {
            return e; // the keyset is checked on the service role's rows; without its grants there are none to page
        }
        // a query no row holds finds nothing
        String none = "zq-" + java.util.UUID.randomUUID() + "-no-row-holds-this";
        String found = tx.undone(t -> {
            t.actAs("service_role", Actor.SERVICE_ROLE.claims());
            StatementOutcome o = t.execute("select count(*)::text from public." + Sql.ident(r.name()) + "(p_query => "
                    + Sql.literal(none) + ", p_limit => 1000)");
            return o.ok() ? value(o) : "error " + o.sqlState() + " " + o.error().message();
        });
        boolean nothing = "0".equals(found);
        if (!nothing) {
            findings.add(ApiRules.standard().finding("api.intent-mismatch", "public." + r.name(), "a query no row"
                    + " holds returned " + found + " row(s)"));
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
        cases.add(new RlsMatrix.Case("public." + r.name(), "no-match", "service_role", "allow", 0L, nothing ? "allow"
                : "error", nothing ? 0L : null, null, nothing ? null : "a query no row holds: " + found, nothing));
        cases.add(new RlsMatrix.Case("public." + r.name(), "keyset", "service_role", "allow", 2L, ok ? "allow"
                : "error", got == null ? 0L : (long) got.split(",").length, null, ok ? null : "pages " + got
                + ", expected " + want, ok));
        if (!ok) {
            findings.add(ApiRules.standard().finding("api.intent-mismatch", "public." + r.name(), "its keyset pages"
                    + " (p_limit 1, then p_after) returned " + got + " instead of " + want));
        }
        boolean passed = e.passed() && ok && nothing;
        return new Evidence(e.check(), passed, e.details() + "; searched for " + Sql.literal(marker)
                + (nothing ? "; a query no row holds finds nothing" : "; a query no row holds found " + found)
                + (ok ? "; keyset: two pages of one row follow the key" : "; keyset pages wrong"), e.durationMs())
                .with(EvidenceKind.RLS_MATRIX.wrap(new RlsMatrix(grants, cases)));
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
        TableIntent li = intent.table(r.table()).orElseThrow();
        List<String> args = new ArrayList<>();
        Map<String, String> given = new LinkedHashMap<>();
        String linked = null;
        for (ApiDesign.Param p : r.params()) {
            if (p.column() == null) { // p_<other>_ids: world-1's row of the other side, for every actor
                Object other = world.first(r.otherTable(), 1).map(x -> x.values().get(otherKey(r))).orElse(null);
                linked = other == null ? null : Sql.literal(String.valueOf(other));
                args.add(p.name() + " => " + (other == null ? "'{}'" : "array[" + linked + "]") + "::" + p.type());
                continue;
            }
            if (p.defaultSql() != null) {
                continue;
            }
            Optional<ApiCatalog.ForeignKey> fk = left.foreignKey(p.column());
            String lit;
            if (fk.isPresent() && !fk.get().ref().equals("auth.users")) {
                Object v = world.first(fk.get().ref(), 1).map(x -> x.values().get(fk.get().refColumns().get(0)))
                        .orElse(null);
                lit = v == null ? "null::" + p.type() : Sql.literal(String.valueOf(v)) + "::" + p.type();
            } else {
                lit = ApiWorld.generated(left, left.column(p.column()).orElseThrow(), 1, 9000);
            }
            args.add(p.name() + " => " + lit);
            given.put(p.column(), lit);
        }
        String call = "select x." + Sql.ident(r.key()) + "::text as id, row_to_json(x)::text as got from public."
                + Sql.ident(r.name()) + "(" + String.join(", ", args) + ") x";
        List<RlsMatrix.Case> cases = new ArrayList<>();
        List<String> wrong = new ArrayList<>();
        for (Actor a : Actor.ALL) {
            boolean granted = executable(r.name(), a);
            // the new row as the function would insert it for this actor: the arguments, the owner column left to
            // its default (the caller), every other column unknown (null) — judged by the intent's INSERT rule
            List<String> cells = new ArrayList<>();
            for (ApiCatalog.Column c : left.columns()) {
                String v = given.get(c.name());
                if (v == null && c.name().equals(li.ownerColumn()) && a.user() != null) {
                    v = Sql.literal(a.user().toString()) + "::uuid";
                }
                cells.add((v == null ? "null::" + c.type() : v) + " as " + Sql.ident(c.name()));
            }
            String rule = a.user() == null ? "false" : intent.insertable(r.table(), "n_", a);
            String links = linked == null || a.user() == null ? "true" : "exists (select 1 from "
                    + Sql.qualified(r.otherTable()) + " q where q." + Sql.ident(otherKey(r)) + "::text = " + linked
                    + " and " + intent.visible(r.otherTable(), "q", a) + ")";
            boolean allowed = "true".equals(value(tx.execute("select ((" + rule + ") and (" + links + "))::text from"
                    + " (select " + String.join(", ", cells) + ") n_")));
            String expected = !granted || a.user() == null ? "deny-grant" : allowed ? "allow" : "deny-rls";
            RlsMatrix.Case c = tx.undone(t -> {
                t.actAs(a.role(), a.claims());
                StatementOutcome o = t.execute(call);
                t.actAsRunner();
                String actual = verdict(o, granted);
                long joined = 0;
                String owner = null;
                String problem = null;
                if (o.ok() && !o.rows().isEmpty() && o.rows().get(0).get("id") != null) {
                    String id = String.valueOf(o.rows().get(0).get("id"));
                    joined = count(t.execute("select count(*) as n from " + Sql.qualified(r.join()) + " where "
                            + Sql.ident(r.column()) + "::text = " + Sql.literal(id)));
                    String ownerColumn = li.ownerColumn();
                    if (ownerColumn != null) {
                        owner = value(t.execute("select " + Sql.ident(ownerColumn) + "::text from "
                                + Sql.qualified(r.table()) + " where " + Sql.ident(r.key()) + "::text = "
                                + Sql.literal(id)));
                    }
                    // the row it returns must be the row stored, value for value (read back as the owner)
                    String stored = value(t.execute("select row_to_json(x)::text from " + Sql.qualified(r.source())
                            + " x where x." + Sql.ident(r.key()) + "::text = " + Sql.literal(id)));
                    Object got = o.rows().get(0).get("got");
                    if (!Objects.equals(stored, got == null ? null : String.valueOf(got))) {
                        problem = "returned " + got + ", stored " + stored;
                    }
                }
                if (actual.equals("allow") && problem == null && (joined != 1 || owner != null && (a.user() == null
                        || !owner.equals(a.user().toString())))) {
                    problem = joined + " link row(s), owner " + owner;
                }
                boolean ok = actual.equals(expected) && problem == null;
                return new RlsMatrix.Case(object, "call", a.name(), expected, expected.equals("allow") ? 1L : 0L,
                        actual, actual.equals("allow") ? 1L : 0L, o.sqlState(), o.ok() ? problem
                        : o.error().message(), ok);
            });
            if (!c.ok()) {
                wrong.add(a.name() + ": expected " + c.expected() + ", got " + c.actual()
                        + (c.error() == null ? "" : " (" + c.error() + ")"));
            }
            cases.add(c);
        }
        return matrixEvidence(object, cases, wrong, findings, started);
    }

    private String otherKey(ApiDesign.Rpc r) {
        return catalog.relation(r.join()).flatMap(j -> j.foreignKey(r.other())).map(f -> f.refColumns().get(0))
                .orElse("id");
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
                    + Sql.qualified(table) + " x where " + (filter == null ? "" : filter + " and ")
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
        Evidence e = matrixEvidence(object, cases, wrong, findings, started);
        List<String> errors = cases.stream().filter(c -> "error".equals(c.actual())).map(c -> c.actor() + ": "
                + c.sqlState() + " " + c.error()).toList();
        if (!exact && e.passed() && !errors.isEmpty()) {
            return notRun(object, "it could not be called as every actor, so what it returns was not checked for"
                    + " them — " + String.join("; ", errors), cases);
        }
        return e;
    }

    private Evidence notRun(String object, String why, List<RlsMatrix.Case> cases) {
        Evidence e = Evidence.notRun(CHECK + object, why);
        return cases.isEmpty() ? e : e.with(EvidenceKind.RLS_MATRIX.wrap(new RlsMatrix(grants, cases)));
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
            // a refusal returns nothing, so nothing outside the intent; any other error proves nothing (not run)
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
                return Optional.of(notRun(f.signature(), "no sample argument of type " + a.type() + " ("
                        + (a.name().isEmpty() ? "unnamed" : a.name()) + "): it was not called", List.of()));
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
        return Optional.of(notRun(f.signature(), "it returns " + f.result() + ", not rows of a table the access"
                + " intent describes (with a key): no oracle to compare what it returns with", List.of()));
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

    /** A view's or function's row filter (written over its columns) as a condition on the oracle's {@code x}. */
    private static String over(String filter) {
        return filter == null ? null : "x." + filter;
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
