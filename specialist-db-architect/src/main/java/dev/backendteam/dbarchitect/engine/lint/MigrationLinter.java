package dev.backendteam.dbarchitect.engine.lint;

import dev.backendteam.contract.Finding;
import dev.backendteam.dbarchitect.engine.Migration;
import dev.backendteam.dbarchitect.engine.design.ExistingSchema;
import dev.backendteam.dbarchitect.engine.sql.AlterAction;
import dev.backendteam.dbarchitect.engine.sql.ColumnDef;
import dev.backendteam.dbarchitect.engine.sql.Ddl;
import dev.backendteam.dbarchitect.engine.sql.DdlParser;
import dev.backendteam.dbarchitect.engine.sql.ForeignRef;
import dev.backendteam.dbarchitect.engine.sql.LexProblem;
import dev.backendteam.dbarchitect.engine.sql.QName;
import dev.backendteam.dbarchitect.engine.sql.SqlLexer;
import dev.backendteam.dbarchitect.engine.sql.SqlScript;
import dev.backendteam.dbarchitect.engine.sql.Statement;
import dev.backendteam.dbarchitect.engine.sql.TableConstraint;
import dev.backendteam.dbarchitect.engine.sql.Token;
import dev.backendteam.dbarchitect.engine.sql.TokenType;
import dev.backendteam.dbarchitect.engine.sql.TypeRef;

import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The migration safety linter of BRIEF §6 (db-architect). It reads scripts with a real tokenizer ({@link SqlScript})
 * and a statement reader ({@link DdlParser}); the rules' ids, severities, messages and fixes come from
 * {@link LintCatalog}. A run covers a baseline (the user's existing schema, may be absent) and then migrations in
 * order, so that "an object that existed before this migration" means one created by the baseline or an earlier
 * migration — or one the run never saw created. A down script is linted with the tables of its up script counted as
 * its own. Never throws on any input text.
 */
public final class MigrationLinter {
    public static final String UNTERMINATED = "sql.unterminated";
    public static final String UNBALANCED_PARENTHESES = "sql.unbalanced-parentheses";
    public static final String UNKNOWN_COMMAND = "sql.unknown-command";
    public static final String SERVER_ESCAPE = "lint.server-escape";
    public static final String INDEX_NOT_CONCURRENT = "lint.index-not-concurrent";
    public static final String DROP_INDEX_NOT_CONCURRENT = "lint.drop-index-not-concurrent";
    public static final String CONCURRENTLY_IN_TRANSACTION = "lint.concurrently-in-transaction";
    public static final String CONCURRENTLY_NOT_ALONE = "lint.concurrently-not-alone";
    public static final String CONSTRAINT_NOT_VALID = "lint.constraint-not-valid";
    public static final String CONSTRAINT_NOT_VALIDATED = "lint.constraint-not-validated";
    public static final String NOT_NULL_WITHOUT_DEFAULT = "lint.not-null-without-default";
    public static final String SET_NOT_NULL = "lint.set-not-null";
    public static final String VOLATILE_DEFAULT = "lint.volatile-default";
    public static final String COLUMN_TYPE_CHANGE = "lint.column-type-change";
    public static final String SERIAL_PK_ADDED = "lint.serial-pk-added";
    public static final String UNIQUE_WITHOUT_INDEX = "lint.unique-without-index";
    public static final String DROP_COLUMN = "lint.drop-column";
    public static final String DROP_TABLE = "lint.drop-table";
    public static final String DROP_DATABASE = "lint.drop-database";
    public static final String RENAME_COLUMN = "lint.rename-column";
    public static final String RENAME_TABLE = "lint.rename-table";
    public static final String TRUNCATE_CASCADE = "lint.truncate-cascade";
    public static final String DROP_NOT_NULL = "lint.drop-not-null";
    public static final String INT_KEY = "lint.int-key";
    public static final String VARCHAR = "lint.varchar";
    public static final String TIMESTAMP_WITHOUT_TIME_ZONE = "lint.timestamp-without-time-zone";
    public static final String SERIAL_COLUMN = "lint.serial-column";
    public static final String FK_WITHOUT_ON_DELETE = "lint.fk-without-on-delete";
    public static final String FK_WITHOUT_INDEX = "lint.fk-without-index";
    public static final String TABLE_WITHOUT_PRIMARY_KEY = "lint.table-without-primary-key";
    public static final String MISSING_TIMEOUTS = "lint.missing-timeouts";
    public static final String IDENTIFIER_TOO_LONG = "lint.identifier-too-long";
    public static final String NOT_ROBUST = "lint.not-robust";
    public static final String UNBALANCED_TRANSACTION = "lint.unbalanced-transaction";

    /** Every rule id this linter can report; the catalogue must describe exactly these. */
    public static final List<String> RULE_IDS = List.of(UNTERMINATED, UNBALANCED_PARENTHESES, UNKNOWN_COMMAND,
            SERVER_ESCAPE, INDEX_NOT_CONCURRENT, DROP_INDEX_NOT_CONCURRENT, CONCURRENTLY_IN_TRANSACTION,
            CONCURRENTLY_NOT_ALONE, CONSTRAINT_NOT_VALID, CONSTRAINT_NOT_VALIDATED, NOT_NULL_WITHOUT_DEFAULT,
            SET_NOT_NULL, VOLATILE_DEFAULT, COLUMN_TYPE_CHANGE, SERIAL_PK_ADDED, UNIQUE_WITHOUT_INDEX, DROP_COLUMN,
            DROP_TABLE, DROP_DATABASE, RENAME_COLUMN, RENAME_TABLE, TRUNCATE_CASCADE, DROP_NOT_NULL, INT_KEY, VARCHAR,
            TIMESTAMP_WITHOUT_TIME_ZONE, SERIAL_COLUMN, FK_WITHOUT_ON_DELETE, FK_WITHOUT_INDEX,
            TABLE_WITHOUT_PRIMARY_KEY, MISSING_TIMEOUTS, IDENTIFIER_TOO_LONG, NOT_ROBUST, UNBALANCED_TRANSACTION);

    private static final int MAX_IDENTIFIER_BYTES = 63;
    /** Statements that take locks or change something: lock_timeout and statement_timeout must precede them. */
    private static final Set<String> CHANGING_COMMANDS = Set.of("create", "alter", "drop", "truncate", "comment",
            "grant", "revoke", "insert", "update", "delete", "merge", "refresh", "reindex", "cluster", "vacuum",
            "lock", "do", "copy", "call", "security");
    private static final Set<String> SETTING_COMMANDS = Set.of("set", "reset");
    private static final Set<String> GUARDED_CREATE_KINDS = Set.of("schema", "extension", "sequence", "view",
            "function", "procedure", "type", "domain");
    private static final Set<String> GUARDED_DROP_KINDS = Set.of("view", "materialized", "function", "procedure",
            "sequence", "schema", "type", "domain", "extension", "aggregate", "rule", "foreign table");

    private final Map<String, LintRule> rules;
    private final Set<String> volatileFunctions;
    private final Set<String> escapeFunctions;
    private final Set<String> escapeExtensions;
    private final Set<String> untrustedLanguages;
    private final Set<String> commands;

    public MigrationLinter(LintCatalog catalog) {
        this.rules = catalog.byId();
        Set<String> described = rules.keySet();
        if (!described.equals(new HashSet<>(RULE_IDS))) {
            Set<String> missing = new LinkedHashSet<>(RULE_IDS);
            missing.removeAll(described);
            Set<String> unknown = new LinkedHashSet<>(described);
            RULE_IDS.forEach(unknown::remove);
            throw new IllegalStateException("lint catalogue and linter disagree: not described " + missing
                    + ", not detected " + unknown);
        }
        LintCatalog.Parameters p = catalog.parameters();
        this.volatileFunctions = p.set(p.volatileFunctions());
        this.escapeFunctions = p.set(p.escapeFunctions());
        this.escapeExtensions = p.set(p.escapeExtensions());
        this.untrustedLanguages = p.set(p.untrustedLanguages());
        this.commands = p.set(p.sqlCommands());
    }

    public static MigrationLinter standard() {
        return new MigrationLinter(LintCatalog.standard());
    }

    public Map<String, LintRule> rules() {
        return rules;
    }

    /** One script on its own (e.g. SQL handed in for review). */
    public LintReport lintScript(String name, String sql) {
        return lint(name, sql, List.of());
    }

    /** A baseline ({@code baselineSql} may be null) and then the migrations, up and down, in order. */
    public LintReport lint(String baselineName, String baselineSql, List<Migration> migrations) {
        return lint(baselineSql == null || baselineSql.isBlank() ? List.of()
                : List.of(new ExistingSchema.Script(baselineName, baselineSql)), migrations);
    }

    /**
     * The existing schema, script by script ({@code base}: the project's migrations, the SQL given), and then the
     * migrations, up and down, in order. Everything the base creates exists before the first migration.
     */
    public LintReport lint(List<ExistingSchema.Script> base, List<Migration> migrations) {
        List<Parsed> ups = new ArrayList<>();
        for (ExistingSchema.Script script : base) {
            if (script.sql() != null && !script.sql().isBlank()) {
                ups.add(parse(new Source(script.source(), script.source(), script.sql(), false, Set.of(), 0)));
            }
        }
        for (int i = 0; i < migrations.size(); i++) {
            Migration m = migrations.get(i);
            ups.add(parse(new Source(m.name(), m.name(), m.up() == null ? "" : m.up(), false, Set.of(), i + 1)));
        }
        Run run = new Run();
        ups.forEach(run::survey);
        int statements = 0;
        int scripts = 0;
        for (Parsed up : ups) {
            lintScript(run, up);
            scripts++;
            statements += up.script.statements().size();
            Migration m = up.source.order == 0 ? null : migrations.get(up.source.order - 1);
            if (m != null && m.down() != null && !m.down().isBlank()) {
                Set<String> ownTables = new HashSet<>();
                up.ddl.forEach(d -> {
                    if (d instanceof Ddl.CreateTable t && t.table() != null) {
                        ownTables.add(t.table().key());
                    }
                });
                Parsed down = parse(new Source(m.name() + " (down)", m.name(), m.down(), true, ownTables,
                        up.source.order));
                lintScript(run, down);
                scripts++;
                statements += down.script.statements().size();
            }
        }
        return new LintReport(run.findings, run.sources, run.rejected, scripts, statements);
    }

    // ---- the run: what every script together establishes ----

    /** {@code migration} is the migration's (or baseline's) name; {@code name} adds " (down)" for a down script. */
    private record Source(String name, String migration, String sql, boolean down, Set<String> ownTables,
            int order) {
    }

    private record Parsed(Source source, SqlScript script, List<Ddl> ddl) {
    }

    private record Validation(int order, int statement, String table, String name) {
    }

    private Parsed parse(Source source) {
        SqlScript script = SqlScript.parse(source.sql);
        List<Ddl> ddl = new ArrayList<>();
        for (Statement s : script.statements()) {
            ddl.add(s.problems().isEmpty() ? DdlParser.parse(s) : new Ddl.Other(s.command()));
        }
        return new Parsed(source, script, ddl);
    }

    /** Facts gathered over all up scripts before any is linted, and the findings. */
    private static final class Run {
        final Map<String, List<List<String>>> leads = new HashMap<>();
        final Set<String> gainPrimaryKey = new HashSet<>();
        final List<Validation> validations = new ArrayList<>();
        final Map<String, Map<String, TypeRef>> columns = new HashMap<>();
        final Map<String, String> indexTables = new HashMap<>();
        final List<Finding> findings = new ArrayList<>();
        final List<String> sources = new ArrayList<>();
        boolean rejected;

        void survey(Parsed p) {
            for (int i = 0; i < p.ddl.size(); i++) {
                Ddl d = p.ddl.get(i);
                if (d instanceof Ddl.CreateTable t && t.table() != null) {
                    String table = t.table().key();
                    for (ColumnDef c : t.columns()) {
                        if (c.primaryKey() || c.unique()) {
                            lead(table, List.of(c.name()));
                        }
                    }
                    t.constraints().forEach(tc -> keyLead(table, tc));
                } else if (d instanceof Ddl.CreateIndex ix && ix.table() != null) {
                    lead(ix.table().key(), ix.columns());
                } else if (d instanceof Ddl.AlterTable a && a.table() != null) {
                    String table = a.table().key();
                    for (AlterAction action : a.actions()) {
                        if (action instanceof AlterAction.AddConstraint ac) {
                            keyLead(table, ac.constraint());
                            if (ac.constraint().kind() == TableConstraint.Kind.PRIMARY_KEY) {
                                gainPrimaryKey.add(table);
                            }
                        } else if (action instanceof AlterAction.AddColumn col && (col.column().primaryKey()
                                || col.column().unique())) {
                            lead(table, List.of(col.column().name()));
                            if (col.column().primaryKey()) {
                                gainPrimaryKey.add(table);
                            }
                        } else if (action instanceof AlterAction.ValidateConstraint v && v.name() != null) {
                            validations.add(new Validation(p.source.order, i, table, v.name()));
                        }
                    }
                }
            }
        }

        private void keyLead(String table, TableConstraint tc) {
            if ((tc.kind() == TableConstraint.Kind.PRIMARY_KEY || tc.kind() == TableConstraint.Kind.UNIQUE)
                    && !tc.columns().isEmpty()) {
                lead(table, tc.columns());
            }
        }

        private void lead(String table, List<String> columns) {
            leads.computeIfAbsent(table, k -> new ArrayList<>()).add(columns);
        }

        boolean covered(String table, List<String> fkColumns) {
            for (List<String> lead : leads.getOrDefault(table, List.of())) {
                if (lead.size() >= fkColumns.size()
                        && new HashSet<>(lead.subList(0, fkColumns.size())).equals(new HashSet<>(fkColumns))) {
                    return true;
                }
            }
            return false;
        }

        boolean validatedLater(int order, int statement, String table, String name) {
            return validations.stream().anyMatch(v -> v.table.equals(table) && v.name.equals(name)
                    && (v.order > order || v.order == order && v.statement > statement));
        }
    }

    // ---- one script ----

    /** What one script has done so far. */
    private static final class ScriptState {
        final Parsed parsed;
        final Set<String> createdTables = new HashSet<>();
        final Set<String> createdIndexes = new HashSet<>();
        final Set<String> droppedGuarded = new HashSet<>();
        Token begin;
        boolean lockTimeout;
        boolean statementTimeout;
        Statement firstChange;
        Statement firstConcurrent;
        String concurrentWhat;
        int others;

        ScriptState(Parsed parsed) {
            this.parsed = parsed;
            createdTables.addAll(parsed.source.ownTables);
        }

        boolean existed(String table) {
            return table != null && !createdTables.contains(table);
        }
    }

    private void lintScript(Run run, Parsed p) {
        ScriptState st = new ScriptState(p);
        for (LexProblem problem : p.script.problems()) {
            report(run, st, UNTERMINATED, problem.line(), null, null, problem.message());
        }
        List<Statement> statements = p.script.statements();
        for (int i = 0; i < statements.size(); i++) {
            Statement s = statements.get(i);
            if (!s.problems().isEmpty() || !balanced(run, st, s) || !knownCommand(run, st, s)) {
                continue;
            }
            identifiers(run, st, s);
            escapes(run, st, s, s.tokens(), 0);
            Ddl d = p.ddl.get(i);
            sequence(run, st, s, d);
            statement(run, st, s, i, d);
        }
        if (st.begin != null) {
            report(run, st, UNBALANCED_TRANSACTION, st.begin.line(), null, null,
                    "begin at line " + st.begin.line() + " has no commit");
        }
        if (st.firstChange != null && (!st.lockTimeout || !st.statementTimeout)) {
            String missing = !st.lockTimeout && !st.statementTimeout ? "lock_timeout and statement_timeout"
                    : !st.lockTimeout ? "lock_timeout" : "statement_timeout";
            report(run, st, MISSING_TIMEOUTS, st.firstChange.line(), null, null, missing);
        }
        if (st.firstConcurrent != null && st.others > 0) {
            report(run, st, CONCURRENTLY_NOT_ALONE, st.firstConcurrent.line(), null, null, st.concurrentWhat);
        }
    }

    private boolean balanced(Run run, ScriptState st, Statement s) {
        Deque<Token> open = new ArrayDeque<>();
        for (Token t : s.tokens()) {
            if (t.type() == TokenType.LPAREN) {
                open.push(t);
            } else if (t.type() == TokenType.RPAREN) {
                if (open.isEmpty()) {
                    report(run, st, UNBALANCED_PARENTHESES, t.line(), null, null,
                            "')' at line " + t.line() + ", column " + t.column() + " closes nothing");
                    return false;
                }
                open.pop();
            }
        }
        if (!open.isEmpty()) {
            Token t = open.peek();
            report(run, st, UNBALANCED_PARENTHESES, t.line(), null, null, "'(' at line " + t.line() + ", column "
                    + t.column() + " is never closed");
            return false;
        }
        return true;
    }

    private boolean knownCommand(Run run, ScriptState st, Statement s) {
        Token first = s.first();
        if (first.type() == TokenType.LPAREN || first.type() == TokenType.WORD && commands.contains(first.name())) {
            return true;
        }
        String shown = first.text().equals("\\") && s.tokens().size() > 1 ? "\\" + s.tokens().get(1).text()
                : first.text();
        report(run, st, UNKNOWN_COMMAND, first.line(), null, shorten(shown), null);
        return false;
    }

    private void identifiers(Run run, ScriptState st, Statement s) {
        for (Token t : s.tokens()) {
            if (t.isName()) {
                int bytes = t.name().getBytes(StandardCharsets.UTF_8).length;
                if (bytes > MAX_IDENTIFIER_BYTES) {
                    report(run, st, IDENTIFIER_TOO_LONG, t.line(), null, shorten(t.name()), String.valueOf(bytes));
                }
            }
        }
    }

    /** Reaching outside the database; function calls are also looked for inside dollar-quoted bodies. */
    private void escapes(Run run, ScriptState st, Statement s, List<Token> tokens, int depth) {
        if (depth == 0) {
            String escape = escapeCommand(s);
            if (escape != null) {
                report(run, st, SERVER_ESCAPE, s.line(), null, null, escape);
            }
        }
        for (int i = 0; i < tokens.size(); i++) {
            Token t = tokens.get(i);
            Token next = i + 1 < tokens.size() ? tokens.get(i + 1) : null;
            if (t.type() == TokenType.WORD && escapeFunctions.contains(t.name()) && next != null
                    && next.type() == TokenType.LPAREN) {
                report(run, st, SERVER_ESCAPE, depth == 0 ? t.line() : s.line(), null, null, t.name() + "()");
            } else if (t.is("language") && next != null && next.isName()
                    && untrustedLanguages.contains(next.name())) {
                report(run, st, SERVER_ESCAPE, t.line(), null, null, "language " + next.name());
            } else if (t.type() == TokenType.DOLLAR_STRING && depth < 3) {
                escapes(run, st, s, SqlLexer.lex(t.dollarBody()).tokens(), depth + 1);
            }
        }
    }

    private String escapeCommand(Statement s) {
        List<Token> t = s.tokens();
        if (s.startsWith("alter", "system")) {
            return "alter system";
        }
        if (t.size() >= 2 && t.get(0).isAny("create", "alter", "drop") && t.get(1).isAny("role", "user", "group")) {
            return t.get(0).name() + " " + t.get(1).name();
        }
        if (t.size() >= 2 && t.get(0).isAny("create", "alter") && t.get(1).is("database")) {
            return t.get(0).name() + " database";
        }
        if (s.startsWith("load")) {
            return "load";
        }
        if (s.startsWith("create", "extension")) {
            int i = 2;
            if (s.tokens().size() > 4 && t.get(2).is("if")) {
                i = 5;
            }
            if (i < t.size() && t.get(i).isName() && escapeExtensions.contains(t.get(i).name())) {
                return "create extension " + t.get(i).name();
            }
        }
        if (s.startsWith("copy")) {
            for (int i = 1; i < t.size(); i++) {
                if (t.get(i).isAny("from", "to") && i + 1 < t.size()) {
                    Token target = t.get(i + 1);
                    if (target.is("program")) {
                        return "copy … " + t.get(i).name() + " program";
                    }
                    if (target.type() == TokenType.STRING) {
                        return "copy … " + t.get(i).name() + " a server file";
                    }
                }
            }
        }
        return null;
    }

    /** Transaction blocks, settings, and what the migration as a whole contains. */
    private void sequence(Run run, ScriptState st, Statement s, Ddl d) {
        String command = s.command();
        if (d instanceof Ddl.Begin) {
            if (st.begin != null) {
                report(run, st, UNBALANCED_TRANSACTION, s.line(), null, null, "begin at line " + s.line()
                        + " inside the transaction opened at line " + st.begin.line());
            } else {
                st.begin = s.first();
            }
            return;
        }
        if (d instanceof Ddl.End end) {
            if (st.begin == null) {
                report(run, st, UNBALANCED_TRANSACTION, s.line(), null, null, (end.commit() ? "commit" : "rollback")
                        + " at line " + s.line() + " without a begin");
            }
            st.begin = null;
            return;
        }
        if (d instanceof Ddl.Set set && st.firstChange == null) {
            st.lockTimeout |= set.setting().equals("lock_timeout");
            st.statementTimeout |= set.setting().equals("statement_timeout");
        }
        boolean concurrent = d instanceof Ddl.CreateIndex ix && ix.concurrently()
                || d instanceof Ddl.DropIndex dx && dx.concurrently();
        if (concurrent) {
            String what = d instanceof Ddl.CreateIndex ? "create index" : "drop index";
            if (st.begin != null) {
                report(run, st, CONCURRENTLY_IN_TRANSACTION, s.line(), null, null, what);
            }
            if (st.firstConcurrent == null) {
                st.firstConcurrent = s;
                st.concurrentWhat = what;
            }
        } else if (!SETTING_COMMANDS.contains(command)) {
            st.others++;
        }
        if (st.firstChange == null && CHANGING_COMMANDS.contains(command)) {
            st.firstChange = s;
        }
    }

    private void statement(Run run, ScriptState st, Statement s, int index, Ddl d) {
        if (d instanceof Ddl.CreateTable t) {
            createTable(run, st, s, t);
        } else if (d instanceof Ddl.CreateIndex ix) {
            String table = ix.table() == null ? null : ix.table().key();
            if (!ix.concurrently()) {
                report(run, st, INDEX_NOT_CONCURRENT, s.line(), table, String.valueOf(ix.table()), null);
            }
            if (!ix.ifNotExists()) {
                report(run, st, NOT_ROBUST, s.line(), null, null, "create index without if not exists");
            }
            if (ix.name() != null && table != null) {
                String key = indexKey(ix.table().schema(), ix.name());
                run.indexTables.put(key, table);
                if (st.createdTables.contains(table)) {
                    st.createdIndexes.add(key);
                }
            }
        } else if (d instanceof Ddl.DropIndex dx) {
            for (QName dropped : dx.indexes()) {
                String key = dropped.key();
                boolean own = st.createdIndexes.contains(key)
                        || st.createdTables.contains(run.indexTables.getOrDefault(key, ""));
                if (!dx.concurrently() && !own) {
                    report(run, st, DROP_INDEX_NOT_CONCURRENT, s.line(), null, dropped.toString(), null);
                }
            }
            if (!dx.ifExists()) {
                report(run, st, NOT_ROBUST, s.line(), null, null, "drop index without if exists");
            }
        } else if (d instanceof Ddl.AlterTable a) {
            alterTable(run, st, s, index, a);
        } else if (d instanceof Ddl.DropTable dt) {
            for (QName table : dt.tables()) {
                report(run, st, DROP_TABLE, s.line(), table.key(), table.toString(), null);
            }
            if (!dt.ifExists()) {
                report(run, st, NOT_ROBUST, s.line(), null, null, "drop table without if exists");
            }
        } else if (d instanceof Ddl.DropDatabase db) {
            report(run, st, DROP_DATABASE, s.line(), null, db.name() == null ? "" : db.name(), null);
        } else if (d instanceof Ddl.Truncate tr && tr.cascade()) {
            report(run, st, TRUNCATE_CASCADE, s.line(), null,
                    String.join(", ", tr.tables().stream().map(QName::toString).toList()), null);
        } else if (d instanceof Ddl.CreateTrigger tg) {
            if (!tg.orReplace() && !st.droppedGuarded.contains(guardKey("trigger", tg.name(), tg.table()))) {
                report(run, st, NOT_ROBUST, s.line(), null, null,
                        "create trigger without or replace (or a drop trigger if exists before it)");
            }
        } else if (d instanceof Ddl.CreatePolicy pol) {
            if (!st.droppedGuarded.contains(guardKey("policy", pol.name(), pol.table()))) {
                report(run, st, NOT_ROBUST, s.line(), null, null,
                        "create policy without a drop policy if exists before it");
            }
        } else if (d instanceof Ddl.DropOn drop) {
            if (drop.ifExists()) {
                st.droppedGuarded.add(guardKey(drop.kind(), drop.name(), drop.table()));
            } else {
                report(run, st, NOT_ROBUST, s.line(), null, null, "drop " + drop.kind() + " without if exists");
            }
        } else if (d instanceof Ddl.CreateOther other) {
            if (!other.guarded() && GUARDED_CREATE_KINDS.contains(other.kind())) {
                String guard = Set.of("view", "function", "procedure").contains(other.kind()) ? "or replace"
                        : Set.of("type", "domain").contains(other.kind()) ? "a guard (a DO block)" : "if not exists";
                report(run, st, NOT_ROBUST, s.line(), null, null, "create " + other.kind() + " without " + guard);
            }
        } else if (d instanceof Ddl.DropOther other) {
            if (!other.ifExists() && GUARDED_DROP_KINDS.contains(other.kind())) {
                report(run, st, NOT_ROBUST, s.line(), null, null, "drop " + other.kind() + " without if exists");
            }
        }
    }

    private static String guardKey(String kind, String name, QName table) {
        return kind + " " + name + " on " + (table == null ? "" : table.key());
    }

    private static String indexKey(String schema, String name) {
        return (schema == null ? "public" : schema) + "." + name;
    }

    private void createTable(Run run, ScriptState st, Statement s, Ddl.CreateTable t) {
        if (t.table() == null) {
            return;
        }
        String table = t.table().key();
        st.createdTables.add(table);
        if (!t.ifNotExists()) {
            report(run, st, NOT_ROBUST, s.line(), null, null, "create table without if not exists");
        }
        Map<String, TypeRef> types = new HashMap<>();
        Set<String> keyColumns = new HashSet<>();
        boolean hasPrimaryKey = t.hasPrimaryKeySource() || run.gainPrimaryKey.contains(table);
        for (ColumnDef c : t.columns()) {
            types.put(c.name(), c.type());
            if (c.primaryKey() || c.references() != null) {
                keyColumns.add(c.name());
            }
            hasPrimaryKey |= c.primaryKey();
        }
        for (TableConstraint tc : t.constraints()) {
            if (tc.kind() == TableConstraint.Kind.PRIMARY_KEY || tc.kind() == TableConstraint.Kind.FOREIGN_KEY) {
                keyColumns.addAll(tc.columns());
            }
            hasPrimaryKey |= tc.kind() == TableConstraint.Kind.PRIMARY_KEY;
        }
        run.columns.put(table, types);
        for (ColumnDef c : t.columns()) {
            columnConventions(run, st, t.table() + "." + c.name(), c.type(), keyColumns.contains(c.name()),
                    c.identity(), true);
            if (c.references() != null) {
                foreignKey(run, st, t.table(), List.of(c.name()), c.references());
            }
        }
        for (TableConstraint tc : t.constraints()) {
            if (tc.kind() == TableConstraint.Kind.FOREIGN_KEY && tc.references() != null) {
                foreignKey(run, st, t.table(), tc.columns(), tc.references());
            }
        }
        if (!hasPrimaryKey) {
            report(run, st, TABLE_WITHOUT_PRIMARY_KEY, s.line(), null, t.table().toString(), null);
        }
    }

    private void columnConventions(Run run, ScriptState st, String column, TypeRef type, boolean key,
            boolean identity, boolean newTable) {
        if (type == null || type.base().isEmpty()) {
            return;
        }
        int line = type.at() == null ? 0 : type.at().line();
        String written = type.written().isEmpty() ? type.base() : type.written();
        if (type.isFixedLengthText()) {
            report(run, st, VARCHAR, line, null, column, written);
        }
        if (type.isAny("timestamp")) {
            report(run, st, TIMESTAMP_WITHOUT_TIME_ZONE, line, null, column, written);
        }
        if (type.isSerial() && newTable) {
            report(run, st, SERIAL_COLUMN, line, null, column, written);
        }
        if (key && type.isSmallInteger()) {
            report(run, st, INT_KEY, line, null, column, written + (identity ? " (identity)" : ""));
        }
    }

    private void foreignKey(Run run, ScriptState st, QName table, List<String> columns, ForeignRef ref) {
        String object = table + " (" + String.join(", ", columns) + ") → " + ref.table();
        int line = ref.at() == null ? 0 : ref.at().line();
        if (ref.onDelete() == null) {
            report(run, st, FK_WITHOUT_ON_DELETE, line, null, object, null);
        }
        if (!columns.isEmpty() && !run.covered(table.key(), columns)) {
            report(run, st, FK_WITHOUT_INDEX, line, null, table + " (" + String.join(", ", columns) + ")", null);
        }
    }

    private void alterTable(Run run, ScriptState st, Statement s, int index, Ddl.AlterTable a) {
        if (a.table() == null) {
            return;
        }
        String table = a.table().key();
        String name = a.table().toString();
        Map<String, TypeRef> types = run.columns.computeIfAbsent(table, k -> new HashMap<>());
        for (AlterAction action : a.actions()) {
            int line = action.at() == null ? s.line() : action.at().line();
            if (action instanceof AlterAction.AddColumn add) {
                addColumn(run, st, a.table(), add, line, types);
            } else if (action instanceof AlterAction.AddConstraint add) {
                addConstraint(run, st, index, a.table(), add.constraint(), line);
            } else if (action instanceof AlterAction.DropColumn drop) {
                report(run, st, DROP_COLUMN, line, table, name + "." + drop.column(), null);
                if (!drop.ifExists()) {
                    report(run, st, NOT_ROBUST, line, null, null, "drop column without if exists");
                }
            } else if (action instanceof AlterAction.AlterType change) {
                TypeRef before = types.get(change.column());
                TypeRef after = change.type();
                boolean widening = before != null && after != null && before.isAny("varchar", "char", "text")
                        && (after.isAny("text") || after.isAny("varchar") && after.modifiers().isEmpty())
                        && before.array() == after.array();
                if (!widening) {
                    report(run, st, COLUMN_TYPE_CHANGE, line, table, name + "." + change.column(),
                            after == null ? "?" : after.written());
                }
                columnConventions(run, st, name + "." + change.column(), after, false, false, false);
                if (after != null) {
                    types.put(change.column(), after);
                }
            } else if (action instanceof AlterAction.SetNotNull set) {
                report(run, st, SET_NOT_NULL, line, table, name + "." + set.column(), null);
            } else if (action instanceof AlterAction.DropNotNull drop) {
                report(run, st, DROP_NOT_NULL, line, table, name + "." + drop.column(), null);
            } else if (action instanceof AlterAction.RenameColumn rename) {
                report(run, st, RENAME_COLUMN, line, table, name + "." + rename.from() + " → " + rename.to(), null);
            } else if (action instanceof AlterAction.RenameTable rename) {
                report(run, st, RENAME_TABLE, line, table, name + " → " + rename.to(), null);
            }
        }
    }

    private void addColumn(Run run, ScriptState st, QName table, AlterAction.AddColumn add, int line,
            Map<String, TypeRef> types) {
        ColumnDef c = add.column();
        String key = table.key();
        String column = table + "." + c.name();
        types.put(c.name(), c.type());
        if (!add.ifNotExists()) {
            report(run, st, NOT_ROBUST, line, null, null, "add column without if not exists");
        }
        if (c.type() != null && c.type().isSerial() || c.primaryKey()) {
            report(run, st, SERIAL_PK_ADDED, line, key, column, c.type() != null && c.type().isSerial()
                    ? c.type().written() : "a primary key");
        } else if (c.identity()) {
            report(run, st, VOLATILE_DEFAULT, line, key, column, "generated … as identity");
        } else if (c.hasDefault()) {
            String volatileCall = volatileCall(c.defaultExpr());
            if (volatileCall != null) {
                report(run, st, VOLATILE_DEFAULT, line, key, column, volatileCall);
            }
        }
        if (c.notNull() && !c.hasDefault() && !c.identity() && !c.primaryKey()
                && !(c.type() != null && c.type().isSerial())) {
            report(run, st, NOT_NULL_WITHOUT_DEFAULT, line, key, column, null);
        }
        columnConventions(run, st, column, c.type(), c.primaryKey() || c.references() != null, c.identity(), false);
        if (c.references() != null) {
            foreignKey(run, st, table, List.of(c.name()), c.references());
        }
    }

    private void addConstraint(Run run, ScriptState st, int index, QName table, TableConstraint tc, int line) {
        String key = table.key();
        switch (tc.kind()) {
            case FOREIGN_KEY, CHECK -> {
                String what = tc.kind() == TableConstraint.Kind.CHECK ? "check constraint" : "foreign key";
                if (!tc.notValid()) {
                    report(run, st, CONSTRAINT_NOT_VALID, line, key, table.toString(),
                            what + (tc.name() == null ? "" : " " + tc.name()));
                } else if (!st.parsed.source.down && (tc.name() == null
                        || !run.validatedLater(st.parsed.source.order, index, key, tc.name()))) {
                    report(run, st, CONSTRAINT_NOT_VALIDATED, line, null, tc.name() == null
                            ? "(unnamed) on " + table : tc.name() + " on " + table, null);
                }
                if (tc.kind() == TableConstraint.Kind.FOREIGN_KEY && tc.references() != null) {
                    Map<String, TypeRef> types = run.columns.getOrDefault(key, Map.of());
                    for (String c : tc.columns()) {
                        TypeRef type = types.get(c);
                        if (type != null && type.isSmallInteger()) {
                            report(run, st, INT_KEY, line, null, table + "." + c, type.written());
                        }
                    }
                    foreignKey(run, st, table, tc.columns(), tc.references());
                }
            }
            case UNIQUE, PRIMARY_KEY -> {
                if (!tc.usingIndex()) {
                    report(run, st, UNIQUE_WITHOUT_INDEX, line, key, table.toString(),
                            (tc.kind() == TableConstraint.Kind.UNIQUE ? "unique" : "primary key")
                                    + (tc.name() == null ? "" : " " + tc.name()));
                }
            }
            default -> {
            }
        }
    }

    private String volatileCall(List<Token> expr) {
        for (int i = 0; i + 1 < expr.size(); i++) {
            Token t = expr.get(i);
            if (t.type() == TokenType.WORD && volatileFunctions.contains(t.name())
                    && expr.get(i + 1).type() == TokenType.LPAREN) {
                return t.name() + "()";
            }
        }
        return null;
    }

    /**
     * Adds a finding unless the rule only concerns existing objects and {@code table} was created in this script.
     * {@code table} is the key of the table the statement changes, or null when the rule is not about one.
     */
    private void report(Run run, ScriptState st, String ruleId, int line, String table, String object,
            String detail) {
        LintRule rule = rules.get(ruleId);
        if (rule.scope() == LintRule.Scope.EXISTING && table != null && !st.existed(table)) {
            return;
        }
        String o = object == null ? "" : object;
        String d = detail == null ? "" : detail;
        String message = rule.message().replace("{object}", o).replace("{detail}", d);
        String fix = rule.fix().replace("{object}", o).replace("{detail}", d);
        String where = st.parsed.source.name + (object == null ? "" : ": " + object);
        run.findings.add(new Finding(ruleId, rule.severity(), where, message, fix, line > 0 ? line : null));
        run.sources.add(st.parsed.source.migration);
        run.rejected |= rule.rejectsInput();
    }

    private static String shorten(String s) {
        return s.length() <= 80 ? s : s.substring(0, 77) + "…";
    }
}
