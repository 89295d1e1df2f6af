package dev.backendteam.stack.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.backendteam.contract.Json;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * The gateway answered with an error. The message renders its RFC 9457 problem (title, detail and each field
 * error on a line of its own) so that the user sees what to change, not a JSON blob.
 */
public final class GatewayException extends RuntimeException {
    private final int status;

    public GatewayException(int status, String message) {
        super(message);
        this.status = status;
    }

    public int status() {
        return status;
    }

    /** A 4xx: the request (the job file, the answer) is what needs changing. */
    public boolean isClientError() {
        return status >= 400 && status < 500;
    }

    static GatewayException of(String what, int status, String contentType, byte[] body) {
        return new GatewayException(status, describe(what, status, contentType, body));
    }

    /**
     * {@code could not submit the job: 422 Invalid request: 2 fields are not acceptable} followed by
     * {@code   - task: is required…} lines; a body that is not a problem is shown abbreviated.
     */
    static String describe(String what, int status, String contentType, byte[] body) {
        String text = body == null ? "" : new String(body, StandardCharsets.UTF_8);
        StringBuilder out = new StringBuilder("could not ").append(what).append(": HTTP ").append(status);
        JsonNode problem = null;
        if (contentType != null && contentType.contains("json") && !text.isBlank()) {
            try {
                problem = Json.events().readTree(text);
            } catch (IOException notJson) {
                problem = null;
            }
        }
        if (problem != null && problem.isObject()) {
            String title = problem.path("title").asText("");
            String detail = problem.path("detail").asText("");
            if (!title.isEmpty()) {
                out.append(' ').append(title);
            }
            if (!detail.isEmpty() && !detail.equals(title)) {
                out.append(": ").append(detail);
            }
            for (JsonNode error : problem.path("errors")) {
                out.append(System.lineSeparator()).append("  - ").append(error.path("field").asText("(request)"))
                        .append(": ").append(error.path("message").asText(""));
            }
        } else if (!text.isBlank()) {
            String oneLine = text.replaceAll("\\s+", " ").trim();
            out.append(": ").append(oneLine.length() > 300 ? oneLine.substring(0, 300) + "…" : oneLine);
        }
        if (status == 401) {
            out.append(System.lineSeparator()).append("  (the gateway has API keys: set BACKEND_TEAM_API_KEYS for the"
                    + " launcher too; it sends the first key)");
        }
        return out.toString();
    }
}
