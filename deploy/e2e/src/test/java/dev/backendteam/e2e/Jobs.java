package dev.backendteam.e2e;

import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.specification.RequestSpecification;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.anyOf;
import static org.hamcrest.Matchers.equalTo;

/** Jobs through the running stack's gateway, as alice: submit, wait for the end, read the report. */
final class Jobs {

    private Jobs() {
    }

    static RequestSpecification alice() {
        return given().baseUri(RunningStack.stack().gatewayUrl())
                .header("Authorization", "Bearer " + RunningStack.ALICE_KEY);
    }

    static String submit(String body) {
        return alice().contentType(ContentType.JSON).body(body).post("/jobs").then().statusCode(202).extract()
                .path("id");
    }

    /** The JSON report once the job is completed, failed or waiting for an answer. */
    static JsonPath finished(String id, Duration wait) {
        await().atMost(wait).pollInterval(Duration.ofMillis(250)).untilAsserted(() -> alice()
                .get("/jobs/" + id).then().body("status", anyOf(equalTo("completed"), equalTo("failed"),
                        equalTo("needs_input"))));
        return alice().accept(ContentType.JSON).get("/jobs/" + id + "/report").then().statusCode(200).extract()
                .jsonPath();
    }

    /** The report's checks of one service and step kind ({@code work} or {@code validate}). */
    static List<Map<String, Object>> checks(JsonPath report, String service, String kind) {
        return report.getList("validation").stream().map(v -> {
            @SuppressWarnings("unchecked")
            Map<String, Object> m = (Map<String, Object>) v;
            return m;
        }).filter(v -> service.equals(v.get("service")) && kind.equals(v.get("kind"))).toList();
    }
}
