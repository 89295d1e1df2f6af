package dev.backendteam.orchestrator;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import javax.sql.DataSource;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A job stored before api-data, websocket and edge-functions became roles (steps, timeline and plan under the old
 * service names) loads and reads correctly once V2 has moved them to the services that host those roles; a step stored
 * before V4 keeps the model calls its result carried.
 */
@QuarkusTest
@QuarkusTestResource(EmbeddedPostgresResource.class)
class JobStoreMigrationTest {

    @Inject
    DataSource store;

    @Test
    void aJobStoredUnderTheFormerServiceNamesIsServedWithItsRoles() throws Exception {
        UUID id = UUID.randomUUID();
        try (Connection c = store.getConnection(); Statement st = c.createStatement()) {
            st.execute("insert into jobs (id, owner, status, flow, task, inputs, plan) values ('" + id + "', 'local',"
                    + " 'running', 'new-feature', 'add comments', '{}', '[{\"service\":\"query-optimizer\"},"
                    + " {\"service\":\"api-data\"}, {\"service\":\"edge-functions\"}]')");
            st.execute("insert into steps (job_id, seq, kind, service, origin, status, reason) values"
                    + " ('" + id + "', 1, 'work', 'db-architect', 'flow', 'succeeded', null),"
                    + " ('" + id + "', 2, 'work', 'websocket', 'flow', 'skipped', 'websocket is not built yet')");
            st.execute("insert into job_events (job_id, seq, type, status, step, service, message) values"
                    + " ('" + id + "', 1, 'step.skipped', 'running', 2, 'websocket', 'websocket is not built yet')");
        }
        given().get("/jobs/" + id).then().statusCode(500); // 'websocket' is no service any more: V2 is what fixes it
        try (Connection c = store.getConnection(); Statement st = c.createStatement()) {
            st.execute(v2());
        }
        given().get("/jobs/" + id).then().statusCode(200)
                .body("steps[1].service", equalTo("db-architect"))
                .body("steps[1].role", equalTo("websocket"))
                .body("steps[0].role", equalTo(null));
        try (Connection c = store.getConnection(); Statement st = c.createStatement()) {
            ResultSet rs = st.executeQuery("select plan::text, (select service || ':' || role from job_events where job_id"
                    + " = jobs.id) from jobs where id = '" + id + "'");
            rs.next();
            assertEquals("[{\"service\": \"query-optimizer\"}, {\"role\": \"api-data\", \"service\":"
                    + " \"db-architect\"}, {\"role\": \"edge-functions\", \"service\": \"ops\"}]",
                    rs.getString(1), "the plan keeps its order, each former service now a role");
            assertEquals("db-architect:websocket", rs.getString(2));
        }
    }

    @Test
    void aStepStoredBeforeStepsKeptTheirUsageKeepsTheCallsOfItsResult() throws Exception {
        UUID id = UUID.randomUUID();
        String usage = "{\"calls\":[{\"provider\":\"openai\",\"model\":\"gpt-4o-mini\",\"purpose\":\"draft\","
                + "\"tokensIn\":120,\"tokensOut\":30,\"latencyMs\":700,\"retries\":1,\"toolCalls\":0}],\"empty\":false}";
        try (Connection c = store.getConnection(); Statement st = c.createStatement()) {
            st.execute("insert into jobs (id, owner, status, flow, task, inputs) values ('" + id + "', 'local',"
                    + " 'running', 'security-review', 'review', '{}')");
            st.execute("insert into steps (job_id, seq, kind, service, origin, status, result) values"
                    + " ('" + id + "', 1, 'work', 'security', 'flow', 'succeeded', '{\"version\":1,\"jobId\":\"" + id
                    + "\",\"step\":1,\"attempt\":1,\"service\":\"security\",\"status\":\"succeeded\","
                    + "\"usage\":" + usage + "}'),"
                    + " ('" + id + "', 2, 'validate', 'security', 'validation', 'succeeded', '{\"version\":1,\"jobId\":\""
                    + id + "\",\"step\":2,\"attempt\":1,\"service\":\"security\",\"status\":\"succeeded\"}')");
        }
        given().get("/jobs/" + id).then().statusCode(200).body("usage.tokens", equalTo(0));
        try (Connection c = store.getConnection(); Statement st = c.createStatement()) {
            st.execute(migration("V4__model_usage.sql"));
        }
        given().get("/jobs/" + id).then().statusCode(200)
                .body("steps[0].usage.tokens", equalTo(150)).body("steps[0].usage.retries", equalTo(1))
                .body("steps[1].containsKey('usage')", equalTo(false))
                .body("usage.tokens", equalTo(150));
    }

    private static String v2() throws IOException, SQLException {
        return migration("V2__roles_of_services.sql");
    }

    private static String migration(String file) throws IOException {
        try (InputStream in = JobStoreMigrationTest.class.getResourceAsStream("/db/migration/" + file)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
