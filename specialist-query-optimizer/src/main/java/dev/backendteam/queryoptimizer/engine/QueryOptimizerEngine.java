package dev.backendteam.queryoptimizer.engine;

import dev.backendteam.contract.ArtifactKind;
import dev.backendteam.contract.Evidence;
import dev.backendteam.contract.Finding;
import dev.backendteam.contract.JobInputs;
import dev.backendteam.contract.QueryInput;
import dev.backendteam.contract.Role;
import dev.backendteam.contract.SpecialistEngine;
import dev.backendteam.contract.StepOutcome;
import dev.backendteam.contract.TaskEvent;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * The query-optimizer specialist. Planning, index candidates and their proof are not built yet: until they are, it
 * reports the queries, row counts and schema it was given, and the columns security's policies filter on (handed
 * over by the security step), and says so, proposing no index.
 */
public final class QueryOptimizerEngine implements SpecialistEngine {
    private static final int LISTED = 20;

    static final String INDEX_SET = "index set: every kept index still cuts the workload's cost";
    /** The handover of the security step: object the table, fix its policy columns, comma-separated. */
    static final String POLICY_COLUMNS = TaskEvent.POLICY_COLUMNS;

    @Override
    public StepOutcome work(TaskEvent task) {
        JobInputs inputs = task.inputs();
        List<Finding> findings = new ArrayList<>();
        if (inputs.hasQueries()) {
            findings.add(describeQueries(inputs.queries()));
        }
        if (!inputs.rowCounts().isEmpty()) {
            Map<String, Long> sorted = new TreeMap<>(inputs.rowCounts());
            findings.add(Finding.info("input.row-counts", null, "row counts for " + sorted.size() + " table(s): "
                    + list(sorted.entrySet().stream().map(e -> e.getKey() + " (" + e.getValue() + ")").toList())));
        }
        long migrations = task.artifacts().stream().filter(a -> a.kind() == ArtifactKind.MIGRATION).count();
        if (inputs.hasSql() || migrations > 0) {
            findings.add(Finding.info("input.schema", null, "schema from " + (inputs.hasSql() ? "the SQL given" : "")
                    + (inputs.hasSql() && migrations > 0 ? " and " : "")
                    + (migrations > 0 ? migrations + " earlier migration(s) in the bundle" : "")));
        }
        findings.addAll(policyColumns(task.handover()));
        if (findings.isEmpty()) {
            findings.add(Finding.info("input.none", null, "no queries, row counts or schema to work from"));
        }
        return StepOutcome.notBuilt(findings, "query-optimizer: synthetic data, EXPLAIN, index candidates and their"
                + " proof are not built yet; no index or rewrite was proposed.");
    }

    @Override
    public StepOutcome validate(TaskEvent task) {
        return StepOutcome.checked(Evidence.notRun(INDEX_SET, "not built yet: no plan was measured"));
    }

    /** One finding per table whose policies filter on columns, each column once, in the order handed over. */
    private static List<Finding> policyColumns(List<Finding> handover) {
        Map<String, Set<String>> byTable = new LinkedHashMap<>();
        for (Finding f : handover) {
            if (!POLICY_COLUMNS.equals(f.ruleId())) {
                continue;
            }
            Set<String> columns = byTable.computeIfAbsent(f.object() == null ? "(a table)" : f.object(),
                    t -> new LinkedHashSet<>());
            if (f.fix() != null) {
                Arrays.stream(f.fix().split(",")).map(String::strip).filter(c -> !c.isEmpty()).forEach(columns::add);
            }
        }
        List<Finding> findings = new ArrayList<>();
        byTable.forEach((table, columns) -> findings.add(Finding.info("input.policy-columns", table,
                "security's policies filter on " + table + (columns.isEmpty() ? " (the handover names no column)"
                        : "(" + String.join(", ", columns) + ")") + ": candidates for an index, not yet checked: the"
                        + " query-optimizer does not build indexes yet")));
        return findings;
    }

    private static Finding describeQueries(List<QueryInput> queries) {
        List<String> names = new ArrayList<>();
        int withoutSql = 0;
        for (int i = 0; i < queries.size(); i++) {
            QueryInput q = queries.get(i);
            names.add(q.name() == null || q.name().isBlank() ? "#" + (i + 1) : q.name());
            if (q.sql() == null || q.sql().isBlank()) {
                withoutSql++;
            }
        }
        return Finding.info("input.queries", null, queries.size() + " quer" + (queries.size() == 1 ? "y" : "ies")
                + ": " + list(names) + (withoutSql > 0 ? " (" + withoutSql + " without SQL)" : ""));
    }

    private static String list(List<String> items) {
        return items.stream().limit(LISTED).collect(Collectors.joining(", ")) + (items.size() > LISTED ? ", …" : "");
    }

    @Override
    public Role role() {
        return Role.QUERY_OPTIMIZER;
    }
}
