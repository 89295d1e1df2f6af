package dev.backendteam.dbarchitect.api;

import dev.backendteam.contract.access.TableIntent;
import dev.backendteam.contract.access.Tenancy;
import dev.backendteam.sandbox.SandboxDatabase;
import dev.backendteam.sandbox.StatementOutcome;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The rows the API's proofs run against, inserted as the tables' owner (no policy applies) inside the proof's
 * rolled-back transaction: the three users, then per table, parents first, a world-1 row of the owner (in tenant 1,
 * under world-1 parents) and a world-2 row of the stranger (tenant 2, world-2 parents); a soft-delete table also gets
 * a deleted world-1 row, so that a view showing deleted rows is caught. Membership tables hold the owner in tenant 1
 * and the stranger in tenant 2 with the first role; the non-member is in none. Values come back from
 * {@code returning *}, so generated keys and identities are what later rows reference.
 */
final class ApiWorld {
    private static final Pattern QUOTED = Pattern.compile("'((?:[^']|'')*)'");

    /** One seeded row: its world, whether it is the deleted one, and its values as PostgreSQL printed them. */
    record Row(String table, int world, boolean deleted, Map<String, Object> values) {
    }

    private final ApiCatalog catalog;
    private final ApiIntent intent;
    private final Map<String, List<Row>> rows = new LinkedHashMap<>();
    private final List<String> statements = new ArrayList<>();
    private String error;
    private int counter;

    ApiWorld(ApiCatalog catalog, ApiIntent intent) {
        this.catalog = catalog;
        this.intent = intent;
    }

    List<Row> rows(String qualified) {
        return rows.getOrDefault(qualified, List.of());
    }

    Optional<Row> first(String qualified, int world) {
        return rows(qualified).stream().filter(r -> r.world() == world && !r.deleted()).findFirst();
    }

    List<String> statements() {
        return statements;
    }

    /** Why seeding stopped (the statement and the error), or null when every row went in. */
    String error() {
        return error;
    }

    /** Inserts the world; false (and {@link #error()}) when a row could not be inserted. */
    boolean seed(SandboxDatabase.RolledBackTransaction tx) throws SQLException {
        String users = "insert into auth.users (id, email) values " + String.join(", ", Actor.ALL.stream()
                .filter(a -> a.user() != null).map(a -> "(" + Sql.literal(a.user().toString()) + ", "
                + Sql.literal(a.name() + "@example.test") + ")").toList()) + " on conflict (id) do nothing";
        if (!run(tx, users, null, 0, false)) {
            return false;
        }
        for (ApiCatalog.Relation t : ordered()) {
            boolean softDelete = t.column("deleted_at").filter(c -> !c.notNull()).isPresent();
            for (int world = 1; world <= 2; world++) {
                if (!insert(tx, t, world, false)) {
                    return false;
                }
            }
            if (softDelete && !insert(tx, t, 1, true)) {
                return false;
            }
        }
        return true;
    }

    private boolean insert(SandboxDatabase.RolledBackTransaction tx, ApiCatalog.Relation t, int world, boolean deleted)
            throws SQLException {
        Map<String, String> values = values(t, world, deleted);
        boolean identity = values.keySet().stream().anyMatch(c -> t.column(c).map(ApiCatalog.Column::identity)
                .orElse(false));
        String sql = "insert into " + Sql.qualified(t.qualified()) + (values.isEmpty() ? " default values"
                : " (" + String.join(", ", values.keySet().stream().map(Sql::ident).toList()) + ")"
                + (identity ? " overriding system value" : "") + " values (" + String.join(", ", values.values())
                + ")") + " returning *";
        return run(tx, sql, t.qualified(), world, deleted);
    }

    private boolean run(SandboxDatabase.RolledBackTransaction tx, String sql, String table, int world, boolean deleted)
            throws SQLException {
        statements.add(sql);
        StatementOutcome o = tx.execute(sql);
        if (!o.ok()) {
            error = sql + ": " + o.error().sqlState() + " " + o.error().message();
            return false;
        }
        if (table != null) {
            for (Map<String, Object> r : o.rows()) {
                rows.computeIfAbsent(table, k -> new ArrayList<>()).add(new Row(table, world, deleted, r));
            }
        }
        return true;
    }

    private Map<String, String> values(ApiCatalog.Relation t, int world, boolean deleted) {
        Map<String, String> values = new LinkedHashMap<>();
        TableIntent ti = intent.table(t.qualified()).orElse(null);
        Optional<Tenancy> tenancy = ti == null ? Optional.empty() : intent.intent().tenancyOf(ti);
        UUID user = world == 1 ? Actor.OWNER_ID : Actor.STRANGER_ID;
        int n = ++counter;
        for (ApiCatalog.Column c : t.columns()) {
            if (c.generated() || c.identity() && !t.primaryKey().contains(c.name())) {
                continue;
            }
            Optional<ApiCatalog.ForeignKey> fk = t.foreignKey(c.name());
            String value = null;
            if (ti != null && ti.membership() && tenancy.isPresent()
                    && c.name().equals(tenancy.get().roleColumn())) {
                value = Sql.literal(tenancy.get().firstRole()) + "::" + c.type();
            } else if (c.name().equals("deleted_at") && deleted) {
                value = "now()";
            } else if (fk.isPresent() && fk.get().ref().equals("auth.users")) {
                value = Sql.literal(user.toString()) + "::uuid";
            } else if (ti != null && c.name().equals(ti.ownerColumn())) {
                value = Sql.literal(user.toString()) + "::uuid";
            } else if (fk.isPresent() && !fk.get().ref().equals(t.qualified()) && !rows(fk.get().ref()).isEmpty()) {
                Row parent = first(fk.get().ref(), world).orElse(rows(fk.get().ref()).get(0));
                Object v = parent.values().get(fk.get().refColumns().get(0));
                value = v == null ? "null" : Sql.literal(String.valueOf(v)) + "::" + c.type();
            } else if (fk.isPresent() && !c.notNull()) {
                value = null;
            } else if (t.primaryKey().contains(c.name()) && c.identity()) {
                value = (1000 * world + n) + "::" + c.type();
            } else if (c.notNull() && !c.hasDefault() || t.primaryKey().contains(c.name()) && !c.hasDefault()) {
                value = generated(t, c, world, n);
            }
            if (value != null) {
                values.put(c.name(), value);
            }
        }
        return values;
    }

    /** A value of the column's type its checks accept, unique per row. */
    static String generated(ApiCatalog.Relation t, ApiCatalog.Column c, int world, int n) {
        String type = c.type();
        if (type.endsWith("[]")) {
            return "'{}'::" + type;
        }
        String base = type.replaceAll("\\(.*\\)", "").trim();
        return switch (base) {
            case "uuid" -> Sql.literal(Actor.id(t.qualified() + "#" + n).toString()) + "::uuid";
            case "smallint", "integer", "bigint", "numeric", "real", "double precision" -> n + "::" + type;
            case "boolean" -> "false";
            case "timestamp with time zone", "timestamp without time zone" -> "now()";
            case "date" -> "current_date";
            case "json", "jsonb" -> "'{}'::" + type;
            case "bytea" -> "'\\x00'::bytea";
            default -> checked(t, c).orElse(Sql.literal("w" + world + " " + t.name() + " " + n)) + "::" + type;
        };
    }

    private static Optional<String> checked(ApiCatalog.Relation t, ApiCatalog.Column c) {
        for (String check : t.checks()) {
            if (check.matches("(?s).*\\b" + Pattern.quote(c.name()) + "\\b.*")) {
                Matcher m = QUOTED.matcher(check);
                if (m.find()) {
                    return Optional.of("'" + m.group(1) + "'");
                }
            }
        }
        return Optional.empty();
    }

    /** Tables parents first (a cycle is broken where it is met). */
    private List<ApiCatalog.Relation> ordered() {
        List<ApiCatalog.Relation> pending = new ArrayList<>(catalog.tables());
        List<ApiCatalog.Relation> out = new ArrayList<>();
        Set<String> done = new HashSet<>();
        while (!pending.isEmpty()) {
            ApiCatalog.Relation next = pending.stream().filter(t -> t.foreignKeys().stream().allMatch(f ->
                    f.ref().equals(t.qualified()) || done.contains(f.ref())
                    || pending.stream().noneMatch(p -> p.qualified().equals(f.ref())))).findFirst()
                    .orElse(pending.get(0));
            pending.remove(next);
            done.add(next.qualified());
            out.add(next);
        }
        return out;
    }
}
