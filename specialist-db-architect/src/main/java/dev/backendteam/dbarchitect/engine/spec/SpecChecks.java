package dev.backendteam.dbarchitect.engine.spec;

import dev.backendteam.dbarchitect.engine.design.ExistingSchema;
import dev.backendteam.dbarchitect.engine.sql.LexProblem;
import dev.backendteam.dbarchitect.engine.sql.SqlScript;
import dev.backendteam.dbarchitect.engine.sql.Token;
import dev.backendteam.dbarchitect.engine.sql.TokenType;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The checks a JSON Schema cannot express: names that must be unique or are reserved, references to entities that
 * do not exist, contradictions between flags, cycles, SQL fragments that would break the statement they go into,
 * and queries that name unknown tables.
 */
public final class SpecChecks {
    public static final String DUPLICATE_NAME = "spec.duplicate-name";
    public static final String RESERVED_WORD = "spec.reserved-word";
    public static final String UNKNOWN_ENTITY = "spec.unknown-entity";
    public static final String CONTRADICTION = "spec.contradiction";
    public static final String CYCLE = "spec.cycle";
    public static final String INVALID_TYPE = "spec.invalid-type";
    public static final String INVALID_EXPRESSION = "spec.invalid-expression";
    public static final String INVALID_DEFAULT = "spec.invalid-default";
    public static final String QUERY = "spec.query";
    public static final String TENANT_WITHOUT_MEMBERSHIP = "spec.tenant-without-membership";
    public static final String ACCESS = "spec.access";
    public static final String AUTH_USERS = "auth.users";

    private static final String RESERVED_RESOURCE = "/dev/backendteam/dbarchitect/reserved-words.txt";
    private static final Set<String> RESERVED = loadReserved();
    private static final Pattern NUMERIC = Pattern.compile("numeric\\((\\d+),(\\d+)\\)");

    private SpecChecks() {
    }

    public static boolean reserved(String word) {
        return RESERVED.contains(word);
    }

    public static List<SpecProblem> check(DomainSpec spec, ExistingSchema existing) {
        List<SpecProblem> problems = new ArrayList<>();
        Map<String, DomainSpec.Entity> byName = new LinkedHashMap<>();
        for (DomainSpec.Entity e : spec.entities()) {
            DomainSpec.Entity earlier = byName.putIfAbsent(e.name(), e);
            if (earlier != null) {
                problems.add(SpecProblem.error(e.path() + "/name", DUPLICATE_NAME, "entity `" + e.name()
                        + "` is already defined at " + earlier.path(), "Rename one of them, or merge the two."));
            }
        }
        for (DomainSpec.Entity e : spec.entities()) {
            names(e, problems);
            flags(e, problems);
            references(e, byName, existing, problems);
            fields(e, problems);
        }
        tenants(spec, problems);
        cycles(spec, byName, problems);
        queries(spec, byName, existing, problems);
        return problems;
    }

    private static void names(DomainSpec.Entity e, List<SpecProblem> problems) {
        reservedName(e.path() + "/name", e.name(), problems);
        for (DomainSpec.Field f : e.fields()) {
            reservedName(f.path(), f.name(), problems);
        }
        List<DomainSpec.Relation> relations = new ArrayList<>(e.belongsTo());
        relations.addAll(e.manyToMany());
        for (DomainSpec.Relation r : relations) {
            if (r.column() != null) {
                reservedName(r.path() + "/column", r.column(), problems);
            }
        }
    }

    private static void reservedName(String path, String name, List<SpecProblem> problems) {
        if (RESERVED.contains(name)) {
            problems.add(SpecProblem.error(path, RESERVED_WORD, "`" + name + "` is a reserved word in PostgreSQL",
                    "Choose another name (e.g. app_" + name + " or " + name + "_name); reserved words need quoting"
                            + " everywhere they are used."));
        }
    }

    private static void flags(DomainSpec.Entity e, List<SpecProblem> problems) {
        if (e.serviceOnly() && e.publicRead()) {
            problems.add(SpecProblem.error(e.path(), CONTRADICTION, "an entity cannot be both serviceOnly and"
                    + " publicRead", "Keep the one you mean: publicRead (anyone may read) or serviceOnly (only the"
                    + " service role may read or write)."));
        }
        if (e.membership() != null) {
            if (e.owner() != null) {
                problems.add(SpecProblem.error(e.path() + "/owner", CONTRADICTION, "a tenantMembership entity"
                        + " already has user_id (the member); it cannot also have an owner", "Remove owner."));
            }
            if (e.tenant() != null) {
                problems.add(SpecProblem.error(e.path() + "/tenant", CONTRADICTION, "a tenantMembership entity"
                        + " already references its tenant", "Remove tenant; tenantMembership.tenant says it."));
            }
            if (!e.manyToMany().isEmpty()) {
                problems.add(SpecProblem.error(e.path() + "/manyToMany", CONTRADICTION, "an entity is either a"
                        + " tenantMembership or a manyToMany join table, not both", "Keep one of them."));
            }
            String def = e.membership().defaultRole();
            if (def != null && !e.membership().roles().contains(def)) {
                problems.add(SpecProblem.error(e.membership().path() + "/defaultRole", INVALID_DEFAULT, "`" + def
                        + "` is not one of the roles " + String.join(", ", e.membership().roles()),
                        "Choose one of the roles."));
            }
        }
        if ((e.membership() != null || !e.manyToMany().isEmpty())
                && e.primaryKey() == DomainSpec.PrimaryKey.IDENTITY) {
            problems.add(SpecProblem.error(e.path() + "/primaryKey", CONTRADICTION, "a join table's primary key is"
                    + " the pair of its references; it has no identity key", "Remove primaryKey."));
        }
        if (e.owner() != null && "set null".equals(e.owner().onDelete())) {
            problems.add(SpecProblem.error(e.owner().path() + "/onDelete", CONTRADICTION, "user_id is not null, so"
                    + " on delete set null would fail", "Use cascade or restrict."));
        }
        if (e.serviceOnly() && e.owner() != null) {
            problems.add(SpecProblem.warning(e.path() + "/owner", ACCESS, "serviceOnly with owner: user_id"
                    + " defaults to auth.uid(), which is null for the service role", "The service must set user_id"
                    + " explicitly on insert."));
        }
        if (e.publicRead() && e.owner() == null) {
            problems.add(SpecProblem.warning(e.path() + "/publicRead", ACCESS, "publicRead without owner: anyone"
                    + " may read, and only the service role may write", "Add owner: true if signed-in users write"
                    + " their own rows."));
        }
    }

    private static void references(DomainSpec.Entity e, Map<String, DomainSpec.Entity> byName,
            ExistingSchema existing, List<SpecProblem> problems) {
        for (DomainSpec.Relation r : e.references()) {
            boolean isTenant = r == e.tenant() || e.membership() != null && r.path().endsWith("/tenant");
            String target = r.target();
            if (target.equals(e.name())) {
                if (isTenant || e.manyToMany().contains(r) && e.manyToMany().stream()
                        .filter(m -> m.target().equals(target)).count() < 2) {
                    problems.add(SpecProblem.error(r.path(), CONTRADICTION, "`" + target + "` references itself here",
                            "Only belongsTo may reference its own entity (a tree: parent_id)."));
                }
            } else if (byName.containsKey(target)) {
                if (isTenant && byName.get(target).membership() != null) {
                    problems.add(SpecProblem.error(r.path(), CONTRADICTION, "the tenant `" + target + "` is itself"
                            + " a membership", "Name the tenant entity (e.g. organization)."));
                }
            } else if (target.equals(AUTH_USERS)) {
                if (isTenant) {
                    problems.add(SpecProblem.error(r.path(), CONTRADICTION, "auth.users cannot be a tenant",
                            "Name the tenant entity (e.g. organization); owner: true links rows to users."));
                }
            } else if (existing.find(target).isPresent()) {
                if (existing.find(target).get().primaryKeyType() == null) {
                    problems.add(SpecProblem.error(r.path(), UNKNOWN_ENTITY, "the existing table `" + target
                            + "` has no single-column primary key to reference", "Reference a table with one."));
                }
            } else {
                String near = nearest(target, byName.keySet());
                problems.add(SpecProblem.error(r.path(), UNKNOWN_ENTITY, "unknown entity `" + target + "`"
                        + (near == null ? "" : " — did you mean `" + near + "`?"), "Name an entity of this spec, a"
                        + " table of the given SQL or earlier migrations, or auth.users."));
            }
            if ("set null".equals(r.onDelete()) && !Boolean.TRUE.equals(r.nullable()) && !target.equals(e.name())) {
                problems.add(SpecProblem.error(r.path() + "/onDelete", CONTRADICTION, e.manyToMany().contains(r)
                        ? "a join table's references are its primary key and cannot be set null"
                        : "on delete set null needs nullable: true", e.manyToMany().contains(r)
                        ? "Use cascade or restrict." : "Add nullable: true, or choose cascade or restrict."));
            }
        }
    }

    private static void fields(DomainSpec.Entity e, List<SpecProblem> problems) {
        for (DomainSpec.Field f : e.fields()) {
            if (f.isEnum() && f.type() != null && !f.type().equals("text")) {
                problems.add(SpecProblem.error(f.typePath(), INVALID_TYPE, "an enum is text (a check"
                        + " constraint lists its values), not " + f.type(), "Remove type, or make it text."));
            }
            if (f.type() != null) {
                Matcher m = NUMERIC.matcher(f.type());
                if (m.find() && Integer.parseInt(m.group(2)) > Integer.parseInt(m.group(1))) {
                    problems.add(SpecProblem.error(f.typePath(), INVALID_TYPE,
                            "numeric scale " + m.group(2) + " exceeds its precision " + m.group(1),
                            "Write numeric(p,s) with s ≤ p, e.g. numeric(12,2) for money."));
                }
            }
            expression(f.path() + "/check", f.check(), problems);
            if (f.defaultValue() != null && f.defaultValue().isObject()) {
                expression(f.path() + "/default/sql", f.defaultValue().path("sql").asText(), problems);
            }
        }
        for (int i = 0; i < e.checks().size(); i++) {
            expression(e.path() + "/checks/" + i, e.checks().get(i), problems);
        }
    }

    private static void expression(String path, String sql, List<SpecProblem> problems) {
        if (sql == null) {
            return;
        }
        String problem = SqlExpressions.problem(sql);
        if (problem != null) {
            problems.add(SpecProblem.error(path, INVALID_EXPRESSION, problem, "Write one SQL expression, e.g."
                    + " char_length(title) between 1 and 200."));
        }
    }

    private static void tenants(DomainSpec spec, List<SpecProblem> problems) {
        Set<String> withMembership = new HashSet<>();
        spec.entities().stream().filter(e -> e.membership() != null)
                .forEach(e -> withMembership.add(e.membership().tenant()));
        for (DomainSpec.Entity e : spec.entities()) {
            if (e.tenant() != null && !withMembership.contains(e.tenant().target())) {
                problems.add(SpecProblem.warning(e.tenant().path(), TENANT_WITHOUT_MEMBERSHIP, "no entity declares"
                        + " tenantMembership for `" + e.tenant().target() + "`, so nothing says who its members are",
                        "Add an entity with tenantMembership: { tenant: " + e.tenant().target() + ", roles: [...] }."));
            }
        }
    }

    /** References between entities of the spec must be creatable in some order. */
    private static void cycles(DomainSpec spec, Map<String, DomainSpec.Entity> byName, List<SpecProblem> problems) {
        Map<String, Integer> state = new HashMap<>();
        for (DomainSpec.Entity e : spec.entities()) {
            List<String> path = new ArrayList<>();
            if (cycle(e.name(), byName, state, path)) {
                DomainSpec.Entity start = byName.get(path.get(0));
                String next = path.size() > 1 ? path.get(1) : path.get(0);
                String at = start.references().stream().filter(r -> r.target().equals(next)).findFirst()
                        .map(DomainSpec.Relation::path).orElse(start.path());
                problems.add(SpecProblem.error(at, CYCLE, "references form a cycle: " + String.join(" → ", path),
                        "Remove one reference of the cycle; tables are created in dependency order."));
                return;
            }
        }
    }

    private static boolean cycle(String name, Map<String, DomainSpec.Entity> byName, Map<String, Integer> state,
            List<String> path) {
        Integer s = state.get(name);
        if (s != null && s == 2) {
            return false;
        }
        if (s != null && s == 1) {
            int from = path.indexOf(name);
            List<String> loop = new ArrayList<>(path.subList(from, path.size()));
            loop.add(name);
            path.clear();
            path.addAll(loop);
            return true;
        }
        state.put(name, 1);
        path.add(name);
        DomainSpec.Entity e = byName.get(name);
        if (e != null) {
            for (DomainSpec.Relation r : e.references()) {
                if (!r.target().equals(name) && byName.containsKey(r.target())
                        && cycle(r.target(), byName, state, path)) {
                    return true;
                }
            }
        }
        path.remove(path.size() - 1);
        state.put(name, 2);
        return false;
    }

    private static void queries(DomainSpec spec, Map<String, DomainSpec.Entity> byName, ExistingSchema existing,
            List<SpecProblem> problems) {
        Set<String> names = new HashSet<>();
        for (DomainSpec.Query q : spec.queries()) {
            if (!names.add(q.name())) {
                problems.add(SpecProblem.error(q.path() + "/name", DUPLICATE_NAME, "query `" + q.name()
                        + "` is defined twice", "Give each query its own name."));
            }
            SqlScript script = SqlScript.parse(q.sql());
            if (!script.problems().isEmpty()) {
                LexProblem p = script.problems().get(0);
                problems.add(SpecProblem.error(q.path() + "/sql", QUERY, p.message() + " at line " + p.line()
                        + ", column " + p.column(), "Close it."));
                continue;
            }
            if (script.statements().size() != 1) {
                problems.add(SpecProblem.error(q.path() + "/sql", QUERY, "must be exactly one statement, not "
                        + script.statements().size(), "Give each statement its own query."));
                continue;
            }
            Set<String> ctes = new HashSet<>();
            List<Token> tokens = script.statements().get(0).tokens();
            for (int i = 0; i + 1 < tokens.size(); i++) {
                if (tokens.get(i).isName() && tokens.get(i + 1).is("as") && i + 2 < tokens.size()
                        && tokens.get(i + 2).type() == TokenType.LPAREN) {
                    ctes.add(tokens.get(i).name());
                }
            }
            for (int i = 0; i + 1 < tokens.size(); i++) {
                if (!tokens.get(i).isAny("from", "join", "update", "into")) {
                    continue;
                }
                int j = i + 1;
                if (tokens.get(j).is("only")) {
                    j++;
                }
                if (j >= tokens.size() || !tokens.get(j).isName()) {
                    continue;
                }
                String name = tokens.get(j).name();
                String qualified = name;
                if (j + 2 < tokens.size() && tokens.get(j + 1).type() == TokenType.DOT && tokens.get(j + 2).isName()) {
                    qualified = name + "." + tokens.get(j + 2).name();
                    name = tokens.get(j + 2).name();
                }
                boolean known = byName.containsKey(name) && !qualified.contains(".")
                        || qualified.equals("public." + name) && byName.containsKey(name)
                        || ctes.contains(name) || existing.find(qualified).isPresent()
                        || qualified.equals(AUTH_USERS) || tokens.get(j).is("lateral") || tokens.get(j).is("unnest")
                        || j + 1 < tokens.size() && tokens.get(j + 1).type() == TokenType.LPAREN;
                if (!known) {
                    String near = nearest(name, byName.keySet());
                    problems.add(SpecProblem.warning(q.path() + "/sql", QUERY, "table `" + qualified + "` (line "
                            + tokens.get(j).line() + ") is not an entity of the spec or an existing table"
                            + (near == null ? "" : " — did you mean `" + near + "`?"),
                            "Name the spec's tables (entity names are table names, unchanged)."));
                }
            }
        }
    }

    static String nearest(String word, Set<String> candidates) {
        String best = null;
        int bestDistance = 3;
        for (String c : candidates) {
            int d = DomainSpecSchema.distance(word, c);
            if (d < bestDistance && d < Math.max(2, c.length() / 2)) {
                best = c;
                bestDistance = d;
            }
        }
        return best;
    }

    private static Set<String> loadReserved() {
        Set<String> words = new HashSet<>();
        try (InputStream in = SpecChecks.class.getResourceAsStream(RESERVED_RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + RESERVED_RESOURCE);
            }
            new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8)).lines().map(String::strip)
                    .filter(l -> !l.isEmpty() && !l.startsWith("#")).forEach(words::add);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return Set.copyOf(words);
    }
}
