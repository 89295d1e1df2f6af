package dev.backendteam.dbarchitect.realtime;

import dev.backendteam.sandbox.SandboxDatabase;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The tables of {@code public} as the sandbox's catalog has them after the job's schema is applied: columns, key,
 * single-column foreign keys and closed value sets. The realtime role resolves a channel's scope (a project, its
 * organization, the organization's membership table) from it, so specs and plain SQL are read the same way.
 */
public record SchemaGraph(Map<String, Table> tables) {
    static final String AUTH_USERS = "auth.users";
    private static final Pattern ANY_ARRAY = Pattern.compile("ANY \\(ARRAY\\[(.*)]\\)");
    private static final Pattern LITERAL = Pattern.compile("'((?:[^']|'')*)'");

    public record Column(String name, String type, boolean notNull, boolean filled, List<String> enumLabels,
            boolean inKey) {
    }

    /** A single-column foreign key: {@code column} references {@code refTable}({@code refColumn}), qualified. */
    public record ForeignKey(String column, String refTable, String refColumn) {
    }

    public record Table(String name, List<Column> columns, List<ForeignKey> foreignKeys,
            Map<String, List<String>> allowedValues, String replicaIdentity, List<List<String>> uniques) {

        /** Whether some unique index (the key included) covers exactly these columns. */
        public boolean unique(List<String> cols) {
            List<String> sorted = cols.stream().sorted().toList();
            return uniques.stream().anyMatch(u -> u.equals(sorted));
        }

        public Optional<Column> column(String name) {
            return columns.stream().filter(c -> c.name().equals(name)).findFirst();
        }

        public List<String> key() {
            return columns.stream().filter(Column::inKey).map(Column::name).toList();
        }

        public List<ForeignKey> to(String qualifiedTable) {
            return foreignKeys.stream().filter(f -> f.refTable().equals(qualifiedTable)).toList();
        }

        public String qualified() {
            return "public." + name;
        }
    }

    public Optional<Table> table(String name) {
        String bare = name.startsWith("public.") ? name.substring("public.".length()) : name;
        return Optional.ofNullable(tables.get(bare));
    }

    /** The public table a word names: itself, or its plural or singular form; empty when none does. */
    public Optional<Table> named(String word) {
        for (String candidate : List.of(word, word + "s", word + "es",
                word.endsWith("ies") ? word.substring(0, word.length() - 3) + "y" : word,
                word.endsWith("s") ? word.substring(0, word.length() - 1) : word,
                word.endsWith("es") ? word.substring(0, word.length() - 2) : word)) {
            if (tables.containsKey(candidate)) {
                return Optional.of(tables.get(candidate));
            }
        }
        return Optional.empty();
    }

    /**
     * Membership tables of {@code tenant}: a table with a foreign key to it and one to auth.users (the member), unique
     * together (a user is a member once), other than the tenant itself.
     */
    public List<Table> memberships(String tenantQualified) {
        List<Table> out = new ArrayList<>();
        for (Table t : tables.values()) {
            if (!t.qualified().equals(tenantQualified) && t.to(tenantQualified).size() == 1
                    && t.to(AUTH_USERS).size() == 1 && t.unique(List.of(t.to(tenantQualified).get(0).column(),
                    t.to(AUTH_USERS).get(0).column()))) {
                out.add(t);
            }
        }
        return out;
    }

    public static SchemaGraph read(SandboxDatabase db) {
        Map<String, List<Column>> columns = new LinkedHashMap<>();
        Map<String, String> identities = new LinkedHashMap<>();
        for (Map<String, Object> r : db.query(sql("columns.sql"))) {
            String labels = String.valueOf(r.get("enum_labels"));
            columns.computeIfAbsent(String.valueOf(r.get("tbl")), t -> new ArrayList<>()).add(new Column(
                    String.valueOf(r.get("col")), String.valueOf(r.get("type")), Boolean.TRUE.equals(r.get("not_null")),
                    Boolean.TRUE.equals(r.get("filled")), labels.isEmpty() ? List.of() : List.of(labels.split(",")),
                    Boolean.TRUE.equals(r.get("in_key"))));
            identities.put(String.valueOf(r.get("tbl")), String.valueOf(r.get("replica_identity")));
        }
        Map<String, List<ForeignKey>> fks = new LinkedHashMap<>();
        for (Map<String, Object> r : db.query(sql("foreign-keys.sql"))) {
            fks.computeIfAbsent(String.valueOf(r.get("tbl")), t -> new ArrayList<>()).add(new ForeignKey(
                    String.valueOf(r.get("col")), r.get("ref_schema") + "." + r.get("ref_tbl"),
                    String.valueOf(r.get("ref_col"))));
        }
        Map<String, Map<String, List<String>>> checks = new LinkedHashMap<>();
        for (Map<String, Object> r : db.query(sql("checks.sql"))) {
            Matcher any = ANY_ARRAY.matcher(String.valueOf(r.get("def")));
            if (any.find()) {
                List<String> values = new ArrayList<>();
                Matcher lit = LITERAL.matcher(any.group(1));
                while (lit.find()) {
                    values.add(lit.group(1).replace("''", "'"));
                }
                if (!values.isEmpty()) {
                    checks.computeIfAbsent(String.valueOf(r.get("tbl")), t -> new LinkedHashMap<>())
                            .putIfAbsent(String.valueOf(r.get("col")), values);
                }
            }
        }
        Map<String, List<List<String>>> uniques = new LinkedHashMap<>();
        for (Map<String, Object> r : db.query(sql("uniques.sql"))) {
            uniques.computeIfAbsent(String.valueOf(r.get("tbl")), t -> new ArrayList<>())
                    .add(List.of(String.valueOf(r.get("cols")).split(",")));
        }
        Map<String, Table> tables = new LinkedHashMap<>();
        columns.forEach((name, cols) -> tables.put(name, new Table(name, List.copyOf(cols),
                List.copyOf(fks.getOrDefault(name, List.of())), Map.copyOf(checks.getOrDefault(name, Map.of())),
                identities.get(name), List.copyOf(uniques.getOrDefault(name, List.of())))));
        return new SchemaGraph(java.util.Collections.unmodifiableMap(tables));
    }

    static String sql(String name) {
        return resource("/dev/backendteam/dbarchitect/realtime/" + name);
    }

    /** A classpath resource of the module (the realtime queries, the schema role's catalog snapshot). */
    static String resource(String path) {
        try (InputStream in = SchemaGraph.class.getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + path);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
