package dev.backendteam.queryoptimizer.messaging;

import dev.backendteam.contract.Contract;
import dev.backendteam.contract.EvidenceStatus;
import dev.backendteam.contract.JobInputs;
import dev.backendteam.contract.QueryInput;
import dev.backendteam.contract.ResultEvent;
import dev.backendteam.contract.Role;
import dev.backendteam.contract.ResultStatus;
import dev.backendteam.contract.Specialist;
import dev.backendteam.contract.TaskEvent;
import dev.backendteam.contract.TaskKind;
import dev.backendteam.runtime.SpecialistServiceContract;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The query-optimizer service inside Quarkus: the runtime's promises, and what it says without a sandbox. */
@QuarkusTest
class QueryOptimizerServiceTest extends SpecialistServiceContract {

    QueryOptimizerServiceTest() {
        super(Specialist.QUERY_OPTIMIZER, QueryOptimizerServiceTest::inputs);
    }

    private static JobInputs inputs(Role role) {
        return new JobInputs(null, "create table comments (id bigint generated always as identity primary key,"
                + " post_id bigint not null, created_at timestamptz not null default now());",
                List.of(new QueryInput("latest_comments",
                "select * from comments where post_id = $1 order by created_at desc limit 20")),
                Map.of("comments", 5_000_000L), null, null, null, null);
    }

    /** This test profile configures no sandbox: the service says so, and claims no index. */
    @Test
    void withoutASandboxItClaimsNothing() {
        ResultEvent result = resultOf(work(newJobId(), Role.QUERY_OPTIMIZER));
        assertTrue(result.evidence().stream().anyMatch(e -> e.status() == EvidenceStatus.NOT_RUN
                && e.details().contains("no sandbox")), result.evidence().toString());
        assertTrue(result.artifacts().isEmpty());
    }

    @Test
    void aPerformanceJobWithoutQueriesOrATargetAsksForThem() {
        String jobId = newJobId();
        TaskEvent task = new TaskEvent(Contract.VERSION, jobId + "-t3", jobId, 3, 1, Specialist.QUERY_OPTIMIZER,
                Role.QUERY_OPTIMIZER.id(), TaskKind.WORK, "make it fast", new JobInputs(null, "create table t (id int);",
                null, Map.of("t", 1_000_000L), null, null, null, null), List.of(), 0, null);
        ResultEvent result = resultOf(task);
        assertEquals(ResultStatus.NEEDS_INPUT, result.status());
        assertTrue(result.question().contains("\"queries\""), result.question());
    }
}
