package dev.backendteam.queryoptimizer.engine;

import com.fasterxml.jackson.databind.JsonNode;
import dev.backendteam.contract.Evidence;
import dev.backendteam.contract.Finding;
import dev.backendteam.contract.QueryInput;
import dev.backendteam.contract.Severity;
import dev.backendteam.contract.TaskEvent;
import dev.backendteam.queryoptimizer.advisor.IndexAdvisor;
import dev.backendteam.queryoptimizer.data.TableStatistics;
import dev.backendteam.queryoptimizer.plan.PlanNode;
import dev.backendteam.queryoptimizer.plan.WorkloadQuery;
import dev.backendteam.queryoptimizer.targetdb.ExistingIndexes;
import dev.backendteam.queryoptimizer.targetdb.StatisticsUnreadableException;
import dev.backendteam.queryoptimizer.targetdb.TargetPlans;
import dev.backendteam.queryoptimizer.targetdb.TargetStatisticsReader;
import dev.backendteam.sandbox.targetdb.TargetDatabase;
import dev.backendteam.sandbox.targetdb.TargetException;
import dev.backendteam.sandbox.targetdb.TargetSchema;
import dev.backendteam.sandbox.targetdb.TargetSql;
import dev.backendteam.sandbox.targetdb.TopStatements;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

/**
 * What a job's {@code target} (a read-only database named in the environment, BRIEF §3a) gives the optimizer: its
 * schema when the job brings none, its statistics to shape the data, its top statements when the job brings no
 * queries, its own indexes' findings and its own plans to compare with the sandbox's. Every read is a read-only
 * transaction; nothing is written there.
 */
public final class TargetAccess {
    static final List<String> SCHEMAS = List.of("public");
    private static final int TOP = 20;

    private final Function<String, TargetDatabase> open;

    public TargetAccess(Function<String, TargetDatabase> open) {
        this.open = open;
    }

    /** What was read; {@link #compare} plans the workload on the target once the sandbox's advice is there. */
    public final class Read {
        private final String name;
        private final String schema;
        private final List<WorkloadQuery> queries;
        private final Map<String, TableStatistics> statistics;
        private final boolean failed;

        Read(String name, String schema, List<WorkloadQuery> queries, Map<String, TableStatistics> statistics,
                boolean failed) {
            this.name = name;
            this.schema = schema;
            this.queries = queries;
            this.statistics = statistics;
            this.failed = failed;
        }

        String schema() {
            return schema;
        }

        List<WorkloadQuery> queries() {
            return queries;
        }

        Map<String, TableStatistics> statistics() {
            return statistics;
        }

        boolean failed() {
            return failed;
        }

        /** Whether a target was named and read. */
        boolean readFrom() {
            return name != null && !failed;
        }

        /** The target's generic plan of each query next to the sandbox's plan before the index set. */
        List<Finding> compare(IndexAdvisor.Advice advice) {
            if (name == null || failed) {
                return List.of();
            }
            List<Finding> out = new ArrayList<>();
            try (TargetDatabase t = open.apply(name)) {
                for (IndexAdvisor.QueryResult r : advice.queries()) {
                    // a model's query (drafted here or lifted by the planner) is planned in the sandbox only
                    if (r.query().role() != null || Workload.MODEL.equals(r.query().origin())) {
                        continue;
                    }
                    try {
                        JsonNode plan = TargetPlans.explain(t, r.query().sql());
                        PlanNode p = PlanNode.ofExplain(plan);
                        boolean same = p.shape().replaceAll(" using \\S+", "").equals(r.genericBefore().shape()
                                .replaceAll(" using \\S+", ""));
                        out.add(Finding.info("query-optimizer.target-plan", r.query().name(), String.format(Locale.ROOT,
                                "on target %s (EXPLAIN, never run): %s, cost %.1f; in the sandbox before: %s, cost %.1f"
                                + " — %s", name, p.shape(), p.totalCost(), r.genericBefore().shape(),
                                r.genericBefore().totalCost(), same ? "the same plan shape"
                                        : "a different plan: the generated data differs from the target's")));
                    } catch (TargetException | IllegalArgumentException e) {
                        out.add(new Finding("query-optimizer.target-plan", Severity.INFO, r.query().name(),
                                "not planned on target " + name + ": " + e.getMessage(), null, null));
                    }
                }
            } catch (TargetException e) {
                out.add(new Finding("query-optimizer.target-plan", Severity.WARN, name, "target " + name
                        + " could not be read again to compare plans: " + e.getMessage(), null, null));
            }
            return out;
        }
    }

    /** The application's schemas of a database (a target, or a sandbox holding the job's schema). */
    static List<String> schemas(TargetSql.CatalogQuery db) {
        return TargetSql.applicationSchemas(db);
    }

    Read read(TaskEvent task, boolean needSchema, boolean needQueries, List<Evidence> evidence,
            List<Finding> findings) {
        String name = task.inputs().target();
        if (name == null) {
            return new Read(null, null, List.of(), Map.of(), false);
        }
        long started = System.nanoTime();
        try (TargetDatabase t = open.apply(name)) {
            List<String> read = new ArrayList<>();
            List<String> schemas = schemas(t::query);
            String schema = null;
            if (needSchema) {
                TargetSchema s = TargetSchema.read(t, schemas);
                schema = s.ddl();
                read.add(s.objects() + " schema objects");
            }
            Map<String, TableStatistics> statistics;
            try {
                statistics = TargetStatisticsReader.read(t, schemas);
            } catch (StatisticsUnreadableException e) {
                statistics = e.readable();
                findings.add(new Finding("query-optimizer.target-statistics", Severity.WARN, name, e.getMessage(),
                        null, null));
            }
            read.add("statistics of " + statistics.size() + " table(s)");
            List<WorkloadQuery> queries = new ArrayList<>();
            if (needQueries) {
                TopStatements top = TopStatements.read(t, TOP);
                if (top.unavailable() != null) {
                    findings.add(new Finding("query-optimizer.target-workload", Severity.INFO, name,
                            top.unavailable(), null, null));
                }
                for (QueryInput q : top.queries()) {
                    queries.add(new WorkloadQuery(q.name(), q.sql(), q.frequency(), null, null, "pg_stat_statements"));
                }
                read.add(top.queries().size() + " top statement(s) of pg_stat_statements");
            }
            findings.addAll(ExistingIndexes.find(t::query, schemas, true));
            int version = t.serverVersionNum();
            evidence.add(new Evidence("target " + name + " read without writing", true, String.join(", ", read)
                    + " of schema(s) " + String.join(", ", schemas) + " read in read-only transactions from PostgreSQL "
                    + version / 10000,
                    (System.nanoTime() - started) / 1_000_000));
            return new Read(name, schema, queries, statistics, false);
        } catch (TargetException | IllegalArgumentException e) {
            findings.add(new Finding("query-optimizer.target-unreadable", Severity.WARN, name, "target " + name
                    + ": " + e.getMessage(), null, null));
            evidence.add(Evidence.notRun("target " + name + " read without writing", e.getMessage()));
            return new Read(name, null, List.of(), Map.of(), true);
        }
    }
}
