package dev.backendteam.security.engine.ai;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.backendteam.contract.Json;
import dev.backendteam.contract.access.AccessIntent;
import dev.backendteam.contract.access.Operation;
import dev.backendteam.contract.access.SpecAccess;
import dev.backendteam.contract.access.TableIntent;
import dev.backendteam.contract.access.Tenancy;
import dev.backendteam.contract.llm.RepairLoop.Problem;
import dev.backendteam.security.engine.catalog.SchemaCatalog;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Checks a drafted access table against the job's schema, with the engine's own rules for an access section
 * ({@link SpecAccess#declare}: grantee tokens, and owner, member and parent only where the table has them), and
 * turns an accepted one into the access intent. A draft covers exactly the tables that declare no intent, names every
 * operation of each, and gives an owner column only if it is a uuid referencing {@code auth.users}. A model's draft is
 * held to more than a declared section: it never lets signed-out visitors write, nor every signed-in user update or
 * delete every row; a user who means that declares it in the spec.
 */
public final class DraftCheck {
    public static final String UNREADABLE = "draft.unreadable";
    public static final String UNKNOWN_TABLE = "draft.unknown-table";
    public static final String DECLARED_TABLE = "draft.declared-table";
    public static final String MISSING_TABLE = "draft.missing-table";
    public static final String UNKNOWN_OPERATION = "draft.unknown-operation";
    public static final String MISSING_OPERATION = "draft.missing-operation";
    public static final String GRANTEE = "draft.grantee";
    public static final String UNKNOWN_COLUMN = "draft.unknown-column";
    public static final String OWNER_NOT_UUID = "draft.owner-not-uuid";
    public static final String OWNER_NOT_USER = "draft.owner-not-user";
    public static final String OWNER_FIXED = "draft.owner-fixed";
    public static final String ANON_WRITE = "draft.anon-write";
    public static final String UNSCOPED_WRITE = "draft.unscoped-write";

    private static final String AUTH_USERS = "auth.users";

    private final AccessIntent resolved;
    private final SchemaCatalog catalog;
    private final Map<String, TableIntent> drafted = new LinkedHashMap<>();

    /**
     * @param resolved the intent the engine resolved (declared, marked, or inferred from the columns)
     * @param drafted  the qualified tables the model drafts: those of the job whose intent nobody declared
     */
    public DraftCheck(AccessIntent resolved, SchemaCatalog catalog, Set<String> drafted) {
        this.resolved = resolved;
        this.catalog = catalog;
        for (TableIntent t : resolved.tables()) {
            if (drafted.contains(t.table())) {
                this.drafted.put(t.name(), t);
            }
        }
    }

    /**
     * The tables of {@code targets} whose intent nobody declared: inferred from a schema's columns, or an entity of
     * the spec without marker and without access section.
     */
    public static Set<String> undeclared(AccessIntent intent, Set<String> targets) {
        Set<String> out = new LinkedHashSet<>();
        for (TableIntent t : intent.tables()) {
            if (targets.contains(t.table()) && ("inferred".equals(t.source()) || "default".equals(t.source()))) {
                out.add(t.table());
            }
        }
        return out;
    }

    /** The tables to draft, by the name the access section uses. */
    public List<String> tables() {
        return List.copyOf(drafted.keySet());
    }

    public SchemaCatalog catalog() {
        return catalog;
    }

    /** The engine's inference for a drafted table (its owner column, tenant, parents), for the prompt. */
    public Optional<TableIntent> inferred(String name) {
        return Optional.ofNullable(drafted.get(name));
    }

    /** The schema's other tables, declared by the spec or its markers or not the job's: the draft leaves them. */
    public List<String> others() {
        return resolved.tables().stream().filter(t -> !drafted.containsKey(t.name())).map(TableIntent::name).toList();
    }

    /** The draft with every owner column it leaves unsaid set to the one the schema's reference suggests. */
    public AccessDraft normalized(AccessDraft d) {
        Map<String, String> owners = new LinkedHashMap<>(d.ownerColumns());
        for (String table : d.access().keySet()) {
            TableIntent base = drafted.get(table);
            if (base != null && !d.namesOwner(table)) {
                owners.put(table, base.ownerColumn());
            }
        }
        return new AccessDraft(d.access(), owners);
    }

    /** What is wrong with the draft, empty when it fits; objects are {@code table}, {@code table/op}, {@code table.col}. */
    public List<Problem> problems(AccessDraft d) {
        List<Problem> problems = new ArrayList<>();
        for (String table : d.access().keySet()) {
            if (!drafted.containsKey(table)) {
                boolean declared = resolved.tables().stream().anyMatch(t -> t.name().equals(table)
                        && !"inferred".equals(t.source()) && !"default".equals(t.source()));
                problems.add(declared
                        ? new Problem(DECLARED_TABLE, table, "the spec declares the access of " + table + ": leave it"
                        + " out of the draft")
                        : new Problem(UNKNOWN_TABLE, table, table + " is not a table this job drafts; the tables to"
                        + " draft are " + String.join(", ", drafted.keySet())));
            }
        }
        for (String owned : d.ownerColumns().keySet()) {
            if (!d.access().containsKey(owned) && !drafted.containsKey(owned)) {
                problems.add(new Problem(UNKNOWN_TABLE, owned, "ownerColumns names " + owned + ", which is no table"
                        + " to draft"));
            }
        }
        for (Map.Entry<String, TableIntent> e : drafted.entrySet()) {
            String table = e.getKey();
            Map<String, List<String>> ops = d.access().get(table);
            if (ops == null) {
                problems.add(new Problem(MISSING_TABLE, table, "the draft leaves out " + table + "; give its four"
                        + " operations (an empty list: nobody but the service)"));
                continue;
            }
            SchemaCatalog.Table schema = catalog.table(e.getValue().table()).orElseThrow();
            String owner = d.namesOwner(table) ? d.ownerColumns().get(table) : e.getValue().ownerColumn();
            problems.addAll(ownerProblems(e.getValue(), schema, owner));
            for (String op : ops.keySet()) {
                if (operation(op).isEmpty()) {
                    problems.add(new Problem(UNKNOWN_OPERATION, table + "/" + op, "unknown operation `" + op
                            + "` on " + table + "; use select, insert, update, delete"));
                }
            }
            for (Operation op : Operation.values()) {
                List<String> grantees = ops.get(op.wire());
                if (grantees == null) {
                    problems.add(new Problem(MISSING_OPERATION, table + "/" + op.wire(), "the draft does not say who"
                            + " may " + op.wire() + " on " + table + " (an empty list: nobody but the service)"));
                    continue;
                }
                if (op != Operation.SELECT && grantees.contains("anon")) {
                    problems.add(new Problem(ANON_WRITE, table + "/" + op.wire(), "a drafted intent never lets"
                            + " signed-out visitors (anon) " + op.wire() + " on " + table + "; a user who means it"
                            + " declares it in the spec's access section"));
                }
                if ((op == Operation.UPDATE || op == Operation.DELETE) && grantees.contains("authenticated")) {
                    problems.add(new Problem(UNSCOPED_WRITE, table + "/" + op.wire(), "`authenticated` would let every"
                            + " signed-in user " + op.wire() + " every row of " + table + "; a drafted intent names"
                            + " whose rows (owner, member, parent)"));
                }
            }
            List<SpecAccess.Problem> fit = new ArrayList<>();
            SpecAccess.declare(shaped(e.getValue(), owner), block(ops), "/access/" + table,
                    tenancy(e.getValue()), fit);
            for (SpecAccess.Problem p : fit) {
                String[] parts = p.path().split("/");
                String object = parts.length > 3 ? table + "/" + parts[3] : table;
                problems.add(new Problem(GRANTEE, object, p.message().replace("add owner: true to the entity",
                        "name the owner column in ownerColumns").replace("add belongsTo to the entity",
                        "the table has no foreign key to another table")));
            }
        }
        return problems;
    }

    private List<Problem> ownerProblems(TableIntent base, SchemaCatalog.Table schema, String owner) {
        String table = base.name();
        if (base.membership() && !Objects.equals(owner, base.ownerColumn())) {
            return List.of(new Problem(OWNER_FIXED, table + "." + owner, table + " is a membership table: its user"
                    + " column is " + base.ownerColumn() + ", not " + owner));
        }
        if (owner == null) {
            return List.of();
        }
        Optional<SchemaCatalog.Column> column = schema.column(owner);
        if (column.isEmpty()) {
            return List.of(new Problem(UNKNOWN_COLUMN, table + "." + owner, table + " has no column " + owner
                    + "; its columns are " + String.join(", ", schema.columns().stream().map(SchemaCatalog.Column::name)
                    .toList())));
        }
        if (!"uuid".equals(column.get().type())) {
            return List.of(new Problem(OWNER_NOT_UUID, table + "." + owner, table + "." + owner + " is "
                    + column.get().type() + "; an owner column holds the user's id (uuid)"));
        }
        boolean references = schema.foreignKey(owner).map(f -> f.ref().equals(AUTH_USERS)
                && f.refColumns().equals(List.of("id"))).orElse(false);
        if (!references) {
            return List.of(new Problem(OWNER_NOT_USER, table + "." + owner, table + "." + owner + " does not"
                    + " reference auth.users(id), so it does not say which user a row is"));
        }
        return List.of();
    }

    /**
     * The resolved intent with the drafted tables' rules replaced by the draft's, labelled {@code source}. Lenient, so
     * that two drafts can be compared cell by cell even before they fit: unknown tables, operations and tokens are
     * left out, and an owner column the table lacks keeps the inferred one.
     */
    public AccessIntent intent(AccessDraft d, String source) {
        List<TableIntent> tables = new ArrayList<>();
        for (TableIntent t : resolved.tables()) {
            Map<String, List<String>> ops = drafted.containsKey(t.name()) ? d.access().get(t.name()) : null;
            if (ops == null) {
                tables.add(t);
                continue;
            }
            SchemaCatalog.Table schema = catalog.table(t.table()).orElseThrow();
            String owner = d.namesOwner(t.name()) ? d.ownerColumns().get(t.name()) : t.ownerColumn();
            if (owner != null && schema.column(owner).isEmpty() || t.membership()) {
                owner = t.ownerColumn();
            }
            TableIntent declared = SpecAccess.declare(shaped(t, owner), block(ops), "/access/" + t.name(),
                    tenancy(t), new ArrayList<>());
            tables.add(declared.withRules(source, declared.rules(), List.of()));
        }
        return new AccessIntent(resolved.tenancies(), tables);
    }

    /**
     * A short digest of the drafted tables' columns and keys: a confirmation holds for the schema it was asked about,
     * not for one changed since.
     */
    public String digest() {
        StringBuilder s = new StringBuilder();
        for (TableIntent t : drafted.values()) {
            SchemaCatalog.Table table = catalog.table(t.table()).orElseThrow();
            s.append(t.table()).append('(');
            table.columns().forEach(c -> s.append(c.name()).append(' ').append(c.type()).append(','));
            s.append(") pk ").append(table.primaryKey());
            table.foreignKeys().forEach(f -> s.append(" fk ").append(f.columns()).append("->").append(f.ref())
                    .append(f.refColumns()));
            s.append('\n');
        }
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(s.toString().getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(hash, 0, 6);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }

    private Tenancy tenancy(TableIntent t) {
        return resolved.tenancyOf(t).orElse(null);
    }

    /** The inferred shape with the drafted owner column (its parents and tenant are the schema's). */
    private static TableIntent shaped(TableIntent t, String owner) {
        return new TableIntent(t.table(), t.source(), owner, t.tenant(), t.tenantColumn(), t.tenantRoot(),
                t.membership(), t.join(), false, t.parents(), t.rules(), t.assumptions());
    }

    private static ObjectNode block(Map<String, List<String>> ops) {
        ObjectNode block = Json.events().createObjectNode();
        ops.forEach((op, grantees) -> {
            if (operation(op).isPresent()) {
                ArrayNode list = block.putArray(op);
                grantees.forEach(list::add);
            }
        });
        return block;
    }

    private static Optional<Operation> operation(String wire) {
        for (Operation op : Operation.values()) {
            if (op.wire().equals(wire)) {
                return Optional.of(op);
            }
        }
        return Optional.empty();
    }
}
