package dev.backendteam.dbarchitect.messaging;

import dev.backendteam.contract.JobInputs;
import dev.backendteam.contract.Json;
import dev.backendteam.contract.ResultEvent;
import dev.backendteam.contract.ResultStatus;
import dev.backendteam.contract.Role;
import dev.backendteam.contract.Specialist;
import dev.backendteam.contract.TaskKind;
import dev.backendteam.runtime.SpecialistServiceContract;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import java.util.List;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The db-architect service inside Quarkus: the runtime's promises, and its own answers. */
@QuarkusTest
class DbArchitectServiceTest extends SpecialistServiceContract {

    DbArchitectServiceTest() {
        super(Specialist.DB_ARCHITECT, DbArchitectServiceTest::inputs);
    }

    /** The smallest spec: one table. */
    private static JobInputs inputs(Role role) {
        return new JobInputs(Json.events().createObjectNode().set("entities", Json.events().createArrayNode()
                .add(Json.events().createObjectNode().put("name", "note"))), null, null, null, null, null, null, null);
    }

    @Test
    void tablesThatExistInTheGivenSqlAreNotCreatedAgain() throws Exception {
        JobInputs inputs = new JobInputs(
                Json.events().readTree("{\"entities\":[{\"name\":\"post\"},{\"name\":\"comment\"}]}"),
                "create table post (id uuid primary key); create table comment (id uuid primary key);", null, null,
                null, null, null, null);
        ResultEvent result = resultOf(task(newJobId(), Specialist.DB_ARCHITECT, null, TaskKind.WORK, inputs));
        assertEquals(ResultStatus.SUCCEEDED, result.status(), result.reason());
        assertEquals(2, result.findings().stream().filter(f -> f.ruleId().equals("design.table-exists")).count(),
                result.findings().toString());
        assertEquals(List.of("database.types.ts", "schema.mmd"), result.artifacts().stream().map(a -> a.name())
                .toList(), "both tables exist in the given SQL: no migration, but their types and diagram");
    }

    @Test
    void plainWordsAreAnsweredWithAQuestionCarryingAnExampleSpec() {
        ResultEvent result = resultOf(task(newJobId(), Specialist.DB_ARCHITECT, "schema", TaskKind.WORK,
                JobInputs.empty()));
        assertEquals(ResultStatus.NEEDS_INPUT, result.status());
        assertTrue(result.question().contains("{\"entities\": [{\"name\": \"post\""), result.question());
        assertTrue(result.artifacts().isEmpty());
    }

    @Test
    void theDomainSpecsSchemaIsServed() {
        given().when().get("/schemas/domain-spec.schema.json").then().statusCode(200)
                .body("title", is("backend-team domain spec"));
    }
}
