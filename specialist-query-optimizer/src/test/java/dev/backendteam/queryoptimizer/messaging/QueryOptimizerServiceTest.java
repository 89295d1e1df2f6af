package dev.backendteam.queryoptimizer.messaging;

import dev.backendteam.contract.Contract;
import dev.backendteam.contract.Finding;
import dev.backendteam.contract.JobInputs;
import dev.backendteam.contract.QueryInput;
import dev.backendteam.contract.ResultEvent;
import dev.backendteam.contract.Role;
import dev.backendteam.contract.Severity;
import dev.backendteam.contract.Specialist;
import dev.backendteam.contract.TaskEvent;
import dev.backendteam.contract.TaskKind;
import dev.backendteam.runtime.SpecialistServiceContract;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertTrue;

/** The query-optimizer service inside Quarkus: the runtime's promises, and what it reports of its input. */
@QuarkusTest
class QueryOptimizerServiceTest extends SpecialistServiceContract {

    QueryOptimizerServiceTest() {
        super(Specialist.QUERY_OPTIMIZER, QueryOptimizerServiceTest::inputs);
    }

    private static JobInputs inputs(Role role) {
        return new JobInputs(null, null, List.of(new QueryInput("latest_comments",
                "select * from comments where post_id = $1 order by created_at desc limit 20")),
                Map.of("comments", 5_000_000L), null, null, null, null);
    }

    @Test
    void itReportsTheQueriesAndRowCountsItWasGivenAndProposesNoIndex() {
        ResultEvent result = resultOf(work(newJobId(), Role.QUERY_OPTIMIZER));
        assertTrue(result.findings().stream().anyMatch(f -> f.message().equals("1 query: latest_comments")),
                result.findings().toString());
        assertTrue(result.findings().stream().anyMatch(f -> f.message()
                .equals("row counts for 1 table(s): comments (5000000)")), result.findings().toString());
        assertTrue(result.artifacts().isEmpty());
    }

    @Test
    void theColumnsSecurityHandedOverArriveThroughTheTopicAndAreReported() {
        String jobId = newJobId();
        TaskEvent task = new TaskEvent(Contract.VERSION, jobId + "-t3", jobId, 3, 1, Specialist.QUERY_OPTIMIZER,
                Role.QUERY_OPTIMIZER.id(), TaskKind.WORK, "list the tasks fast", JobInputs.empty(), List.of(), 0, null,
                List.of(new Finding("handover.policy-columns", Severity.INFO, "public.task", "the policies of"
                        + " public.task filter on user_id, project_id", "user_id,project_id", null)));
        ResultEvent result = resultOf(task);
        assertTrue(result.findings().stream().anyMatch(f -> f.ruleId().equals("input.policy-columns")
                && f.message().startsWith("security's policies filter on public.task(user_id, project_id):")),
                result.findings().toString());
        assertTrue(result.artifacts().isEmpty(), "still no index");
    }
}
