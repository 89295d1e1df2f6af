package dev.backendteam.dbarchitect.engine;

import dev.backendteam.contract.Artifact;
import dev.backendteam.contract.Contract;
import dev.backendteam.contract.Finding;
import dev.backendteam.contract.JobInputs;
import dev.backendteam.contract.Json;
import dev.backendteam.contract.ResultStatus;
import dev.backendteam.contract.Severity;
import dev.backendteam.contract.Specialist;
import dev.backendteam.contract.StepOutcome;
import dev.backendteam.contract.TaskEvent;
import dev.backendteam.contract.TaskKind;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DbArchitectEngineTest {
    private final DbArchitectEngine engine = new DbArchitectEngine();

    private static TaskEvent task(JobInputs inputs, List<Artifact> artifacts) {
        return new TaskEvent(Contract.VERSION, "t-1", "job-1", 1, 1, Specialist.DB_ARCHITECT, null, TaskKind.WORK,
                "comments on posts", inputs, artifacts, 0, null);
    }

    private static JobInputs spec(String json) throws Exception {
        return new JobInputs(Json.events().readTree(json), null, null, null, null, null, null, null);
    }

    private static List<String> ruleIds(StepOutcome outcome) {
        return outcome.findings().stream().map(Finding::ruleId).toList();
    }

    private static void assertHonest(StepOutcome outcome) {
        assertEquals(ResultStatus.SUCCEEDED, outcome.status());
        assertTrue(outcome.artifacts().isEmpty(), "no SQL may be invented");
        assertTrue(outcome.evidence().isEmpty());
        assertNull(outcome.handoff());
        assertTrue(outcome.findings().stream().allMatch(f -> f.severity() == Severity.INFO));
        assertEquals("capability.not-built", ruleIds(outcome).get(ruleIds(outcome).size() - 1));
    }

    @Test
    void aSpecIsDescribedByItsEntities() throws Exception {
        StepOutcome outcome = engine.work(task(spec("""
                {"entities": [{"name": "organization"}, {"name": "project", "tenant": "organization"},
                              {"name": "task", "belongsTo": "project"}]}
                """), List.of()));
        assertHonest(outcome);
        assertEquals("domain spec with 3 entities: organization, project, task", outcome.findings().get(0).message());
        assertEquals("input.spec", outcome.findings().get(0).ruleId());
    }

    @Test
    void aSpecWithoutEntitiesSaysSo() throws Exception {
        StepOutcome outcome = engine.work(task(spec("{\"tables\": []}"), List.of()));
        assertHonest(outcome);
        assertEquals("domain spec without an 'entities' list", outcome.findings().get(0).message());
        assertEquals("domain spec with 1 entity: tag",
                engine.work(task(spec("{\"entities\": [{\"name\": \"tag\"}]}"), List.of())).findings().get(0)
                        .message());
    }

    @Test
    void sqlIsDescribedByItsStatementsAndLines() {
        JobInputs inputs = new JobInputs(null, """
                -- existing schema
                create table post (id uuid primary key);

                create table comment (
                  id uuid primary key,
                  body text not null -- no semicolon here;
                );
                """, null, null, null, null, null, null);
        StepOutcome outcome = engine.work(task(inputs, List.of()));
        assertHonest(outcome);
        assertEquals("SQL of 2 statement(s) in 6 non-blank line(s)", outcome.findings().get(0).message());
    }

    @Test
    void earlierMigrationsAreCountedByName() {
        StepOutcome outcome = engine.work(task(JobInputs.empty(), List.of(
                Artifact.migration("create_post", "create table post ();", "drop table post;", Specialist.DB_ARCHITECT),
                Artifact.file("Dockerfile", "FROM x", Specialist.OPS),
                Artifact.migration("post_rls", "alter table post enable row level security;", null,
                        Specialist.SECURITY))));
        assertHonest(outcome);
        assertEquals("2 earlier migration(s) in the bundle: create_post, post_rls", outcome.findings().get(0)
                .message());
    }

    @Test
    void withNothingToWorkFromItStillSucceedsAndSaysSo() {
        StepOutcome outcome = engine.work(task(JobInputs.empty(), List.of()));
        assertHonest(outcome);
        assertEquals(List.of("input.none", "capability.not-built"), ruleIds(outcome));
    }

    @Test
    void validationClaimsNoProofItDidNotRun() {
        StepOutcome outcome = engine.validate(task(JobInputs.empty(), List.of()));
        assertEquals(ResultStatus.SUCCEEDED, outcome.status());
        assertTrue(outcome.evidence().isEmpty());
        assertEquals(List.of("validation.no-proofs"), ruleIds(outcome));
    }
}
