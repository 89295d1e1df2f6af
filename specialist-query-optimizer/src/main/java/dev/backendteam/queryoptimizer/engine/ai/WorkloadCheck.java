package dev.backendteam.queryoptimizer.engine.ai;

import dev.backendteam.contract.QueryInput;
import dev.backendteam.contract.llm.RepairLoop;
import dev.backendteam.queryoptimizer.plan.Explainer;
import dev.backendteam.queryoptimizer.plan.PlanException;
import dev.backendteam.queryoptimizer.plan.PlanNode;
import dev.backendteam.queryoptimizer.plan.WorkloadQuery;
import dev.backendteam.queryoptimizer.sql.SqlText;
import dev.backendteam.sandbox.SandboxDatabase;
import dev.backendteam.sandbox.targetdb.TargetSql;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The engine's check of a drafted workload on the job's schema loaded in the sandbox. A query must be one read-only
 * SELECT (a write, a row lock, SELECT … INTO or a second statement is refused before anything is sent to the
 * database); it must PREPARE and plan (the generic plan, inside a transaction that is rolled back: the path every
 * workload query takes); and the tables its plan reads must be the job's, at least one of them.
 */
public final class WorkloadCheck {
    public static final String NOT_READ_ONLY = "workload.not-read-only";
    public static final String NO_TABLE = "workload.reads-no-table";
    public static final String OTHER_TABLE = "workload.not-a-job-table";
    public static final String PLAN_FAILED = "workload.plan-failed";
    private static final String TABLES = resource("job-tables.sql");
    private static final int LISTED = 20;
    private static final Pattern QUOTED = Pattern.compile("\"([^\"]+)\"");

    /** A relation of the job's schema, with its columns as the catalog lists them. */
    public record JobTable(String schema, String name, String columns) {
        public String qualified() {
            return schema + "." + name;
        }
    }

    /** One query checked: its plan and the tables it reads, and its problems (none: it passed). */
    public record Checked(PlanNode plan, List<String> reads, List<RepairLoop.Problem> problems) {
        public boolean passed() {
            return problems.isEmpty();
        }
    }

    private final Explainer explainer;
    private final List<JobTable> tables;
    private final Set<String> qualified;

    public WorkloadCheck(SandboxDatabase db) {
        this.explainer = new Explainer(db);
        List<String> schemas = TargetSql.applicationSchemas(db::query);
        this.tables = db.query(TABLES, TargetSql.textArray(schemas)).stream().map(r -> new JobTable(
                String.valueOf(r.get("schema")), String.valueOf(r.get("name")), String.valueOf(r.get("columns"))))
                .toList();
        this.qualified = tables.stream().map(JobTable::qualified).collect(Collectors.toSet());
    }

    public List<JobTable> tables() {
        return tables;
    }

    /** The problems of every well-formed query of the draft. */
    public List<RepairLoop.Problem> problems(DraftedWorkload workload) {
        List<RepairLoop.Problem> out = new ArrayList<>();
        for (QueryInput q : workload.queries()) {
            out.addAll(query(q.name(), q.sql()).problems());
        }
        return out;
    }

    public Checked query(String name, String sql) {
        if (!SqlText.isReadOnlySelect(sql)) {
            return refused(new RepairLoop.Problem(NOT_READ_ONLY, name, "query " + name + " is not one read-only SELECT"
                    + " (or WITH … SELECT); writes (INSERT, UPDATE, DELETE, MERGE, SELECT … INTO, COPY, CALL, DO),"
                    + " row locks (FOR UPDATE / SHARE) and a second statement are refused, and it was not run"));
        }
        PlanNode plan;
        try {
            plan = explainer.generic(WorkloadQuery.given(name, sql, null), List.of());
        } catch (PlanException e) {
            Matcher object = QUOTED.matcher(e.getMessage() == null ? "" : e.getMessage());
            return refused(new RepairLoop.Problem(e.sqlState() == null ? PLAN_FAILED : e.sqlState(),
                    object.find() ? object.group(1) : name, "query " + name + ": " + e.getMessage()));
        }
        List<String> reads = plan.all().stream().filter(PlanNode::isScan)
                .map(p -> (p.schema() == null ? "public" : p.schema()) + "." + p.relation()).distinct().toList();
        List<RepairLoop.Problem> problems = new ArrayList<>();
        if (reads.isEmpty()) {
            problems.add(new RepairLoop.Problem(NO_TABLE, name, "query " + name + " reads none of the job's tables"
                    + " (its plan: " + plan.shape() + "); a workload query reads the schema's tables"));
        }
        for (String table : reads) {
            if (!qualified.contains(table.toLowerCase(Locale.ROOT)) && !qualified.contains(table)) {
                problems.add(new RepairLoop.Problem(OTHER_TABLE, table, "query " + name + " reads " + table
                        + ", which is not one of the job's tables (" + listed() + ")"));
            }
        }
        return new Checked(plan, reads, problems);
    }

    /** The job's tables, the first {@value #LISTED} of them. */
    private String listed() {
        List<String> names = qualified.stream().sorted().toList();
        return names.size() <= LISTED ? String.join(", ", names)
                : String.join(", ", names.subList(0, LISTED)) + " … " + names.size() + " in all: list_tables lists them";
    }

    private static Checked refused(RepairLoop.Problem problem) {
        return new Checked(null, List.of(), List.of(problem));
    }

    private static String resource(String name) {
        try (InputStream in = WorkloadCheck.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("no resource " + name + " next to " + WorkloadCheck.class.getName());
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
