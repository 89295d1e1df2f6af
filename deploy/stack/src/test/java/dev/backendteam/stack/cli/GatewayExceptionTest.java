package dev.backendteam.stack.cli;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class GatewayExceptionTest {
    private static final String NL = System.lineSeparator();

    @Test
    void aProblemWithFieldErrorsReadsAsALineEach() {
        String body = "{\"type\":\"urn:backend-team:problem:invalid-request\",\"title\":\"Invalid request\","
                + "\"status\":422,\"detail\":\"2 fields are not acceptable\",\"instance\":\"/jobs\",\"errors\":["
                + "{\"field\":\"flow\",\"message\":\"unknown flow 'feature'; known: bug, deployment\"},"
                + "{\"field\":\"queries[0].sql\",\"message\":\"is required\"}]}";
        GatewayException e = GatewayException.of("submit the job", 422, "application/problem+json",
                body.getBytes(StandardCharsets.UTF_8));
        assertEquals("could not submit the job: HTTP 422 Invalid request: 2 fields are not acceptable" + NL
                + "  - flow: unknown flow 'feature'; known: bug, deployment" + NL
                + "  - queries[0].sql: is required", e.getMessage());
        assertTrue(e.isClientError());
    }

    @Test
    void anythingElseIsShownAbbreviated() {
        GatewayException e = GatewayException.of("read job 1", 502, "text/html",
                ("<html>\n<body>Bad gateway " + "x".repeat(400) + "</body></html>").getBytes(StandardCharsets.UTF_8));
        assertTrue(e.getMessage().startsWith("could not read job 1: HTTP 502: <html> <body>Bad gateway xxx"));
        assertTrue(e.getMessage().endsWith("…"));
        assertEquals("could not read job 1: HTTP 503", GatewayException.describe("read job 1", 503, "", new byte[0]));
    }

    @Test
    void aMissingKeySaysWhatToSet() {
        String message = GatewayException.describe("submit the job", 401, "application/problem+json",
                "{\"title\":\"Unauthorized\",\"status\":401,\"detail\":\"send an API key\"}"
                        .getBytes(StandardCharsets.UTF_8));
        assertTrue(message.startsWith("could not submit the job: HTTP 401 Unauthorized: send an API key"), message);
        assertTrue(message.contains("set BACKEND_TEAM_API_KEYS for the launcher too"), message);
    }
}
