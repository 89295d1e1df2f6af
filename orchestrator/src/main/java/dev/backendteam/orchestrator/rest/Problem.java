package dev.backendteam.orchestrator.rest;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.backendteam.orchestrator.service.InvalidRequestException;
import jakarta.ws.rs.core.Response;

import java.util.List;

/** RFC 9457 problem details, served as {@code application/problem+json}. */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record Problem(String type, String title, int status, String detail, String instance,
        List<InvalidRequestException.Violation> errors) {
    public static final String MEDIA_TYPE = "application/problem+json";
    private static final String TYPE_PREFIX = "urn:backend-team:problem:";

    public static Problem of(Response.Status status, String slug, String title, String detail, String instance) {
        return new Problem(TYPE_PREFIX + slug, title, status.getStatusCode(), detail, instance, List.of());
    }

    public Problem withErrors(List<InvalidRequestException.Violation> violations) {
        return new Problem(type, title, status, detail, instance, violations);
    }

    public Response response() {
        return Response.status(status).type(MEDIA_TYPE).entity(this).build();
    }
}
