package dev.backendteam.queryoptimizer.messaging;

import dev.backendteam.contract.JobInputs;
import dev.backendteam.contract.QueryInput;
import dev.backendteam.contract.ResultEvent;
import dev.backendteam.contract.Role;
import dev.backendteam.contract.Specialist;
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
}
