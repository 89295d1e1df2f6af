package dev.backendteam.dbarchitect.engine.proof;

import dev.backendteam.sandbox.SandboxDatabase;
import dev.backendteam.sandbox.SqlError;
import dev.backendteam.sandbox.StatementOutcome;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Replays a failing application statement in a sandbox database, inside a transaction that is always rolled back:
 * {@code PREPARE} first — parse analysis resolves every relation and column against the real catalog, which is
 * where 42P01 and 42703 are raised, and needs no parameter values — then {@code EXECUTE} with a typed sample value
 * for each {@code $n} (the types the server inferred), so that triggers and defaults run too. Sample values meet the
 * table's constraints only by chance (a foreign key to an empty table fails with 23503): the execution's outcome is
 * reported as it is, and only an error of the catalog's objects counts against the statement: an undefined object,
 * or one of another kind or shape than the statement needs ({@link #stillFailing}).
 */
public final class StatementReplay {
    /** Errors that say the statement names something the catalog lacks. */
    static final Set<String> UNDEFINED = Set.of("42P01", "42703", "42883", "42704", "3F000");
    /** Class 42 that is about privileges, not objects: the grants are security's. */
    private static final String INSUFFICIENT_PRIVILEGE = "42501";
    private static final String NAME = "backend_team_replay";
    private static final Set<String> REPLAYABLE = Set.of("select", "insert", "update", "delete", "merge", "values",
            "with", "table");

    /**
     * What the replay found: whether it ran (else why not), the error PREPARE raised (null when the statement
     * prepared), the parameter types the server inferred, and what the execution with sample values did.
     */
    public record Outcome(boolean ran, String notRun, SqlError prepareError, List<String> parameterTypes,
            String samples, SqlError executeError, long rows) {

        static Outcome notRun(String reason) {
            return new Outcome(false, reason, null, List.of(), null, null, 0);
        }

        public boolean prepared() {
            return ran && prepareError == null;
        }

        /** The SQLSTATE the statement fails with (PREPARE's, else the execution's), or null. */
        public String sqlState() {
            if (prepareError != null) {
                return prepareError.sqlState();
            }
            return executeError == null ? null : executeError.sqlState();
        }

        public SqlError error() {
            return prepareError != null ? prepareError : executeError;
        }

        public boolean failsWith(String sqlState) {
            return ran && sqlState != null && sqlState.equals(sqlState());
        }

        /** Ran, prepared, and its execution raised no error that says an object is missing or not what it needs. */
        public boolean resolves() {
            return prepared() && (executeError == null || !stillFailing(executeError.sqlState()));
        }

        public String describe() {
            if (!ran) {
                return "not run: " + notRun;
            }
            if (prepareError != null) {
                return "PREPARE fails: " + prepareError.summary()
                        + (prepareError.hint() == null ? "" : " (hint: " + prepareError.hint() + ")");
            }
            String executed = "executed with " + (samples == null || samples.isEmpty() ? "no parameters" : samples)
                    + " in a rolled-back transaction: ";
            executed += executeError == null ? rows + " row(s)" : executeError.summary()
                    + (stillFailing(executeError.sqlState()) ? "" : " (a constraint the sample values do not meet, not an undefined object)");
            return "PREPARE resolves every relation and column; " + executed;
        }
    }

    private StatementReplay() {
    }

    /**
     * Whether an execution error says the statement's objects are still not what it needs: undefined
     * ({@link #UNDEFINED}), or another error of class 42 — 42809, a relation of the wrong kind (a table where nextval()
     * needs a sequence), 42804 / 42846, a column of the wrong type — except 42501, a missing privilege.
     */
    static boolean stillFailing(String sqlState) {
        return sqlState != null && (UNDEFINED.contains(sqlState) || sqlState.startsWith("42")
                && !sqlState.equals(INSUFFICIENT_PRIVILEGE));
    }

    public static Outcome replay(SandboxDatabase db, String statement) {
        if (statement == null || statement.isBlank()) {
            return Outcome.notRun("the diagnosis carries no statement");
        }
        String sql = ReplayText.serverForm(statement);
        String command = ReplayText.command(sql);
        if (!REPLAYABLE.contains(command)) {
            return Outcome.notRun("only select, insert, update, delete, merge and values can be prepared, not "
                    + (command.isEmpty() ? "an empty statement" : command));
        }
        return db.inRolledBackTransaction(tx -> {
            StatementOutcome prepared = tx.execute(ReplayText.forJdbc("prepare " + NAME + " as " + sql));
            if (!prepared.ok()) {
                return new Outcome(true, null, prepared.error(), List.of(), null, null, 0);
            }
            try {
                StatementOutcome types = tx.execute("select parameter_types::text[] as types from"
                        + " pg_prepared_statements where name = ?", NAME);
                List<String> parameterTypes = types.ok() && !types.rows().isEmpty()
                        ? typeNames(types.rows().get(0)) : List.of();
                List<String> values = parameterTypes.stream().map(StatementReplay::sample).toList();
                StatementOutcome run = tx.execute("execute " + NAME
                        + (values.isEmpty() ? "" : "(" + String.join(", ", values) + ")"));
                List<String> shown = new ArrayList<>();
                for (int i = 0; i < values.size(); i++) {
                    shown.add("$" + (i + 1) + " " + parameterTypes.get(i) + " = " + values.get(i));
                }
                return new Outcome(true, null, null, parameterTypes, String.join(", ", shown), run.error(),
                        run.ok() ? Math.max(run.rowCount(), run.rows().size()) : 0);
            } finally {
                // a prepared statement belongs to the session, not the transaction: the rollback would keep it
                tx.execute("deallocate " + NAME);
            }
        });
    }

    @SuppressWarnings("unchecked")
    private static List<String> typeNames(Map<String, Object> row) {
        Object types = row.get("types");
        return types instanceof List<?> list ? ((List<Object>) list).stream().map(String::valueOf).toList()
                : List.of();
    }

    /** A value of the type as an SQL expression: what a client would bind, cast so the server need not guess. */
    static String sample(String type) {
        String t = type.toLowerCase(Locale.ROOT);
        String value;
        if (t.endsWith("[]")) {
            value = "'{}'";
        } else if (t.equals("uuid")) {
            return "gen_random_uuid()";
        } else if (t.matches("smallint|integer|bigint|numeric.*|real|double precision|money")) {
            value = "1";
        } else if (t.equals("boolean")) {
            value = "true";
        } else if (t.startsWith("timestamp") || t.equals("date") || t.startsWith("time")) {
            return "now()::" + type;
        } else if (t.equals("json") || t.equals("jsonb")) {
            value = "'{}'";
        } else if (t.equals("unknown")) {
            return "'sample'";
        } else {
            value = "'sample'";
        }
        return "cast(" + value + " as " + type + ")";
    }

}
