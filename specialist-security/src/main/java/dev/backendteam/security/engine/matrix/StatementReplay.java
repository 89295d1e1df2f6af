package dev.backendteam.security.engine.matrix;

import dev.backendteam.contract.access.AccessIntent;
import dev.backendteam.contract.access.Operation;
import dev.backendteam.contract.access.TableIntent;
import dev.backendteam.sandbox.SandboxDatabase;
import dev.backendteam.sandbox.StatementOutcome;
import dev.backendteam.security.engine.catalog.SchemaCatalog;
import dev.backendteam.security.engine.policy.PolicyWriter;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static dev.backendteam.security.engine.policy.Identifiers.ident;
import static dev.backendteam.security.engine.policy.Identifiers.qualified;

/**
 * Replays the statement a log says failed with 42501 in the RLS matrix's world (README, "Fixing what the debugger
 * diagnosed"): the world seeded as the table owner in a rolled-back transaction, then the statement as each actor
 * (role and JWT claims) in a savepoint of its own. The statement is bound to the world's rows, since the log's values
 * (a post id, a user id) name rows the sandbox does not have: an insert writes the world's new row for the column
 * list it names, its owner column set to the row's subject (a correct client sets it to the signed-in user), a
 * parameter without a world value takes the column's default; elsewhere {@code column = $n} or
 * {@code column = <literal>} compares with the subject's world-1 row and any other parameter is null. Without a
 * statement, the operation the error implies runs on that row. A refusal is told apart as the matrix does: the grant
 * layer when PostgreSQL says "permission denied" and the catalog says the role lacks the privilege, RLS when it says
 * "row-level security" (or an update, delete or select reaches no row).
 */
public final class StatementReplay {
    private static final Pattern PARAM = Pattern.compile("\\$\\d+");
    private static final Pattern COMPARED = Pattern.compile(
            "(?i)(?<![\\w$.\"])(?:\\w+\\.)?(\"?[A-Za-z_][\\w$]*\"?)\\s*=\\s*(\\$\\d+|'(?:[^']|'')*'(?:::[\\w ]+)?|-?\\d+(?:\\.\\d+)?)");

    /** One replay: who ran what, and how PostgreSQL answered. */
    public record Run(String actor, String sql, Verdict verdict, long rows, String sqlState, String error,
            boolean expectedAllowed) {

        public boolean refused() {
            return verdict == Verdict.DENY_GRANT || verdict == Verdict.DENY_RLS;
        }

        public boolean asExpected() {
            return expectedAllowed ? verdict == Verdict.ALLOW : refused();
        }

        public String describe() {
            return actor + " " + verdict.wire() + (verdict == Verdict.ALLOW ? " (" + rows + " row(s))" : "")
                    + (sqlState == null ? "" : " " + sqlState) + (error == null ? "" : ": " + error);
        }
    }

    private final AccessIntent intent;
    private final World world;
    private final Expectations expectations;
    private final TableIntent table;
    private final SchemaCatalog.Table catalogTable;
    private final Operation operation;
    private final String statement;

    /** {@code statement} may be null: the operation then runs as the matrix would write it. */
    public StatementReplay(AccessIntent intent, SchemaCatalog catalog, String table, Operation operation,
            String statement) {
        this.intent = intent;
        this.world = new World(intent, catalog, java.util.Set.of(table));
        this.expectations = new Expectations(intent, world);
        this.table = intent.table(table).orElseThrow(() -> new IllegalArgumentException("no intent for " + table));
        this.catalogTable = catalog.table(table).orElseThrow(() -> new IllegalArgumentException("no table " + table));
        this.operation = operation;
        this.statement = statement == null || statement.isBlank() ? null : statement.strip().replaceAll(";\\s*$", "");
    }

    /** The operation a statement performs: its first insert, update or delete, else a select; null if unknown. */
    public static Operation operationOf(String statement) {
        if (statement == null) {
            return null;
        }
        String s = statement.strip().toLowerCase(Locale.ROOT);
        Matcher m = Pattern.compile("\\b(insert|update|delete|select)\\b").matcher(s.startsWith("with")
                ? s.replaceAll("\\bselect\\b", " ") + " select" : s);
        return m.find() ? Operation.valueOf(m.group(1).toUpperCase(Locale.ROOT)) : null;
    }

    public Operation operation() {
        return operation;
    }

    public World world() {
        return world;
    }

    /** The row whose access the replay tests: a new world-1 row for an insert, else alice's world-1 row. */
    World.Row subject(UUID owner) {
        if (operation == Operation.INSERT) {
            return world.newRow(table, table.ownerColumn() == null ? null : owner);
        }
        return world.rows(table.table()).stream().filter(r -> r.world() == 1 && (r.owner() == null
                || r.owner().equals(owner))).findFirst().orElse(world.rows(table.table()).get(0));
    }

    /**
     * The actors of the table's matrix; the first is the one the log implies: the first signed-in actor the intent
     * lets perform the operation on alice's row (the owner, or a member), empty when the intent lets no signed-in user.
     */
    public Optional<Actor> actor() {
        World.Row row = subject(World.ALICE);
        return world.actors(table).stream().filter(a -> a.signedIn() && expectations.allows(a, table, operation, row))
                .findFirst();
    }

    /** Every actor of the table's matrix (owner, strangers, members, anon, service_role). */
    public List<Actor> actors() {
        return world.actors(table);
    }

    /** The statement bound to the world, with alice (the actor the log implies, when she is one) as the row's subject. */
    public String bound() {
        World.Row row = subject(actor().map(Actor::user).orElse(World.ALICE));
        if (statement == null) {
            return implied(row);
        }
        if (operation == Operation.INSERT) {
            return insert(row).orElse(implied(row));
        }
        return compared(statement, row);
    }

    private String implied(World.Row row) {
        String q = qualified(table.table());
        String where = row.matches(catalogTable.primaryKey());
        return switch (operation) {
            case INSERT -> world.insert(row);
            case SELECT -> "select * from " + q + " where " + where;
            case DELETE -> "delete from " + q + " where " + where;
            case UPDATE -> {
                // a column the intent lets users change, as a client's update would set
                String column = PolicyWriter.updatable(table, catalogTable).stream().findFirst()
                        .orElse(catalogTable.columns().stream().filter(SchemaCatalog.Column::writable)
                        .map(SchemaCatalog.Column::name).filter(c -> !catalogTable.primaryKey().contains(c))
                        .findFirst().orElse(catalogTable.primaryKey().get(0)));
                yield "update " + q + " set " + ident(column) + " = " + ident(column) + " where " + where;
            }
        };
    }

    /** {@code insert into t (cols) values (…) rest}: the world's row for those columns (and the owner's). */
    private Optional<String> insert(World.Row row) {
        Matcher head = Pattern.compile("(?is)^(insert\\s+into\\s+[^(]+?)\\s*\\(").matcher(statement);
        if (!head.find()) {
            return Optional.empty();
        }
        List<Integer> listed = commasAndClose(statement, head.end());
        if (listed == null) {
            return Optional.empty();
        }
        int close = listed.get(listed.size() - 1);
        List<String> columns = pieces(statement, head.end(), listed).stream()
                .map(c -> c.strip().replace("\"", "")).toList();
        Matcher values = Pattern.compile("(?is)^\\s*values\\s*\\(").matcher(statement.substring(close + 1));
        if (!values.find()) {
            return Optional.empty();
        }
        int open = close + 1 + values.end();
        List<Integer> valued = commasAndClose(statement, open);
        if (valued == null) {
            return Optional.empty();
        }
        int end = valued.get(valued.size() - 1);
        List<String> given = pieces(statement, open, valued);
        // further rows of a multi-row insert: the first one tells what failed
        String rest = statement.substring(end + 1).replaceFirst("(?s)^(\\s*,\\s*\\((?:[^()']|'(?:[^']|'')*')*\\))+", "");
        Map<String, String> out = new LinkedHashMap<>();
        for (int i = 0; i < columns.size(); i++) {
            String c = columns.get(i);
            String v = i < given.size() ? given.get(i).strip() : "default";
            out.put(c, row.values().containsKey(c) ? row.values().get(c) : PARAM.matcher(v).matches() ? "default"
                    : v);
        }
        for (Map.Entry<String, String> e : row.values().entrySet()) {
            SchemaCatalog.Column c = catalogTable.column(e.getKey()).orElseThrow();
            boolean owner = e.getKey().equals(table.ownerColumn()) && !c.hasDefault();
            // an identity column generated always (the project's convention) or a generated column takes no value
            if (!out.containsKey(e.getKey()) && c.writable() && (owner || c.notNull() && !c.hasDefault())) {
                out.put(e.getKey(), e.getValue());
            }
        }
        return Optional.of(head.group(1).strip() + " (" + String.join(", ", out.keySet().stream().map(c -> ident(c))
                .toList()) + ") values (" + String.join(", ", out.values()) + ")" + rest);
    }

    /** Every {@code column = value} of the statement compared with the row's value; other parameters null. */
    private static String compared(String sql, World.Row row) {
        Matcher m = COMPARED.matcher(sql);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String column = m.group(1).replace("\"", "");
            String value = row.values().get(column);
            m.appendReplacement(out, Matcher.quoteReplacement(value == null ? m.group() : m.group()
                    .substring(0, m.start(2) - m.start()) + value));
        }
        m.appendTail(out);
        return PARAM.matcher(out.toString()).replaceAll("null");
    }

    /** The statement as every actor in {@code actors}, in one world; {@code before}: statements run first as owner. */
    public List<Run> run(SandboxDatabase db, List<Actor> actors, List<String> before) {
        String sql = bound();
        World.Row row = subject(actor().map(Actor::user).orElse(World.ALICE));
        return db.inRolledBackTransaction(tx -> {
            tx.actAsRunner();
            for (String s : world.seedStatements()) {
                StatementOutcome o = tx.execute(s);
                if (!o.ok()) {
                    throw new IllegalStateException("seeding the world failed: " + o.error().summary() + " in: " + s);
                }
            }
            for (String s : before) {
                StatementOutcome o = tx.execute(s);
                if (!o.ok()) {
                    throw new IllegalStateException("the fix does not apply: " + o.error().summary() + " in: " + s);
                }
            }
            List<Run> runs = new ArrayList<>();
            for (Actor a : actors) {
                boolean allowed = expectations.allows(a, table, operation, row);
                // a refusal must come from the operation's own policies: with RETURNING the select policy could
                // refuse the row in their stead (PostgreSQL reports that as "new row violates row-level security")
                runs.add(observe(tx, a, allowed ? sql : withoutReturning(sql), allowed));
            }
            return runs;
        });
    }

    private Run observe(SandboxDatabase.RolledBackTransaction tx, Actor a, String sql, boolean expected)
            throws SQLException {
        return tx.undone(u -> {
            u.actAs(a.role(), a.claims());
            StatementOutcome o = u.execute(sql);
            if (o.ok()) {
                long rows = Math.max(o.rowCount(), o.rows().size());
                return new Run(a.name(), sql, rows > 0 ? Verdict.ALLOW : Verdict.DENY_RLS, rows, null, null, expected);
            }
            String state = o.sqlState();
            String message = o.error().message();
            if ("42501".equals(state) && message != null) {
                if (message.contains("row-level security")) {
                    return new Run(a.name(), sql, Verdict.DENY_RLS, 0, state, message, expected);
                }
                StatementOutcome held = u.execute("select has_table_privilege(?, ?::text::regclass, ?) as held",
                        a.role(), qualified(table.table()), operation.wire());
                boolean holds = held.ok() && Boolean.TRUE.equals(held.rows().get(0).get("held"));
                if (message.startsWith("permission denied") && message.contains(catalogTable.name()) && !holds) {
                    return new Run(a.name(), sql, Verdict.DENY_GRANT, 0, state, message, expected);
                }
            }
            return new Run(a.name(), sql, Verdict.ERROR, 0, state, message, expected);
        });
    }

    static String withoutReturning(String sql) {
        return sql.replaceFirst("(?is)\\s+returning\\s+[^;']*$", "");
    }

    /**
     * From {@code from}, just inside a parenthesis: the positions of its commas (outside nested parentheses and
     * quotes), then of the parenthesis closing it; null when it is not closed.
     */
    private static List<Integer> commasAndClose(String s, int from) {
        List<Integer> at = new ArrayList<>();
        int depth = 0;
        boolean quoted = false;
        for (int i = from; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\'') {
                quoted = !quoted;
            } else if (!quoted && c == '(') {
                depth++;
            } else if (!quoted && c == ')' && depth-- == 0) {
                at.add(i);
                return at;
            } else if (!quoted && depth == 0 && c == ',') {
                at.add(i);
            }
        }
        return null;
    }

    /** The pieces between {@code from} and each of {@code marks}. */
    private static List<String> pieces(String s, int from, List<Integer> marks) {
        List<String> out = new ArrayList<>();
        for (int m : marks) {
            out.add(s.substring(from, m));
            from = m + 1;
        }
        return out;
    }
}
