package dev.backendteam.dbarchitect.api;

import dev.backendteam.contract.Finding;
import dev.backendteam.contract.access.Operation;
import dev.backendteam.contract.access.TableIntent;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The Data API the schema implies, derived from the catalog and the access intent, deterministically:
 * <ul>
 * <li>the tables it exposes: those the intent lets anon or authenticated read and whose grants let them;</li>
 * <li>a payload-shaping view ({@code <table>_view}, {@code security_invoker}, explicit columns) where the table
 * endpoint would serve what it should not: soft-deleted rows, sensitive-looking columns;</li>
 * <li>functions where a table endpoint is weak — {@code search_<table>} (text search with a keyset page),
 * {@code count_<child>_by_<parent>} (an aggregate over 1:n), {@code create_<table>_with_<other>} (a row and its n:m
 * links in one transaction) — all {@code security invoker} with {@code set search_path = ''} and qualified names,
 * so the tables' policies decide every row; execute granted to the roles that may read what they return.</li>
 * </ul>
 * None needs another role's rights, so none is {@code security definer}. The spec's {@code api} section renames or
 * leaves out what it names.
 */
public record ApiDesign(List<Exposed> tables, List<ViewDef> views, List<Rpc> rpcs, List<String> notes,
        List<Finding> findings) {
    public static final String MIGRATION = "create_api";
    static final Pattern SENSITIVE = Pattern.compile(ApiRules.standard().sensitive());

    /** A table the Data API serves, and the API roles that read it. */
    public record Exposed(String table, Set<String> readers, Set<String> writers) {
    }

    public record ViewDef(String name, String table, List<ApiCatalog.Column> columns, String filter, List<String> key,
            Set<String> readers, String why) {
    }

    /** A function parameter; {@code column}: the column it fills (CREATE_WITH), else null. */
    public record Param(String name, String type, String defaultSql, String column) {
        Param(String name, String type, String defaultSql) {
            this(name, type, defaultSql, null);
        }

        String declaration() {
            return name + " " + type + (defaultSql == null ? "" : " default " + defaultSql);
        }
    }

    public enum Kind { SEARCH, COUNT, CREATE_WITH }

    /**
     * One function. {@code source}: the relation it reads (a view or the table); {@code table}: the table whose
     * intent decides its rows; for COUNT {@code column} is the parent column; for CREATE_WITH {@code join} is the
     * n:m table, {@code column} its column for the new row, {@code other} the other side's column and table.
     */
    public record Rpc(Kind kind, String name, String table, String source, List<ApiCatalog.Column> columns,
            String key, String keyType, String filter, List<String> searchColumns, String column, String parent,
            String join, String other, String otherTable, List<Param> params, String returns, String body,
            String language, String volatility, Set<String> executors) {

        public String signature() {
            return "public." + Sql.ident(name) + "(" + String.join(", ", params.stream().map(Param::type).toList()) + ")";
        }

        /** The body with each parameter replaced by a literal: what EXPLAIN plans. */
        public String bodyWith(Map<String, String> literals) {
            String sql = body;
            for (Map.Entry<String, String> e : literals.entrySet()) {
                sql = sql.replaceAll("(?<![.\\w])" + Pattern.quote(e.getKey()) + "\\b",
                        Matcher.quoteReplacement(e.getValue()));
            }
            return sql;
        }
    }

    public static ApiDesign derive(ApiCatalog catalog, ApiIntent intent, ApiOptions options) {
        List<String> notes = new ArrayList<>();
        List<Finding> findings = new ArrayList<>();
        ApiRules rules = ApiRules.standard();
        List<Exposed> exposed = new ArrayList<>();
        Map<String, ViewDef> views = new LinkedHashMap<>();
        for (ApiCatalog.Relation t : catalog.tables()) {
            Optional<TableIntent> ti = intent.table(t.qualified());
            if (ti.isEmpty()) {
                continue;
            }
            Set<String> readers = new LinkedHashSet<>();
            Set<String> writers = new LinkedHashSet<>();
            for (String role : List.of("anon", "authenticated")) {
                List<Operation> allowed = ti.get().privileges(role);
                if (allowed.contains(Operation.SELECT)) {
                    if (t.may(role, "select")) {
                        readers.add(role);
                    } else {
                        notes.add(t.qualified() + ": the intent lets " + role + " read it but " + role + " holds no"
                                + " select grant, so the Data API does not serve it to " + role + " (grants are the"
                                + " security specialist's)");
                    }
                }
                if (allowed.stream().anyMatch(o -> o != Operation.SELECT) && t.may(role, "insert")) {
                    writers.add(role);
                }
            }
            if (readers.isEmpty()) {
                continue;
            }
            exposed.add(new Exposed(t.qualified(), readers, writers));
            if (t.primaryKey().isEmpty()) {
                findings.add(rules.finding("api.no-primary-key", t.qualified(), null));
            }
            // a view cannot hide a column the reader may select from the table itself
            List<String> secret = t.columns().stream().map(ApiCatalog.Column::name).filter(ApiDesign::sensitive)
                    .toList();
            List<String> whole = readers.stream().filter(r -> t.may(r, "table_select")).toList();
            if (!secret.isEmpty() && !whole.isEmpty()) {
                Finding f = rules.finding("api.table-sensitive-column", t.qualified(), String.join(" and ", whole));
                findings.add(new Finding(f.ruleId(), f.severity(), f.object(), f.message() + ": " + String.join(", ",
                        secret), f.fix(), null));
            }
            ViewDef v = view(t, readers, options);
            if (v != null && !options.skipped(v.name())) {
                views.put(t.name(), v);
            }
        }
        List<Rpc> rpcs = new ArrayList<>();
        for (Exposed e : exposed) {
            ApiCatalog.Relation t = catalog.relation(e.table()).orElseThrow();
            ViewDef v = views.get(t.name());
            search(t, v, e, options).ifPresent(rpcs::add);
        }
        for (Exposed e : exposed) {
            ApiCatalog.Relation child = catalog.relation(e.table()).orElseThrow();
            if (intent.table(e.table()).map(TableIntent::join).orElse(false)) {
                continue;
            }
            for (ApiCatalog.ForeignKey f : child.foreignKeys()) {
                if (f.columns().size() != 1 || !f.refSchema().equals(ApiCatalog.SCHEMA)
                        || f.refTable().equals(child.name())
                        || exposed.stream().noneMatch(x -> x.table().equals(f.ref()))) {
                    continue;
                }
                rpcs.add(count(child, views.get(child.name()), f, e, options));
            }
        }
        for (Exposed e : exposed) {
            ApiCatalog.Relation join = catalog.relation(e.table()).orElseThrow();
            if (!intent.table(e.table()).map(TableIntent::join).orElse(false) || !join.may("authenticated", "insert")) {
                continue;
            }
            createWith(catalog, intent, join, views, options, findings).ifPresent(rpcs::add);
        }
        List<Rpc> kept = rpcs.stream().filter(r -> !options.skipped(r.name())).toList();
        List<Rpc> renamed = kept.stream().map(r -> rename(r, options)).toList();
        List<ViewDef> keptViews = views.values().stream().map(v -> new ViewDef(options.name(v.name()), v.table(),
                v.columns(), v.filter(), v.key(), v.readers(), v.why())).toList();
        return new ApiDesign(exposed, keptViews, renamed, notes, findings);
    }

    private static Rpc rename(Rpc r, ApiOptions options) {
        return new Rpc(r.kind(), options.name(r.name()), r.table(), r.source().startsWith("public.")
                ? r.source() : r.source(), r.columns(), r.key(), r.keyType(), r.filter(), r.searchColumns(),
                r.column(), r.parent(), r.join(), r.other(), r.otherTable(), r.params(), r.returns(), r.body(),
                r.language(), r.volatility(), r.executors());
    }

    /** Every name the derivation would give before the spec's api section (for checking that section). */
    public static boolean sensitive(String column) {
        return SENSITIVE.matcher(column).find();
    }

    private static ViewDef view(ApiCatalog.Relation t, Set<String> readers, ApiOptions options) {
        boolean softDelete = t.column("deleted_at").filter(c -> !c.notNull()).isPresent();
        List<String> hidden = t.columns().stream().map(ApiCatalog.Column::name).filter(ApiDesign::sensitive).toList();
        if (!softDelete && hidden.isEmpty() || t.primaryKey().isEmpty()) {
            return null;
        }
        List<ApiCatalog.Column> cols = t.columns().stream().filter(c -> !sensitive(c.name())
                && !c.name().equals("deleted_at")).toList();
        List<String> why = new ArrayList<>();
        if (softDelete) {
            why.add("live rows only (deleted_at is null)");
        }
        if (!hidden.isEmpty()) {
            why.add("without " + String.join(", ", hidden));
        }
        return new ViewDef(snake(t.name()) + "_view", t.qualified(), cols, softDelete ? "deleted_at is null" : null,
                t.primaryKey(), readers, String.join(", ", why));
    }

    private static Optional<Rpc> search(ApiCatalog.Relation t, ViewDef v, Exposed e, ApiOptions options) {
        if (t.primaryKey().size() != 1) {
            return Optional.empty();
        }
        String key = t.primaryKey().get(0);
        List<ApiCatalog.Column> cols = v != null ? v.columns() : t.columns().stream()
                .filter(c -> !sensitive(c.name())).toList();
        List<String> texts = cols.stream().filter(ApiCatalog.Column::text).map(ApiCatalog.Column::name)
                .filter(c -> !c.equals(key) && t.foreignKey(c).isEmpty() && !closedSet(t, c) && !c.endsWith("_url"))
                .toList();
        if (texts.isEmpty()) {
            return Optional.empty();
        }
        String keyType = t.column(key).orElseThrow().type();
        String source = v != null ? "public." + options.name(v.name()) : t.qualified();
        String match = String.join(" or ", texts.stream().map(c -> "strpos(lower(x." + Sql.ident(c)
                + "), lower(p_query)) > 0").toList());
        // an empty query lists every row: a row whose searched columns are all null holds no text, but is a row
        String body = "select " + columnList("x", cols) + "\n  from " + Sql.qualified(source)
                + " x\n where (coalesce(p_query, '') = '' or " + match + ")\n   and (p_after is null or x."
                + Sql.ident(key) + " > p_after)\n order by x." + Sql.ident(key) + "\n limit least(greatest(coalesce("
                + "p_limit, " + options.defaultPage() + "), 1), " + options.maxPage() + ")";
        List<Param> params = List.of(new Param("p_query", "text", null), new Param("p_after", keyType, "null"),
                new Param("p_limit", "integer", String.valueOf(options.defaultPage())));
        return Optional.of(new Rpc(Kind.SEARCH, "search_" + snake(t.name()), t.qualified(), source, cols, key, keyType,
                v == null ? null : v.filter(), texts, null, null, null, null, null, params, "setof "
                + Sql.qualified(source), body, "sql", "stable", executors(e.readers())));
    }

    private static Rpc count(ApiCatalog.Relation child, ViewDef v, ApiCatalog.ForeignKey f, Exposed e,
            ApiOptions options) {
        String column = f.columns().get(0);
        String by = column.endsWith("_id") ? column.substring(0, column.length() - 3) : column;
        String type = child.column(column).orElseThrow().type();
        String filter = v == null ? null : v.filter();
        String body = "select x." + Sql.ident(column) + ", count(*) as total\n  from " + Sql.qualified(child.qualified())
                + " x\n where " + (filter == null ? "" : "x." + filter + "\n   and ") + "(p_ids is null or x."
                + Sql.ident(column) + " = any (p_ids))\n group by x." + Sql.ident(column) + "\n order by x."
                + Sql.ident(column);
        List<Param> params = List.of(new Param("p_ids", type + "[]", "null"));
        return new Rpc(Kind.COUNT, "count_" + snake(child.name()) + "_by_" + snake(by), child.qualified(), child.qualified(),
                List.of(child.column(column).orElseThrow()), column, type, filter, List.of(), column, f.ref(), null,
                null, null, params, "table (" + Sql.ident(column) + " " + type + ", total bigint)", body, "sql",
                "stable", executors(e.readers()));
    }

    private static Optional<Rpc> createWith(ApiCatalog catalog, ApiIntent intent, ApiCatalog.Relation join,
            Map<String, ViewDef> views, ApiOptions options, List<Finding> findings) {
        List<String> pk = join.primaryKey();
        if (pk.size() != 2) {
            return Optional.empty();
        }
        Optional<ApiCatalog.ForeignKey> leftFk = join.foreignKey(pk.get(0));
        Optional<ApiCatalog.ForeignKey> rightFk = join.foreignKey(pk.get(1));
        if (leftFk.isEmpty() || rightFk.isEmpty()) {
            return Optional.empty();
        }
        ApiCatalog.Relation left = catalog.relation(leftFk.get().ref()).orElse(null);
        if (left == null || left.primaryKey().size() != 1 || !left.may("authenticated", "insert")
                || intent.table(left.qualified()).map(t -> t.rule(Operation.INSERT).isEmpty()).orElse(true)) {
            return Optional.empty();
        }
        String leftKey = left.primaryKey().get(0);
        if (left.column(leftKey).map(c -> !c.hasDefault()).orElse(true)) {
            return Optional.empty();
        }
        TableIntent li = intent.table(left.qualified()).orElseThrow();
        String name = "create_" + snake(left.name()) + "_with_";
        ViewDef v = views.get(left.name());
        if (v == null && left.columns().stream().anyMatch(c -> sensitive(c.name()))) {
            // the function returns its source's row: without the view that would be the sensitive columns too
            findings.add(ApiRules.standard().finding("api.create-skipped", left.qualified(), "it has sensitive"
                    + " column(s) and its view is skipped, so the new row could only be returned with them"));
            return Optional.empty();
        }
        List<Param> required = new ArrayList<>();
        List<Param> optional = new ArrayList<>();
        for (ApiCatalog.Column c : left.columns()) {
            if (c.name().equals(leftKey) || c.managed() || c.name().equals("deleted_at") || sensitive(c.name())
                    || c.name().equals(li.ownerColumn()) && c.hasDefault()) {
                continue;
            }
            if (c.hasDefault() && !constant(c.defaultExpr())) {
                continue;
            }
            // a parameter name PostgreSQL keeps as written (folded, unquoted), so that clients call it by that name
            Param p = new Param("p_" + snake(c.name()), c.type(), c.hasDefault() ? c.defaultExpr() : c.notNull()
                    ? null : "null", c.name());
            (p.defaultSql() == null ? required : optional).add(p);
        }
        String otherColumn = pk.get(1);
        String otherType = join.column(otherColumn).orElseThrow().type();
        String otherName = snake(otherColumn.endsWith("_id") ? otherColumn.substring(0, otherColumn.length() - 3)
                : otherColumn);
        List<Param> params = new ArrayList<>(required);
        params.addAll(optional);
        params.add(new Param("p_" + otherName + "_ids", otherType + "[]", "'{}'"));
        Set<String> taken = new java.util.HashSet<>();
        List<String> clashes = params.stream().map(Param::name).filter(n -> !taken.add(n)).distinct().toList();
        if (!clashes.isEmpty()) {
            findings.add(ApiRules.standard().finding("api.create-skipped", left.qualified(), "its columns give the"
                    + " same parameter name twice (" + String.join(", ", clashes) + ")"));
            return Optional.empty();
        }
        String source = v != null ? "public." + options.name(v.name()) : left.qualified();
        // the row read back is the source's whole row (x.*) into a variable of the source's rowtype: a column list
        // narrower than the rowtype would be assigned by position and shift the values
        List<ApiCatalog.Column> out = v != null ? v.columns() : left.columns();
        String keyType = left.column(leftKey).orElseThrow().type();
        List<Param> filled = params.stream().filter(p -> p.column() != null).toList();
        String body = "declare\n  v_id " + keyType + ";\n  v_row " + Sql.qualified(source) + ";\nbegin\n"
                + "  insert into " + Sql.qualified(left.qualified()) + " (" + String.join(", ", filled.stream()
                .map(p -> Sql.ident(p.column())).toList()) + ")\n  values (" + String.join(", ", filled.stream()
                .map(Param::name).toList()) + ")\n  returning "
                + Sql.ident(leftKey) + " into v_id;\n"
                + "  insert into " + Sql.qualified(join.qualified()) + " (" + Sql.ident(pk.get(0)) + ", "
                + Sql.ident(otherColumn) + ")\n  select v_id, o.id from unnest(coalesce(p_" + otherName
                + "_ids, '{}')) as o(id);\n"
                + "  select x.*\n    into v_row\n    from " + Sql.qualified(source)
                + " x where x." + Sql.ident(leftKey) + " = v_id;\n  return v_row;\nend";
        return Optional.of(new Rpc(Kind.CREATE_WITH, name + otherName,
                left.qualified(), source, out, leftKey, keyType, v == null ? null : v.filter(), List.of(), pk.get(0),
                null, join.qualified(), otherColumn, rightFk.get().ref(), params, Sql.qualified(source), body,
                "plpgsql", "volatile", new LinkedHashSet<>(List.of("authenticated"))));
    }

    /** A column a check constraint limits to listed values (a status): filtered by equality, not searched. */
    private static boolean closedSet(ApiCatalog.Relation t, String column) {
        Pattern listed = Pattern.compile("(?s).*\\b" + Pattern.quote(column) + "\\b.*(= ANY|IN \\().*");
        return t.checks().stream().anyMatch(c -> listed.matcher(c).matches());
    }

    /** A default that is a constant (a literal with its cast): a function argument may repeat it. */
    private static boolean constant(String expr) {
        return expr != null && !expr.contains("(");
    }

    /** A derived name from a table's: snake_case, so that a client never needs quotes. */
    static String snake(String name) {
        return name.replaceAll("([a-z0-9])([A-Z])", "$1_$2").toLowerCase(java.util.Locale.ROOT)
                .replaceAll("[^a-z0-9_]", "_");
    }

    private static Set<String> executors(Set<String> readers) {
        Set<String> roles = new LinkedHashSet<>(readers);
        roles.add("service_role");
        return roles;
    }

    static String columnList(String alias, List<ApiCatalog.Column> cols) {
        return String.join(", ", cols.stream().map(c -> alias + "." + Sql.ident(c.name())).toList());
    }

    public boolean empty() {
        return views.isEmpty() && rpcs.isEmpty();
    }

    // ---- the migration ----

    public String up() {
        StringBuilder sql = new StringBuilder();
        sql.append("-- The Data API's views and functions (db-architect api-data), derived from the schema and its\n")
                .append("-- access intent: views are security_invoker with explicit columns, functions security invoker\n")
                .append("-- with an empty search_path, so the tables' grants and policies decide every row.\n")
                .append("set lock_timeout = '5s';\nset statement_timeout = '60s';\n");
        for (ViewDef v : views) {
            sql.append("\n-- ").append(v.table()).append(": ").append(v.why()).append('\n');
            sql.append("create or replace view public.").append(Sql.ident(v.name()))
                    .append(" with (security_invoker = true) as\n  select ").append(columnList("x", v.columns()))
                    .append("\n    from ").append(Sql.qualified(v.table())).append(" x")
                    .append(v.filter() == null ? "" : "\n   where x." + v.filter()).append(";\n");
            sql.append("revoke all on table public.").append(Sql.ident(v.name()))
                    .append(" from public, anon, authenticated, service_role;\n");
            Set<String> roles = executors(v.readers());
            sql.append("grant select on table public.").append(Sql.ident(v.name())).append(" to ")
                    .append(String.join(", ", roles)).append(";\n");
        }
        for (Rpc r : rpcs) {
            sql.append("\n-- ").append(describe(r)).append('\n');
            sql.append("create or replace function public.").append(Sql.ident(r.name())).append("(")
                    .append(String.join(", ", r.params().stream().map(Param::declaration).toList())).append(")\n")
                    .append("    returns ").append(r.returns()).append("\n    language ").append(r.language())
                    .append("\n    ").append(r.volatility()).append("\n    security invoker\n")
                    .append("    set search_path = ''\nas $$\n").append(r.body()).append(r.language().equals("sql")
                    ? ";\n" : ";\n").append("$$;\n");
            sql.append("revoke all on function ").append(r.signature()).append(" from public, anon, authenticated,"
                    + " service_role;\n");
            sql.append("grant execute on function ").append(r.signature()).append(" to ")
                    .append(String.join(", ", r.executors())).append(";\n");
        }
        return sql.toString();
    }

    public String down() {
        StringBuilder sql = new StringBuilder("-- Removes the Data API's views and functions.\n"
                + "set lock_timeout = '5s';\nset statement_timeout = '60s';\n\n");
        List<Rpc> fs = new ArrayList<>(rpcs);
        java.util.Collections.reverse(fs);
        for (Rpc r : fs) {
            sql.append("drop function if exists ").append(r.signature()).append(";\n");
        }
        List<ViewDef> vs = new ArrayList<>(views);
        java.util.Collections.reverse(vs);
        for (ViewDef v : vs) {
            sql.append("drop view if exists public.").append(Sql.ident(v.name())).append(";\n");
        }
        return sql.toString();
    }

    static String describe(Rpc r) {
        return switch (r.kind()) {
            case SEARCH -> r.name() + ": rows of " + r.source() + " whose " + String.join(" or ", r.searchColumns())
                    + " contains the query, a keyset page by " + r.key();
            case COUNT -> r.name() + ": rows of " + r.table() + (r.filter() == null ? "" : " (live)") + " per "
                    + r.column();
            case CREATE_WITH -> r.name() + ": a " + r.table() + " row and its " + r.join() + " links in one"
                    + " transaction";
        };
    }
}
