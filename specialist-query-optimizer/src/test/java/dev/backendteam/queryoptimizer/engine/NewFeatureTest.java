package dev.backendteam.queryoptimizer.engine;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.backendteam.contract.Artifact;
import dev.backendteam.contract.Contract;
import dev.backendteam.contract.Evidence;
import dev.backendteam.contract.EvidenceStatus;
import dev.backendteam.contract.Finding;
import dev.backendteam.contract.JobInputs;
import dev.backendteam.contract.ResultStatus;
import dev.backendteam.contract.Severity;
import dev.backendteam.contract.Specialist;
import dev.backendteam.contract.StepOutcome;
import dev.backendteam.contract.TaskEvent;
import dev.backendteam.contract.TaskKind;
import dev.backendteam.queryoptimizer.QueryOptimizerSandbox;
import dev.backendteam.sandbox.PostgresServers;
import dev.backendteam.sandbox.Sandbox;
import dev.backendteam.sandbox.targetdb.TargetException;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The query-optimizer's step of the new-feature flow: the README example's spec (its two queries and row counts), the
 * bundle db-architect and security delivered for it and the policy columns security handed over
 * (src/test/resources/new-feature). Its indexes serve the declared queries and the policies, repeat none of
 * db-architect's, and a db-architect index a new composite makes redundant is replaced, not kept beside it.
 */
@ExtendWith(PostgresServers.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class NewFeatureTest {
    /** db-architect's migrations for the example, as security's tests keep them: one per {@code -- migration:}. */
    private static final Path ARCHITECT = Path.of("../specialist-security/src/test/resources/matrix"
            + "/new-feature-migrations.sql");
    private Sandbox sandbox;
    private List<Artifact> bundle;
    private TaskEvent task;
    private StepOutcome outcome;
    private final OptimizerSettings settings = new OptimizerSettings(100_000, 10, 0.2, 0.5);
    private final TargetAccess noTarget = new TargetAccess(n -> {
        throw new TargetException("no target");
    });

    @BeforeAll
    void run(PostgresServers.Servers servers) throws IOException {
        sandbox = QueryOptimizerSandbox.on(servers.pg17());
        bundle = new ArrayList<>();
        for (String part : Files.readString(ARCHITECT).split("(?m)^-- migration: ")) {
            int eol = part.indexOf('\n');
            if (!part.startsWith("--") && eol > 0) {
                bundle.add(Artifact.migration(part.substring(0, eol).strip(), part.substring(eol + 1), null,
                        Specialist.DB_ARCHITECT));
            }
        }
        bundle.add(Artifact.migration("grants_and_policies", QueryOptimizerSandbox.resource(
                "new-feature/010_grants_and_policies.sql"), null, Specialist.SECURITY));
        List<Finding> handover = new ArrayList<>();
        for (String line : QueryOptimizerSandbox.resource("new-feature/handover.txt").split("\n")) {
            String[] p = line.strip().split(" ");
            handover.add(new Finding(TaskEvent.POLICY_COLUMNS, Severity.INFO, p[0], "the policies of " + p[0]
                    + " filter on " + p[1], p[1], null));
        }
        JsonNode job = new ObjectMapper(new YAMLFactory()).readTree(new File("../deploy/examples/new-feature.yaml"));
        Map<String, Long> rows = new ObjectMapper().convertValue(job.get("rowCounts"),
                new com.fasterxml.jackson.core.type.TypeReference<>() { });
        List<dev.backendteam.contract.QueryInput> queries = new ObjectMapper().convertValue(job.get("queries"),
                new com.fasterxml.jackson.core.type.TypeReference<>() { });
        JobInputs inputs = new JobInputs(job.get("spec"), null, queries, rows, null, null, null, null);
        task = new TaskEvent(Contract.VERSION, "t-3", "job-nf", 3, 1, Specialist.QUERY_OPTIMIZER, "query-optimizer",
                TaskKind.WORK, job.get("task").asText(), inputs, bundle, 0, Instant.now().plusSeconds(300), handover);
        outcome = new QueryOptimizerEngine(Optional.of(sandbox), settings, noTarget).work(task);
    }

    @Test
    void theDeclaredQueriesAndThePolicyColumnsGetProvenIndexes() {
        assertEquals(ResultStatus.SUCCEEDED, outcome.status(), outcome.reason());
        assertTrue(outcome.evidence().stream().noneMatch(Evidence::failed), outcome.evidence().toString());
        List<String> ups = outcome.artifacts().stream().map(Artifact::content).toList();
        assertTrue(ups.stream().anyMatch(s -> s.contains("-- serves \"open_tasks\"") || s.contains("-- serves \"tasks_by_tag\"")),
                ups.toString());
        // every column the policies filter on leads an index: db-architect's foreign-key index, or one of this step's
        for (Finding f : outcome.findings().stream().filter(x -> x.ruleId().equals("input.policy-columns")).toList()) {
            assertTrue(f.message().contains("already indexed") || f.message().contains("served by"), f.message());
        }
    }

    @Test
    void noIndexRepeatsOneOfDbArchitects() {
        for (Artifact a : outcome.artifacts()) {
            for (String name : IndexMigrations.created(a.content())) {
                assertFalse(SchemaScripts.bundleIndexes(task).contains(name), name);
            }
        }
        assertTrue(outcome.findings().stream().anyMatch(f -> f.message().contains("left out: the existing index")),
                "candidates an existing index serves are named and left out");
    }

    @Test
    void theValidationRoundReplaysItOnFreshData() {
        List<Artifact> all = new ArrayList<>(bundle);
        all.addAll(outcome.artifacts());
        StepOutcome v = new QueryOptimizerEngine(Optional.of(sandbox), settings, noTarget).validate(new TaskEvent(
                Contract.VERSION, "t-v", "job-nf", 4, 1, Specialist.QUERY_OPTIMIZER, "query-optimizer",
                TaskKind.VALIDATE, task.task(), task.inputs(), all, 0, Instant.now().plusSeconds(300),
                task.handover()));
        assertEquals(EvidenceStatus.PASSED, v.evidence().get(0).status(), v.evidence().get(0).details());
    }
}
