package dev.backendteam.queryoptimizer.engine;

import com.fasterxml.jackson.databind.JsonNode;
import dev.backendteam.contract.Diagnosis;
import dev.backendteam.contract.Finding;
import dev.backendteam.contract.JobInputs;
import dev.backendteam.contract.QueryInput;
import dev.backendteam.contract.TaskEvent;
import dev.backendteam.queryoptimizer.engine.ai.DraftedWorkload;
import dev.backendteam.queryoptimizer.plan.WorkloadQuery;
import dev.backendteam.queryoptimizer.sql.SqlText;
import dev.backendteam.queryoptimizer.sql.LoggedStatement;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The queries a step optimizes for: those the job gives ({@code queries}), else the domain spec's {@code queries},
 * else the statements the diagnosis handed over (the monitor's top statements), else the workload a model drafted in
 * an earlier step of the job (its {@code workload.json} in the bundle: what the validation round replays); the
 * target's own pg_stat_statements come after all of these ({@link TargetAccess}), and a model's draft after those
 * (the engine's {@code draftWorkload}, only with a model and the task's words); a statement that timed out (57014) joins them, parameterized; each
 * named (a nameless one by its position) and each name once. The columns security's policies filter on come
 * with the task as its handover.
 */
record Workload(List<WorkloadQuery> queries, Map<String, List<String>> policyColumns, List<Finding> notes) {
    static final String TIMEOUT_RULE = "postgres.statement-timeout";
    static final String TIMEOUT_STATE = "57014";
    static final String TIMED_OUT = "timed_out_statement";
    static final String DIAGNOSIS = "diagnosis";
    /** The origin of the queries a model drafted. */
    static final String MODEL = "model";

    static Workload of(TaskEvent task) {
        JobInputs in = task.inputs();
        List<Finding> notes = new ArrayList<>();
        List<QueryInput> given = new ArrayList<>(in.queries());
        // queries the planner lifted from the task's words are a model's, like the ones drafted here
        String origin = in.drafted(JobInputs.QUERIES) ? MODEL : "given";
        if (given.isEmpty() && in.hasSpec() && in.spec().path("queries").isArray()) {
            origin = "spec";
            for (JsonNode q : in.spec().get("queries")) {
                given.add(new QueryInput(q.path("name").asText(null), q.path("sql").asText(null),
                        q.hasNonNull("frequency") ? q.get("frequency").asDouble() : null));
            }
        }
        Optional<Diagnosis> diagnosis = task.diagnosis();
        // the statements a diagnosing role found (the monitor's slowest) when the job names none of its own
        if (given.isEmpty() && diagnosis.isPresent() && !diagnosis.get().queries().isEmpty()) {
            origin = DIAGNOSIS;
            given.addAll(diagnosis.get().queries());
            notes.add(Finding.info("input.diagnosis-queries", diagnosis.get().rule(), "the workload is the "
                    + given.size() + " statement(s) " + diagnosis.get().rule() + " handed over"));
        }
        if (given.isEmpty()) {
            Optional<DraftedWorkload> drafted = DraftedWorkload.delivered(task.artifacts());
            if (drafted.isPresent() && !drafted.get().queries().isEmpty()) {
                origin = MODEL;
                // the file is the optimizer's own, but it is model output: only reads go on
                drafted.get().queries().stream().filter(q -> SqlText.isReadOnlySelect(q.sql())).forEach(given::add);
                notes.add(Finding.info("input.drafted-workload", DraftedWorkload.FILE, "the workload is the "
                        + given.size() + " query(ies) a model drafted in an earlier step (" + DraftedWorkload.FILE
                        + ")"));
            }
        }
        List<WorkloadQuery> queries = new ArrayList<>();
        Set<String> names = new LinkedHashSet<>();
        for (int i = 0; i < given.size(); i++) {
            QueryInput q = given.get(i);
            String name = q.name() == null || q.name().isBlank() ? "query_" + (i + 1) : q.name().strip();
            if (q.sql() == null || q.sql().isBlank()) {
                notes.add(Finding.info("input.query-without-sql", name, "query " + name + " has no SQL: left out"));
                continue;
            }
            // one line, and unique: names key the plans, and travel in the migrations' headers
            name = name.replaceAll("\\s+", " ");
            for (int n = i + 1; !names.add(name); n++) {
                name = q.name().strip().replaceAll("\\s+", " ") + "_" + n;
            }
            queries.add(new WorkloadQuery(name, q.sql(), q.frequency(), null, null, origin));
        }
        diagnosis.flatMap(Workload::timedOut).ifPresent(q -> {
            if (queries.stream().anyMatch(x -> x.sql().equals(q.sql()))) {
                notes.add(Finding.info("input.diagnosis-statement", q.name(), "the statement that timed out is one"
                        + " of the workload's queries already"));
                return;
            }
            queries.add(q);
            notes.add(Finding.info("input.diagnosis-statement", q.name(), "the statement that timed out joins the"
                    + " workload as the application runs it, its constants as parameters (the log's values are one"
                    + " call's; the indexes are proven on the generic plan every call can get): " + q.sql()));
        });
        return new Workload(queries, policyColumns(task.handover()), notes);
    }

    /** The statement of a statement-timeout diagnosis (57014), parameterized, named by the rule. */
    static Optional<WorkloadQuery> timedOut(Diagnosis d) {
        if (!d.hasStatement() || !(TIMEOUT_RULE.equals(d.rule()) || TIMEOUT_STATE.equals(d.sqlstate()))) {
            return Optional.empty();
        }
        return Optional.of(new WorkloadQuery(TIMED_OUT, LoggedStatement.parameterized(d.statement()), null, null,
                null, DIAGNOSIS));
    }

    Workload withQueries(List<WorkloadQuery> more) {
        List<WorkloadQuery> all = new ArrayList<>(queries);
        all.addAll(more);
        return new Workload(all, policyColumns, notes);
    }

    boolean empty() {
        return queries.isEmpty() && policyColumns.isEmpty();
    }

    /** Table → columns, each once, in the order handed over. */
    private static Map<String, List<String>> policyColumns(List<Finding> handover) {
        Map<String, Set<String>> byTable = new LinkedHashMap<>();
        for (Finding f : handover) {
            if (!TaskEvent.POLICY_COLUMNS.equals(f.ruleId()) || f.object() == null || f.fix() == null) {
                continue;
            }
            Set<String> columns = byTable.computeIfAbsent(f.object(), t -> new LinkedHashSet<>());
            Arrays.stream(f.fix().split(",")).map(String::strip).filter(c -> c.matches("[a-z_][a-z0-9_]*"))
                    .forEach(columns::add);
        }
        Map<String, List<String>> out = new LinkedHashMap<>();
        byTable.forEach((t, c) -> {
            if (!c.isEmpty()) {
                out.put(t.contains(".") ? t : "public." + t, List.copyOf(c));
            }
        });
        return out;
    }
}
