package dev.backendteam.contract.llm;

import dev.backendteam.contract.Clarification;
import dev.backendteam.contract.JobInputs;
import dev.backendteam.contract.Json;
import dev.backendteam.contract.QueryInput;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What a model drafted stays marked as drafted, and what the user gives of a kind replaces the draft of that kind. */
class DraftedInputsTest {
    private static final QueryInput DRAFTED = new QueryInput("latest_comments", "select id from comment limit 20");
    private static final QueryInput GIVEN = new QueryInput("by_post", "select id from comment where post_id = $1");

    private static JobInputs planned() {
        return new JobInputs(null, null, List.of(DRAFTED), Map.of("comment", 1000L), null, null, null, null, null,
                null, null, List.of(JobInputs.QUERIES, JobInputs.ROW_COUNTS));
    }

    @Test
    void theUsersQueriesAndRowCountsReplaceTheDraftedOnes() {
        JobInputs answer = new JobInputs(null, null, List.of(GIVEN), Map.of("post", 50L), null, null, null, null);
        JobInputs merged = planned().merge(answer, new Clarification("Which queries?", "these"));
        assertEquals(List.of(GIVEN), merged.queries());
        assertEquals(Map.of("post", 50L), merged.rowCounts());
        assertFalse(merged.drafted(JobInputs.QUERIES) || merged.drafted(JobInputs.ROW_COUNTS), merged.drafted()
                .toString());
    }

    @Test
    void draftedInputsStayDraftedWhenTheAnswerGivesOtherKinds() {
        JobInputs answer = new JobInputs(null, "create table comment (id bigint primary key);", null, null, null, null,
                null, null);
        JobInputs merged = planned().merge(answer, null);
        assertTrue(merged.drafted(JobInputs.QUERIES) && merged.drafted(JobInputs.ROW_COUNTS));
        assertEquals(List.of(DRAFTED), merged.queries());
    }

    @Test
    void theMarkTravelsWithTheTaskAndARequestCannotSetIt() throws Exception {
        JobInputs back = Json.read(Json.write(planned()), JobInputs.class);
        assertTrue(back.drafted(JobInputs.QUERIES));
        // The request body has its own fields: "drafted" is not one of them, so a caller cannot mark or unmark input.
        assertTrue(Json.strict().readValue("{\"task\": \"x\"}", dev.backendteam.contract.JobRequest.class).inputs()
                .drafted().isEmpty());
        org.junit.jupiter.api.Assertions.assertThrows(Exception.class, () -> Json.strict().readValue(
                "{\"task\": \"x\", \"drafted\": [\"spec\"]}", dev.backendteam.contract.JobRequest.class));
    }

    @Test
    void theModelsServerIsLoggedWithoutWhatMayCarryAKey() {
        ModelChoice choice = ModelChoice.read(key -> Optional.ofNullable(Map.of(
                "backend-team.llm.provider", "openai",
                "backend-team.llm.openai.base-url", "https://user:sk-secret@gateway.example/v1?api-key=sk-secret2",
                "backend-team.llm.openai.api-key", "sk-secret3").get(key)));
        String described = choice.describe() + " " + choice;
        assertFalse(described.contains("sk-secret"), described);
        assertTrue(described.contains("https://gateway.example/v1"), described);
    }
}
