package dev.backendteam.dbarchitect.engine.fix;

import dev.backendteam.contract.Diagnosis;
import dev.backendteam.contract.Evidence;
import dev.backendteam.contract.Finding;
import dev.backendteam.contract.Severity;
import dev.backendteam.dbarchitect.engine.Migration;
import dev.backendteam.dbarchitect.engine.design.ExistingSchema;
import dev.backendteam.dbarchitect.engine.design.UpdatedAtFunction;
import dev.backendteam.dbarchitect.engine.proof.CatalogObject;
import dev.backendteam.dbarchitect.engine.proof.MigrationProver;
import dev.backendteam.dbarchitect.engine.proof.ProbePlan;
import dev.backendteam.dbarchitect.engine.proof.ProofPlan;
import dev.backendteam.dbarchitect.engine.proof.SchemaCatalog;
import dev.backendteam.dbarchitect.engine.proof.SchemaProbe;
import dev.backendteam.dbarchitect.engine.sql.Token;
import dev.backendteam.dbarchitect.engine.spec.DomainSpec;
import dev.backendteam.dbarchitect.engine.spec.DomainSpecSchema;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Decides what fixes a missing relation or column the debugger diagnosed, from what the job holds, after checking
 * the diagnosis against the job's schema in the sandbox ({@link MigrationProver#probe}): the schema already creates it
 * (the deployed database is behind: name the migration), the application misspells it (name the right one, no
 * migration), the spec defines it, or the statement says enough to build it — or nothing in the job does, and the
 * question names the object. The engine turns the {@link Decision} into a step's outcome and has any migration proven
 * with the statement replayed before and after it.
 */
public final class DiagnosisFix {
    public static final String PENDING = "diagnosis.pending-migration";
    public static final String APPLICATION = "diagnosis.application-statement";
    public static final String FROM_SPEC = "diagnosis.from-spec";
    public static final String BUILT = "diagnosis.built-from-statement";
    public static final String REPLAY_CORRECTED = "replay: the corrected statement resolves against the job's schema";
    private static final Pattern HINT = Pattern.compile("Perhaps you meant to reference the column \"([^\"]+)\"");
    /** The regclass literal of a sequence function: {@code nextval('posts_id_seq')}, {@code setval('app.s', …)}. */
    private static final Pattern SEQUENCE_CALL = Pattern.compile("(?i)\\b(?:nextval|currval|setval)\\s*\\(\\s*'([^']+)'");
    private static final Set<String> SEQUENCE_TYPES = Set.of("smallint", "integer", "bigint");
    private static final Set<String> CONVENTIONAL = Set.of("id", "created_at", "updated_at");
    private static final int CLOSE = 2;

    /** What to do: {@code kind} and, per kind, migrations, findings, evidence or the question. */
    public record Decision(Kind kind, List<Migration> migrations, List<Finding> findings, List<Evidence> evidence,
            String question, ProofPlan.Replay replay, String reason) {
    }

    public enum Kind {
        /** Migrations to prove and deliver. */
        FIX,
        /** The spec defines the relation: the engine designs it from the spec. */
        SPEC_TABLE,
        /** Nothing to deliver: the findings say what to do (apply a migration, correct the statement). */
        ADVICE,
        NEEDS_INPUT,
        /** The schema does not apply, or the sandbox could not check: {@code reason}. */
        INVALID_SCHEMA, NOT_CHECKED, UNAVAILABLE
    }

    private final MigrationProver prover;
    private final ColumnInference inference;

    public DiagnosisFix(MigrationProver prover) {
        this.prover = prover;
        this.inference = ColumnInference.standard();
    }

    /**
     * {@code base}: the project's migrations and the SQL given; {@code earlier}: the bundle's migrations so far;
     * {@code spec} the job's spec read, or null.
     */
    public Decision decide(String label, Diagnosis diagnosis, List<ExistingSchema.Script> base,
            List<Migration> earlier, String grants, DomainSpec spec) {
        Optional<DiagnosedObject> named = DiagnosedObject.of(diagnosis);
        FailingStatement statement = diagnosis.hasStatement() ? FailingStatement.read(diagnosis.statement()) : null;
        boolean schema = !base.isEmpty() || !earlier.isEmpty();
        if (named.isEmpty()) {
            return question("the log names no relation or column (diagnosis " + diagnosis.rule() + "): send the"
                    + " error as PostgreSQL logged it, with the statement that failed");
        }
        DiagnosedObject object = named.get();
        CatalogObject target = resolve(object, statement);
        if (!schema && spec == null && statement == null) {
            return question(missing(object) + ", and the job holds nothing to fix it from: add the migrations or"
                    + " schema that should create " + subject(object, target) + " (sql, or files under"
                    + " supabase/migrations), a spec that defines it, or the statement that failed");
        }
        List<ExistingSchema.Script> scripts = new ArrayList<>(base);
        earlier.forEach(m -> scripts.add(new ExistingSchema.Script(m.name(), m.up())));
        SchemaProbe probe = prover.probe(new ProbePlan(label, scripts, grants, target,
                statement == null ? null : statement.text()));
        if (probe.notRun() != null) {
            return other(Kind.NOT_CHECKED, probe.notRun(), probe.evidence());
        }
        if (probe.unavailable() != null) {
            return other(Kind.UNAVAILABLE, probe.unavailable(), probe.evidence());
        }
        if (probe.failedScript() != null) {
            return other(Kind.INVALID_SCHEMA, "the job's schema does not apply: " + probe.failedScript() + ": "
                    + probe.failure(), probe.evidence());
        }
        List<Evidence> evidence = new ArrayList<>(probe.evidence());
        SchemaProbe.Step last = probe.last();
        if (statement == null ? Boolean.TRUE.equals(last.objectExists()) : last.replay().resolves()) {
            return pending(object, target, probe, evidence);
        }
        SchemaCatalog catalog = probe.catalog();
        Optional<Decision> fromSpec = fromSpec(object, target, spec, catalog, statement, evidence);
        if (fromSpec.isPresent()) {
            return fromSpec.get();
        }
        if (statement != null) {
            Optional<Decision> typo = misspelt(label, object, target, statement, last, catalog, scripts, grants,
                    evidence);
            if (typo.isPresent()) {
                return typo.get();
            }
        }
        return build(object, target, statement, catalog, earlier, base, evidence);
    }

    // ---- the deployed database is behind the job's schema ----

    private static Decision pending(DiagnosedObject object, CatalogObject target, SchemaProbe probe,
            List<Evidence> evidence) {
        Optional<SchemaProbe.Step> creating = probe.creatingStep();
        String where = creating.map(s -> s.source().equals("sql") ? "the SQL given (sql)" : "migration "
                + s.source()).orElse("the sandbox's Supabase base (auth, extensions)");
        creating.ifPresent(step -> {
            SchemaProbe.Step before = probe.before(step);
            boolean proven = before.replay().ran() ? !before.replay().resolves() && step.replay().resolves()
                    : !Boolean.TRUE.equals(before.objectExists()) && Boolean.TRUE.equals(step.objectExists());
            evidence.add(new Evidence(MigrationProver.REPLAY_BEFORE + " (before " + step.source() + ")", proven,
                    "before " + step.source() + ": " + (before.replay().ran() ? before.replay().describe()
                    : target.describe() + " missing") + "; after it: " + (step.replay().ran()
                    ? step.replay().describe() : target.describe() + " present"), 0));
        });
        Finding f = new Finding(PENDING, Severity.ERROR, target.describe(), missing(object) + " in the deployed"
                + " database, but the job's schema creates it: " + where + ". The database is behind its"
                + " migrations; no new migration is needed.", "Apply the pending migration to the deployed database"
                + " (supabase db push, or your migration tool's up), then retry the statement.", null);
        return new Decision(Kind.ADVICE, List.of(), List.of(f), evidence, null, null, null);
    }

    // ---- the spec defines it ----

    private Optional<Decision> fromSpec(DiagnosedObject object, CatalogObject target, DomainSpec spec,
            SchemaCatalog catalog, FailingStatement statement, List<Evidence> evidence) {
        if (spec == null || target.table() == null || target.sequence()
                || !(target.schema() == null || target.schema().equals("public"))) {
            return Optional.empty();
        }
        Optional<DomainSpec.Entity> entity = spec.entities().stream().filter(e -> e.name().equals(target.table()))
                .findFirst();
        if (entity.isEmpty()) {
            return Optional.empty();
        }
        Optional<SchemaCatalog.Relation> table = catalog.relation("public", target.table());
        if (table.isEmpty()) {
            Finding f = Finding.info(FROM_SPEC, target.describe(), "the job's spec defines " + target.table()
                    + " and the job's schema lacks it: the migration is designed from the spec");
            return Optional.of(new Decision(Kind.SPEC_TABLE, List.of(), List.of(f), evidence, null, replay(object,
                    target, statement), null));
        }
        if (!object.isColumn()) {
            return Optional.empty();
        }
        Optional<DomainSpec.Field> field = entity.get().fields().stream().filter(x -> x.name().equals(object.name()))
                .findFirst();
        if (field.isEmpty()) {
            return Optional.empty();
        }
        DomainSpec.Field x = field.get();
        String type = x.type() == null ? "text" : x.type();
        String defaultSql = x.defaultValue() == null || x.defaultValue().isNull() ? null
                : x.defaultValue().isTextual() ? "'" + x.defaultValue().asText().replace("'", "''") + "'"
                : x.defaultValue().toString();
        ColumnInference.Guess guess = new ColumnInference.Guess(x.name(), type, Boolean.FALSE.equals(x.nullable()),
                defaultSql, null, "infer.spec", "the spec defines " + target.table() + "." + x.name() + " as " + type);
        List<Migration> out = new ArrayList<>();
        FixMigrations.addColumns("public", target.table(), List.of(guess), out);
        List<Finding> findings = new ArrayList<>();
        findings.add(Finding.info(FROM_SPEC, target.describe(), "the job's spec defines " + target.describe()
                + " (" + type + ") and the job's schema lacks it: the migration adds it as the spec says"
                + (guess.notNull() && defaultSql == null ? "; nullable for now — a NOT NULL column without a default"
                + " cannot be added to a table with rows" : "")));
        return Optional.of(new Decision(Kind.FIX, out, findings, evidence, null, replay(object, target, statement),
                null));
    }

    // ---- the application's statement is wrong ----

    private Optional<Decision> misspelt(String label, DiagnosedObject object, CatalogObject target,
            FailingStatement statement, SchemaProbe.Step last, SchemaCatalog catalog,
            List<ExistingSchema.Script> scripts, String grants, List<Evidence> evidence) {
        String corrected = null;
        String message = null;
        if (!object.isColumn()) {
            Optional<FailingStatement.Relation> written = statement.relations().stream()
                    .filter(r -> r.name().equals(object.name())).findFirst();
            Optional<SchemaCatalog.Relation> close = closest(object.name(), catalog.userRelations().stream()
                    .filter(r -> !r.name().equals(object.name())).map(SchemaCatalog.Relation::name).toList())
                    .flatMap(n -> catalog.userRelations().stream().filter(r -> r.name().equals(n)).findFirst());
            Optional<SchemaCatalog.Relation> elsewhere = catalog.userRelations().stream()
                    .filter(r -> r.name().equals(object.name())).findFirst();
            if (written.isPresent() && elsewhere.isPresent()) {
                corrected = qualify(statement, written.get(), elsewhere.get());
                message = "relation " + object.written() + " is in schema " + elsewhere.get().schema() + ", not "
                        + (target.schema() == null ? "public" : target.schema()) + ": the statement names the wrong"
                        + " schema (or the search path lacks " + elsewhere.get().schema() + ")";
            } else if (written.isPresent() && close.isPresent()) {
                corrected = statement.replacing(written.get().token(), close.get().name());
                message = "relation " + object.written() + " does not exist, but " + close.get().qualified()
                        + " does: the application's statement misspells it";
            }
        } else {
            String column = hinted(last).orElse(null);
            Optional<SchemaCatalog.Relation> table = catalog.relation(target.schema(), target.table());
            Optional<FailingStatement.Ref> ref = statement.refs().stream()
                    .filter(r -> r.name().equals(object.name())).findFirst();
            if (column == null && table.isPresent()) {
                column = closest(object.name(), table.get().columns().stream().map(SchemaCatalog.Column::name)
                        .toList()).orElse(null);
            }
            if (column != null && ref.isPresent()) {
                String bare = column.contains(".") ? column.substring(column.lastIndexOf('.') + 1) : column;
                String text = statement.text();
                int start = ref.get().token().offset();
                if (column.contains(".") && ref.get().qualifier() != null) {
                    // PostgreSQL's hint names the relation that has it: it may be another than the one written
                    int dot = text.lastIndexOf('.', start);
                    start = Math.max(0, text.toLowerCase().lastIndexOf(ref.get().qualifier().toLowerCase(), dot));
                    corrected = text.substring(0, start) + column + text.substring(ref.get().token().end());
                } else {
                    corrected = statement.replacing(ref.get().token(), bare);
                }
                message = bare.equals(object.name())
                        ? "column " + object.written() + " does not exist, but " + column + " does: the statement"
                        + " takes it from the wrong table"
                        : "column " + object.written() + " does not exist, but " + (table.isPresent()
                        ? table.get().qualified() + "." : "") + bare + " does: the application's statement misspells"
                        + " it";
            } else if (ref.isPresent()) {
                for (FailingStatement.Relation r : statement.relations()) {
                    Optional<SchemaCatalog.Relation> other = catalog.relation(r.schema(), r.name());
                    if (other.isPresent() && !other.get().name().equals(target.table())
                            && other.get().column(object.name()).isPresent()) {
                        String qualifier = r.alias() == null ? r.name() : r.alias();
                        String fixed = statement.text().substring(0, ref.get().token().offset());
                        int dot = fixed.lastIndexOf('.');
                        if (ref.get().qualifier() != null && dot >= 0) {
                            int start = fixed.lastIndexOf(ref.get().qualifier(), dot);
                            corrected = fixed.substring(0, start) + qualifier + "." + statement.text()
                                    .substring(ref.get().token().offset());
                        } else {
                            corrected = fixed + qualifier + "." + statement.text()
                                    .substring(ref.get().token().offset());
                        }
                        message = "column " + object.name() + " is not in " + target.describe() + " but in "
                                + other.get().qualified() + ", which the statement also reads: the statement takes"
                                + " it from the wrong table";
                        break;
                    }
                }
            }
        }
        if (corrected == null) {
            return Optional.empty();
        }
        SchemaProbe check = prover.probe(new ProbePlan(label + " (corrected)", scripts, grants, null, corrected));
        boolean resolves = check.ran() && check.failedScript() == null && check.last().replay().resolves();
        evidence.add(new Evidence(REPLAY_CORRECTED, resolves, corrected + " → " + (check.ran()
                ? check.last().replay().describe() : check.notRun() != null ? check.notRun() : check.unavailable()),
                0));
        if (!resolves) {
            return Optional.empty();
        }
        Finding f = new Finding(APPLICATION, Severity.ERROR, target.describe(), message + ". No migration: the fix"
                + " belongs to the application's code.", "Use: " + corrected, null);
        return Optional.of(new Decision(Kind.ADVICE, List.of(), List.of(f), evidence, null, null, null));
    }

    private static String qualify(FailingStatement statement, FailingStatement.Relation written,
            SchemaCatalog.Relation actual) {
        String text = statement.text();
        int start = written.token().offset();
        if (written.schema() != null) {
            int dot = text.lastIndexOf('.', start);
            start = Math.max(0, text.lastIndexOf(written.schema(), dot) < 0 ? dot : text.lastIndexOf(written.schema(),
                    dot));
            String before = text.substring(0, start);
            // the schema as written may be quoted
            if (before.endsWith("\"")) {
                start = before.lastIndexOf('"', before.length() - 2);
            }
        }
        return text.substring(0, start) + dev.backendteam.dbarchitect.engine.sql.Identifiers.qualified(
                actual.schema(), actual.name()) + text.substring(written.token().end());
    }

    private static Optional<String> hinted(SchemaProbe.Step last) {
        if (!last.replay().ran() || last.replay().error() == null || last.replay().error().hint() == null) {
            return Optional.empty();
        }
        Matcher m = HINT.matcher(last.replay().error().hint());
        return m.find() ? Optional.of(m.group(1)) : Optional.empty();
    }

    /** The one candidate within {@value #CLOSE} edits (and not more than a third of the name), if exactly one is. */
    static Optional<String> closest(String name, List<String> candidates) {
        List<String> close = candidates.stream().filter(c -> {
            int d = DomainSpecSchema.distance(name.toLowerCase(), c.toLowerCase());
            return d > 0 && d <= CLOSE && d * 3 <= Math.max(name.length(), c.length());
        }).distinct().toList();
        return close.size() == 1 ? Optional.of(close.get(0)) : Optional.empty();
    }

    // ---- built from the statement ----

    private Decision build(DiagnosedObject object, CatalogObject target, FailingStatement statement,
            SchemaCatalog catalog, List<Migration> earlier, List<ExistingSchema.Script> base,
            List<Evidence> evidence) {
        String schema = target.schema() == null ? "public" : target.schema();
        Optional<SchemaCatalog.Relation> table = target.table() == null ? Optional.empty()
                : catalog.relation(schema, target.table());
        if (object.isColumn() && table.isEmpty()) {
            String which = target.table() == null ? "the relation of column " + object.name()
                    : target.describe().substring(0, target.describe().lastIndexOf('.'));
            return question(missing(object) + ", and the job's schema does not hold " + which + ": add the"
                    + " migrations or schema that create " + which + " (sql, or files under supabase/migrations), or"
                    + " the statement that failed");
        }
        if (target.sequence()) {
            return sequence(target, statement, catalog, evidence, replay(object, target, statement));
        }
        if (!object.isColumn() && statement == null) {
            return question(missing(object) + ", and the job holds neither the statement that failed nor a"
                    + " schema or spec that defines " + target.describe() + ": add the statement, or the migrations"
                    + " or spec that should create it");
        }
        Map<String, ColumnInference.Guess> columns = new LinkedHashMap<>();
        if (statement != null) {
            for (FailingStatement.Ref ref : statement.refs()) {
                if (belongs(ref, target, statement, catalog) && !CONVENTIONAL.contains(ref.name())
                        && (table.isEmpty() || table.get().column(ref.name()).isEmpty())) {
                    columns.putIfAbsent(ref.name(), inference.infer(ref.name(), ref.value(), statement, catalog));
                }
            }
        }
        if (object.isColumn() && !columns.containsKey(object.name())) {
            columns.put(object.name(), inference.infer(object.name(), List.of(), statement == null
                    ? FailingStatement.read("") : statement, catalog));
        }
        List<ColumnInference.Guess> guesses = List.copyOf(columns.values());
        List<Migration> out = new ArrayList<>();
        List<Finding> findings = new ArrayList<>();
        if (table.isEmpty()) {
            boolean join = guesses.size() == 2 && guesses.stream().allMatch(g -> g.reference() != null);
            boolean needsFunction = !ExistingSchema.scan(scripts(base, earlier)).hasFunction(UpdatedAtFunction.NAME);
            FixMigrations.createTable(schema, target.table(), guesses, join, needsFunction, out);
            findings.add(Finding.info(BUILT, target.describe(), "no script or spec of the job defines "
                    + target.describe() + ": it is built from the failing statement, as a " + (join ? "join table"
                    + " (two keys, a composite primary key, an index on the second)" : "table with the columns the"
                    + " statement names (" + String.join(", ", columns.keySet()) + ") plus id, created_at and"
                    + " updated_at") + "; row level security is on and no role is granted anything yet: the"
                    + " security specialist writes the grants and policies"));
        } else {
            FixMigrations.addColumns(schema, target.table(), guesses, out);
            findings.add(Finding.info(BUILT, target.describe(), "no script or spec of the job defines "
                    + String.join(", ", columns.keySet()) + " on " + table.get().qualified() + ": added as the"
                    + " failing statement uses " + (guesses.size() == 1 ? "it" : "them") + "; nullable unless a"
                    + " constant default allows NOT NULL, since the table may hold rows"));
        }
        for (ColumnInference.Guess g : guesses) {
            findings.add(new Finding(g.rule(), Severity.INFO, target.table() + "." + g.name(), "assumed "
                    + g.name() + " " + g.type() + (g.reference() == null ? "" : " references " + g.reference().schema()
                    + "." + g.reference().table() + " (" + g.reference().column() + ")") + ": " + g.because(),
                    "Check the type before applying; change it in the migration if the application means another.",
                    null));
        }
        if (statement != null && guesses.stream().anyMatch(g -> g.name().endsWith("_id") && g.reference() == null)) {
            guesses.stream().filter(g -> g.name().endsWith("_id") && g.reference() == null).forEach(g ->
                    findings.add(new Finding("infer.key-unresolved", Severity.WARN, target.table() + "." + g.name(),
                            g.name() + " looks like a key, but no table of the job's schema matches it: no foreign"
                            + " key was added", "Add the foreign key once the table it references exists.", null)));
        }
        return new Decision(Kind.FIX, out, findings, evidence, null, replay(object, target, statement), null);
    }

    /**
     * A relation the statement uses only as the regclass of nextval(), currval() or setval() is a sequence, never a
     * table: {@code create sequence}, typed as and owned by the column it fills when the statement says which (an
     * insert's {@code nextval(…)} for a key column of an integer type) and started past that column's largest value.
     */
    private static Decision sequence(CatalogObject target, FailingStatement statement, SchemaCatalog catalog,
            List<Evidence> evidence, ProofPlan.Replay replay) {
        String schema = target.schema() == null ? "public" : target.schema();
        Optional<FailingStatement.Relation> written = statement.target();
        Optional<SchemaCatalog.Column> owner = written.flatMap(t -> catalog.relation(t.schema(), t.name()))
                .flatMap(t -> statement.refs().stream().filter(r -> (r.qualifier() == null
                        || written.get().answers(r.qualifier())) && names(String.join(" ", r.value().stream()
                        .map(Token::text).toList()), target)).findFirst().flatMap(r -> t.column(r.name())))
                .filter(c -> SEQUENCE_TYPES.contains(c.type()));
        List<Migration> out = new ArrayList<>();
        FixMigrations.createSequence(schema, target.table(), owner.orElse(null), out);
        Finding f = Finding.info(BUILT, target.describe(), "no script or spec of the job defines " + target.describe()
                + ", and the failing statement uses it only in nextval()/currval()/setval(): it is built as a sequence,"
                + " not a table" + owner.map(c -> ", as " + c.type() + " and owned by " + c.schema() + "." + c.table()
                + "." + c.name() + " (the column its nextval() fills), starting past that column's largest value")
                .orElse(" (bigint; the statement names no integer column it fills, so it is owned by none)"));
        return new Decision(Kind.FIX, out, List.of(f), evidence, null, replay, null);
    }

    /** Whether a sequence function's regclass literal in {@code sql} names {@code target}. */
    private static boolean names(String sql, CatalogObject target) {
        Matcher m = SEQUENCE_CALL.matcher(sql);
        while (m.find()) {
            String literal = m.group(1).strip();
            List<String> parts = DiagnosedObject.split(literal);
            String name = parts.get(parts.size() - 1);
            String schema = parts.size() >= 2 ? parts.get(parts.size() - 2) : null;
            boolean folded = !literal.contains("\""); // an unquoted regclass name folds to lower case
            if ((folded ? name.equalsIgnoreCase(target.table()) : name.equals(target.table()))
                    && (schema == null || target.schema() == null || (folded ? schema.equalsIgnoreCase(target.schema())
                    : schema.equals(target.schema())))) {
                return true;
            }
        }
        return false;
    }

    /** Whether a column reference reads {@code target}: qualified by it, or bare where only it can hold the column. */
    private static boolean belongs(FailingStatement.Ref ref, CatalogObject target, FailingStatement statement,
            SchemaCatalog catalog) {
        if (ref.qualifier() != null) {
            return statement.relation(ref.qualifier()).map(r -> r.name().equals(target.table())
                    && schemaOf(r).equals(target.schema() == null ? "public" : target.schema())).orElse(false);
        }
        for (FailingStatement.Relation r : statement.relations()) {
            if (!r.name().equals(target.table())) {
                Optional<SchemaCatalog.Relation> other = catalog.relation(r.schema(), r.name());
                if (other.isEmpty() || other.get().column(ref.name()).isPresent()) {
                    return false; // another relation holds it, or is missing too: not ours to say
                }
            }
        }
        return statement.relations().stream().anyMatch(r -> r.name().equals(target.table()));
    }

    private static String schemaOf(FailingStatement.Relation r) {
        return r.schema() == null ? "public" : r.schema();
    }

    private static List<ExistingSchema.Script> scripts(List<ExistingSchema.Script> base, List<Migration> earlier) {
        List<ExistingSchema.Script> all = new ArrayList<>(base);
        earlier.forEach(m -> all.add(new ExistingSchema.Script(m.name(), m.up())));
        return all;
    }

    // ---- helpers ----

    /** The object with its relation: an alias resolved through the statement, a bare column given its relation. */
    public static CatalogObject resolve(DiagnosedObject object, FailingStatement statement) {
        if (!object.isColumn()) {
            CatalogObject relation = new CatalogObject(object.schema(), object.name(), null);
            // nextval('posts_id_seq'): the statement needs a sequence, unless it also reads or writes it as a table
            boolean sequence = statement != null && names(statement.text(), relation) && statement.relations().stream()
                    .noneMatch(r -> r.name().equals(object.name()));
            return new CatalogObject(object.schema(), object.name(), null, sequence);
        }
        if (object.qualifier() != null) {
            Optional<FailingStatement.Relation> r = statement == null ? Optional.empty()
                    : statement.relation(object.qualifier());
            return r.map(x -> new CatalogObject(x.schema(), x.name(), object.name()))
                    .orElse(new CatalogObject(object.schema(), object.qualifier(), object.name()));
        }
        if (statement != null) {
            Optional<FailingStatement.Relation> only = statement.target().or(() -> statement.relations().size() == 1
                    ? Optional.of(statement.relations().get(0)) : Optional.empty());
            if (only.isPresent()) {
                return new CatalogObject(only.get().schema(), only.get().name(), object.name());
            }
        }
        return new CatalogObject(null, null, object.name());
    }

    private static ProofPlan.Replay replay(DiagnosedObject object, CatalogObject target, FailingStatement statement) {
        return new ProofPlan.Replay(statement == null ? null : statement.text(), object.sqlState(),
                target.table() == null ? null : target, 0);
    }

    private static String missing(DiagnosedObject object) {
        return "the log says " + (object.isColumn() ? "column" : "relation") + " \"" + object.written()
                + "\" does not exist";
    }

    private static String subject(DiagnosedObject object, CatalogObject target) {
        return object.isColumn() && target.table() != null ? target.table() + " and its column " + object.name()
                : target.describe();
    }

    private static Decision question(String question) {
        return new Decision(Kind.NEEDS_INPUT, List.of(), List.of(), List.of(), question, null, null);
    }

    private static Decision other(Kind kind, String reason, List<Evidence> evidence) {
        return new Decision(kind, List.of(), List.of(), evidence, null, null, reason);
    }
}
