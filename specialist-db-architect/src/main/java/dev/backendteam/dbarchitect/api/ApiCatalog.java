package dev.backendteam.dbarchitect.api;

import dev.backendteam.sandbox.SandboxDatabase;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * What the Data API can see of a database, read from the sandbox's real catalog after the bundle applied: the
 * relations of the exposed schema ({@code public}) with their columns, keys, checks and API privileges, its views,
 * and every user function (any schema) with its security, search_path and who may execute it. Works the same for a
 * spec-born schema and for SQL a user wrote.
 */
public record ApiCatalog(List<Relation> relations, List<View> views, List<Function> functions) {
    public static final String SCHEMA = "public";
    public static final List<String> API_ROLES = List.of("anon", "authenticated", "service_role");
    private static final String DIR = "/dev/backendteam/dbarchitect/api/";

    public record Column(String name, String type, String category, boolean notNull, String defaultExpr,
            boolean identity, boolean generated) {

        public boolean hasDefault() {
            return defaultExpr != null || identity || generated;
        }

        /** Written by the database, never by a client: identity, generated, the bookkeeping timestamps. */
        public boolean managed() {
            return identity || generated || name.equals("created_at") || name.equals("updated_at");
        }

        public boolean text() {
            return type.equals("text") || type.startsWith("character varying") || type.equals("citext");
        }
    }

    public record ForeignKey(String name, List<String> columns, String refSchema, String refTable,
            List<String> refColumns) {

        public String ref() {
            return refSchema + "." + refTable;
        }
    }

    /** A table or view of the exposed schema; {@code privileges}: role → select/insert/update/delete it holds. */
    public record Relation(String name, String kind, boolean rls, List<Column> columns, List<String> primaryKey,
            List<ForeignKey> foreignKeys, List<String> checks, Map<String, Set<String>> privileges) {

        public String qualified() {
            return SCHEMA + "." + name;
        }

        public boolean table() {
            return kind.equals("r") || kind.equals("p");
        }

        public Optional<Column> column(String column) {
            return columns.stream().filter(c -> c.name().equals(column)).findFirst();
        }

        public boolean may(String role, String privilege) {
            return privileges.getOrDefault(role, Set.of()).contains(privilege);
        }

        public Optional<ForeignKey> foreignKey(String column) {
            return foreignKeys.stream().filter(f -> f.columns().equals(List.of(column))).findFirst();
        }
    }

    public record View(String name, List<String> options, boolean readsAuthUsers, List<String> reads) {

        public boolean securityInvoker() {
            return options.stream().anyMatch(o -> o.replace(" ", "").equalsIgnoreCase("security_invoker=true")
                    || o.replace(" ", "").equalsIgnoreCase("security_invoker=on"));
        }
    }

    /** One input argument: its name (may be empty), type and whether it has a default. */
    public record Arg(String name, String type, boolean hasDefault) {
    }

    public record Function(String schema, String name, String identityArgs, List<Arg> args, String result,
            boolean returnsSet, String returnType, String returnRelation, boolean definer, List<String> config,
            String language, Set<String> executableBy) {

        public String signature() {
            return schema + "." + name + "(" + identityArgs + ")";
        }

        public boolean fixedSearchPath() {
            return config.stream().anyMatch(c -> c.startsWith("search_path="));
        }

        public boolean exposed() {
            return schema.equals(SCHEMA);
        }

        /** Callable by a client of the Data API: in the exposed schema and executable by anon or authenticated. */
        public boolean callable() {
            return exposed() && (executableBy.contains("anon") || executableBy.contains("authenticated"));
        }
    }

    public Optional<Relation> relation(String name) {
        String local = name.startsWith(SCHEMA + ".") ? name.substring(SCHEMA.length() + 1) : name;
        return relations.stream().filter(r -> r.name().equals(local)).findFirst();
    }

    public Optional<View> view(String name) {
        return views.stream().filter(v -> v.name().equals(name)).findFirst();
    }

    public List<Relation> tables() {
        return relations.stream().filter(Relation::table).toList();
    }

    public static ApiCatalog read(SandboxDatabase db) {
        Map<String, List<Column>> columns = new LinkedHashMap<>();
        Map<String, String> kinds = new LinkedHashMap<>();
        Map<String, Boolean> rls = new LinkedHashMap<>();
        Map<String, Map<Integer, String>> keys = new LinkedHashMap<>();
        for (Map<String, Object> row : db.query(sql("relations.sql"))) {
            String rel = text(row, "rel");
            kinds.put(rel, text(row, "kind"));
            rls.put(rel, Boolean.TRUE.equals(row.get("rls")));
            String name = text(row, "col");
            columns.computeIfAbsent(rel, r -> new ArrayList<>()).add(new Column(name, text(row, "col_type"),
                    text(row, "category"), Boolean.TRUE.equals(row.get("not_null")), text(row, "default_expr"),
                    !blank(text(row, "identity")), !blank(text(row, "generated"))));
            int pk = ((Number) row.get("pk_position")).intValue();
            if (pk > 0) {
                keys.computeIfAbsent(rel, r -> new java.util.TreeMap<>()).put(pk, name);
            }
        }
        Map<String, List<ForeignKey>> fks = new LinkedHashMap<>();
        for (Map<String, Object> row : db.query(sql("foreign-keys.sql"))) {
            fks.computeIfAbsent(text(row, "rel"), r -> new ArrayList<>()).add(new ForeignKey(text(row, "name"),
                    split(text(row, "cols")), text(row, "ref_schema"), text(row, "ref_table"),
                    split(text(row, "ref_cols"))));
        }
        Map<String, List<String>> checks = new LinkedHashMap<>();
        for (Map<String, Object> row : db.query(sql("checks.sql"))) {
            checks.computeIfAbsent(text(row, "rel"), r -> new ArrayList<>()).add(text(row, "definition"));
        }
        Map<String, Map<String, Set<String>>> privileges = new LinkedHashMap<>();
        for (Map<String, Object> row : db.query(sql("privileges.sql"))) {
            privileges.computeIfAbsent(text(row, "rel"), r -> new LinkedHashMap<>())
                    .computeIfAbsent(text(row, "role"), r -> new LinkedHashSet<>()).add(text(row, "privilege"));
        }
        List<Relation> relations = new ArrayList<>();
        for (Map.Entry<String, List<Column>> e : columns.entrySet()) {
            String rel = e.getKey();
            relations.add(new Relation(rel, kinds.get(rel), rls.get(rel), List.copyOf(e.getValue()),
                    List.copyOf(keys.getOrDefault(rel, Map.of()).values()), List.copyOf(fks.getOrDefault(rel,
                    List.of())), List.copyOf(checks.getOrDefault(rel, List.of())), privileges.getOrDefault(rel,
                    Map.of())));
        }
        List<View> views = new ArrayList<>();
        for (Map<String, Object> row : db.query(sql("views.sql"))) {
            views.add(new View(text(row, "name"), split(text(row, "options")),
                    Boolean.TRUE.equals(row.get("reads_auth_users")), split(text(row, "reads"))));
        }
        List<Function> functions = new ArrayList<>();
        for (Map<String, Object> row : db.query(sql("functions.sql"))) {
            functions.add(function(row));
        }
        return new ApiCatalog(relations, views, functions);
    }

    private static Function function(Map<String, Object> row) {
        List<String> names = split(text(row, "arg_names"));
        List<String> modes = split(text(row, "arg_modes"));
        List<String> types = splitTypes(text(row, "arg_types"));
        List<Arg> inputs = new ArrayList<>();
        for (int i = 0; i < types.size(); i++) {
            String mode = modes.isEmpty() ? "i" : modes.get(i);
            if (mode.equals("i") || mode.equals("b") || mode.equals("v")) {
                inputs.add(new Arg(i < names.size() ? names.get(i) : "", types.get(i), false));
            }
        }
        int defaults = ((Number) row.get("n_defaults")).intValue();
        List<Arg> args = new ArrayList<>();
        for (int i = 0; i < inputs.size(); i++) {
            Arg a = inputs.get(i);
            args.add(new Arg(a.name(), a.type(), i >= inputs.size() - defaults));
        }
        Set<String> exec = new LinkedHashSet<>();
        for (String role : API_ROLES) {
            if (Boolean.TRUE.equals(row.get(role + "_execute"))) {
                exec.add(role);
            }
        }
        return new Function(text(row, "schema_name"), text(row, "name"), text(row, "identity_args"), args,
                text(row, "result"), Boolean.TRUE.equals(row.get("returns_set")), text(row, "return_type"),
                row.get("return_relation") == null ? null : text(row, "return_relation"),
                Boolean.TRUE.equals(row.get("definer")), split(text(row, "config")), text(row, "language"), exec);
    }

    /** Types as format_type prints them, comma-separated; a type never holds a comma outside parentheses. */
    private static List<String> splitTypes(String s) {
        List<String> out = new ArrayList<>();
        int depth = 0;
        StringBuilder cur = new StringBuilder();
        for (char ch : s.toCharArray()) {
            if (ch == '(') {
                depth++;
            } else if (ch == ')') {
                depth--;
            }
            if (ch == ',' && depth == 0) {
                out.add(cur.toString().strip());
                cur.setLength(0);
            } else {
                cur.append(ch);
            }
        }
        if (!cur.isEmpty()) {
            out.add(cur.toString().strip());
        }
        return out;
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }

    private static List<String> split(String s) {
        return s == null || s.isEmpty() ? List.of() : Arrays.stream(s.split(",")).map(String::strip).toList();
    }

    private static String text(Map<String, Object> row, String key) {
        Object v = row.get(key);
        return v == null ? null : String.valueOf(v);
    }

    static String sql(String name) {
        return sqlAt(DIR + name);
    }

    static String sqlAt(String path) {
        try (InputStream in = ApiCatalog.class.getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + path);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
