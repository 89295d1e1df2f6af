package dev.backendteam.dbarchitect.api;

import com.fasterxml.jackson.databind.JsonNode;
import dev.backendteam.contract.Finding;
import dev.backendteam.contract.access.AccessDefaults;
import dev.backendteam.contract.access.AccessIntent;
import dev.backendteam.contract.access.Grantee;
import dev.backendteam.contract.access.Operation;
import dev.backendteam.contract.access.SpecAccess;
import dev.backendteam.contract.access.TableIntent;
import dev.backendteam.contract.access.Tenancy;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * Who may read which rows of each table, as the API's proofs judge it: the access intent the spec declares (markers
 * and {@code access}, read as the security specialist reads them), and for a table the spec does not describe (SQL a
 * user wrote) an intent inferred from its columns (never from its grants, which it judges) — stated as assumptions.
 * {@link #visible} turns a table's
 * select rule into a SQL predicate over the seeded rows, evaluated as the table owner: the oracle every view's and
 * function's rows are compared with, written from the intent and never from the policies it checks.
 */
public final class ApiIntent {
    static final List<String> OWNER_COLUMNS = List.of("user_id", "owner_id", "author_id", "created_by", "profile_id");

    private final AccessIntent intent;
    private final ApiCatalog catalog;
    private final List<String> assumptions;
    private final List<Finding> findings;

    private ApiIntent(AccessIntent intent, ApiCatalog catalog, List<String> assumptions, List<Finding> findings) {
        this.intent = intent;
        this.catalog = catalog;
        this.assumptions = List.copyOf(assumptions);
        this.findings = List.copyOf(findings);
    }

    /** What resolving the intent found: an anon grant no intent declares ({@code api.anon-grant-without-intent}). */
    public List<Finding> findings() {
        return findings;
    }

    public AccessIntent intent() {
        return intent;
    }

    public List<String> assumptions() {
        return assumptions;
    }

    /**
     * The intent of the catalog's tables: the spec's (when declared by the user) where it describes them, else
     * inferred: an owner column referencing auth.users makes rows their owner's, a foreign key to another table of the
     * schema makes rows follow that parent; otherwise signed-in users read. Never public: a grant anon holds is
     * reported ({@link #findings()}), not taken for an intent.
     */
    public static ApiIntent resolve(JsonNode declaredSpec, JsonNode drafted, ApiCatalog catalog) {
        AccessIntent declared = declaredSpec == null ? new AccessIntent(List.of(), List.of())
                : SpecAccess.read(declaredSpec, name -> catalog.relation(name).isPresent()).intent();
        List<TableIntent> tables = new ArrayList<>();
        List<String> assumptions = new ArrayList<>();
        List<Finding> findings = new ArrayList<>();
        for (ApiCatalog.Relation t : catalog.tables()) {
            Optional<TableIntent> d = declared.table(t.qualified());
            if (d.isPresent()) {
                tables.add(d.get());
                continue;
            }
            JsonNode ops = drafted == null ? null : drafted.path("access").get(t.name());
            if (ops != null && ops.isObject()) {
                tables.add(draftedTable(t, ops, drafted, assumptions));
                continue;
            }
            TableIntent shape = shape(t);
            // never public from a grant: the intent is what the grants are checked against (legacy: anon holds all)
            TableIntent inferred = shape.withRules("inferred", AccessDefaults.rules(shape, false, null), List.of());
            tables.add(inferred);
            assumptions.add(t.qualified() + ": " + describe(inferred));
            List<String> anon = java.util.stream.Stream.of("select", "insert", "update", "delete")
                    .filter(p -> t.may("anon", p)).toList();
            if (!anon.isEmpty()) {
                findings.add(ApiRules.standard().finding("api.anon-grant-without-intent", t.qualified(),
                        String.join(", ", anon)));
            }
        }
        return new ApiIntent(new AccessIntent(declared.tenancies(), tables), catalog, assumptions, findings);
    }

    /**
     * A table's rules as security's confirmed (or, configured so, unconfirmed) draft gives them, read as security
     * reads it (DraftCheck.intent): the inferred shape, its owner column the one {@code ownerColumns} names when the
     * table has it, and the drafted operations replacing the shape's rules ({@link SpecAccess#declare}).
     */
    private static TableIntent draftedTable(ApiCatalog.Relation t, JsonNode ops, JsonNode drafted,
            List<String> assumptions) {
        TableIntent inferred = shape(t);
        String named = drafted.path("ownerColumns").path(t.name()).asText(null);
        String owner = named != null && t.column(named).isPresent() && !inferred.membership() ? named
                : inferred.ownerColumn();
        TableIntent shaped = new TableIntent(inferred.table(), inferred.source(), owner, inferred.tenant(),
                inferred.tenantColumn(), inferred.tenantRoot(), inferred.membership(), inferred.join(), false,
                inferred.parents(), Map.of(), List.of());
        TableIntent base = shaped.withRules("inferred", AccessDefaults.rules(shaped, false, null), List.of());
        List<SpecAccess.Problem> problems = new ArrayList<>();
        TableIntent declared = SpecAccess.declare(base, ops, "/access/" + t.name(), null, problems);
        String source = drafted.path("source").asText("drafted by the model");
        problems.forEach(p -> assumptions.add(t.qualified() + ": the drafted access does not fit at " + p.path()
                + ": " + p.message()));
        return declared.withRules(source, declared.rules(), List.of());
    }

    private static TableIntent shape(ApiCatalog.Relation t) {
        String owner = null;
        for (String c : OWNER_COLUMNS) {
            if (t.foreignKey(c).filter(f -> f.ref().equals("auth.users")).isPresent()) {
                owner = c;
                break;
            }
        }
        if (owner == null && t.primaryKey().size() == 1 && t.foreignKey(t.primaryKey().get(0))
                .filter(f -> f.ref().equals("auth.users")).isPresent()) {
            owner = t.primaryKey().get(0);
        }
        List<TableIntent.Parent> parents = new ArrayList<>();
        for (ApiCatalog.ForeignKey f : t.foreignKeys()) {
            if (f.columns().size() == 1 && f.refSchema().equals(ApiCatalog.SCHEMA) && !f.refTable().equals(t.name())) {
                parents.add(new TableIntent.Parent(f.ref(), f.columns().get(0)));
            }
        }
        boolean join = owner == null && parents.size() == 2 && t.primaryKey().size() == 2
                && parents.stream().allMatch(p -> t.primaryKey().contains(p.column()));
        return new TableIntent(t.qualified(), "inferred", owner, null, null, false, false, join, false, parents,
                Map.of(), List.of());
    }

    private static String describe(TableIntent t) {
        List<String> says = new ArrayList<>();
        if (t.ownerColumn() != null) {
            says.add("owner column " + t.ownerColumn());
        }
        t.parents().forEach(p -> says.add("rows follow " + p.table() + " (" + p.column() + ")"));
        return (says.isEmpty() ? "no owner or parent column: signed-in users read every row" : String.join(", ", says))
                + " — inferred; declare the spec's access section to say otherwise";
    }

    public Optional<TableIntent> table(String qualified) {
        return intent.table(qualified);
    }

    /** Whether the intent lets {@code actor} read any row of the table at all (the grant layer's question). */
    public boolean mayRead(String qualified, Actor actor) {
        Optional<TableIntent> t = intent.table(qualified);
        if (t.isEmpty()) {
            return actor.service();
        }
        return actor.service() || !t.get().privileges(actor.role()).isEmpty()
                && t.get().privileges(actor.role()).contains(Operation.SELECT);
    }

    /**
     * A SQL condition on {@code alias} (a row of the table) that is true exactly when the intent lets {@code actor}
     * read the row; evaluated as the table owner, so no policy takes part in it.
     */
    public String visible(String qualified, String alias, Actor actor) {
        return allowed(qualified, alias, actor, Operation.SELECT, 0);
    }

    /**
     * A SQL condition on {@code alias} (a row not stored yet, its columns given as values) that is true exactly when
     * the intent's INSERT rule lets {@code actor} insert it: the rule's grantees for the row, its tenant and parents.
     */
    public String insertable(String qualified, String alias, Actor actor) {
        return allowed(qualified, alias, actor, Operation.INSERT, 0);
    }

    private String visible(String qualified, String alias, Actor actor, int depth) {
        return allowed(qualified, alias, actor, Operation.SELECT, depth);
    }

    private String allowed(String qualified, String alias, Actor actor, Operation operation, int depth) {
        if (actor.service()) {
            return "true";
        }
        Optional<TableIntent> found = intent.table(qualified);
        if (found.isEmpty() || depth > 6) {
            return "false";
        }
        TableIntent t = found.get();
        List<Grantee> rule = t.rule(operation);
        if (actor.user() == null) {
            return rule.stream().anyMatch(g -> g.kind() == Grantee.Kind.ANON) ? "true" : "false";
        }
        List<String> any = new ArrayList<>();
        for (Grantee g : rule) {
            switch (g.kind()) {
                case ANON, AUTHENTICATED -> any.add("true");
                case OWNER -> any.add(t.ownerColumn() == null ? "false" : alias + "." + Sql.ident(t.ownerColumn())
                        + " = " + uuid(actor.user()));
                case MEMBER -> any.add(member(t, alias, actor.user(), g.role()));
                case PARENT -> any.add(parents(t, alias, actor, depth));
                default -> any.add("false");
            }
        }
        if (any.isEmpty()) {
            return "false";
        }
        String condition = "(" + String.join(" or ", any) + ")";
        Optional<Tenancy> tenancy = intent.tenancyOf(t);
        if (t.tenant() != null && tenancy.isPresent() && !t.membership()) {
            condition += " and " + member(t, alias, actor.user(), null);
        }
        if (!t.parents().isEmpty() && rule.stream().noneMatch(g -> g.kind() == Grantee.Kind.PARENT
                || g.kind() == Grantee.Kind.ANON)) {
            condition += " and " + parents(t, alias, actor, depth);
        }
        return condition;
    }

    private String member(TableIntent t, String alias, UUID user, String role) {
        Optional<Tenancy> tenancy = intent.tenancyOf(t);
        if (tenancy.isEmpty()) {
            return "false";
        }
        Tenancy x = tenancy.get();
        String tenantKey = t.tenantRoot() ? alias + "." + Sql.ident(key(t.table()))
                : alias + "." + Sql.ident(t.membership() ? x.tenantColumn() : t.tenantColumn());
        return "exists (select 1 from " + Sql.qualified(x.membership()) + " m_ where m_." + Sql.ident(x.tenantColumn())
                + " = " + tenantKey + " and m_." + Sql.ident(x.userColumn()) + " = " + uuid(user)
                + (role == null ? "" : " and m_." + Sql.ident(x.roleColumn()) + " = " + Sql.literal(role)) + ")";
    }

    private String parents(TableIntent t, String alias, Actor actor, int depth) {
        if (t.parents().isEmpty()) {
            return "false";
        }
        List<String> all = new ArrayList<>();
        int n = 0;
        for (TableIntent.Parent p : t.parents()) {
            String pa = "p" + depth + "_" + n++;
            String refColumn = catalog.relation(t.table()).flatMap(r -> r.foreignKey(p.column()))
                    .map(f -> f.refColumns().get(0)).orElse("id");
            all.add("exists (select 1 from " + Sql.qualified(p.table()) + " " + pa + " where " + pa + "."
                    + Sql.ident(refColumn) + " = " + alias + "." + Sql.ident(p.column()) + " and "
                    + visible(p.table(), pa, actor, depth + 1) + ")");
        }
        return String.join(" and ", all);
    }

    private String key(String qualified) {
        return catalog.relation(qualified).filter(r -> r.primaryKey().size() == 1).map(r -> r.primaryKey().get(0))
                .orElse("id");
    }

    private static String uuid(UUID u) {
        return Sql.literal(u.toString()) + "::uuid";
    }
}
