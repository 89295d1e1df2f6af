package dev.backendteam.orchestrator.rest;

import dev.backendteam.orchestrator.service.InvalidRequestException;
import dev.backendteam.orchestrator.service.JobConflictException;
import dev.backendteam.orchestrator.service.JobNotFoundException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/** The one place where exceptions become HTTP answers, all as problem+json. */
public class ProblemMappers {
    private static final Logger LOG = Logger.getLogger(ProblemMappers.class);

    @ServerExceptionMapper
    public Response notFound(JobNotFoundException e, UriInfo uri) {
        return Problem.of(Response.Status.NOT_FOUND, "job-not-found", "Job not found", e.getMessage(),
                uri.getPath()).response();
    }

    @ServerExceptionMapper
    public Response invalid(InvalidRequestException e, UriInfo uri) {
        return switch (e.kind()) {
            case MALFORMED -> Problem.of(Response.Status.BAD_REQUEST, "malformed-request", "Malformed request",
                    e.getMessage(), uri.getPath()).withErrors(e.violations()).response();
            case UNPROCESSABLE -> new Problem("urn:backend-team:problem:invalid-request", "Invalid request", 422,
                    e.getMessage(), uri.getPath(), e.violations()).response();
            case TOO_LARGE -> Problem.of(Response.Status.REQUEST_ENTITY_TOO_LARGE, "request-too-large",
                    "Request too large", e.getMessage(), uri.getPath()).response();
        };
    }

    @ServerExceptionMapper
    public Response conflict(JobConflictException e, UriInfo uri) {
        return Problem.of(Response.Status.CONFLICT, e.type(), "Conflict", e.getMessage(), uri.getPath()).response();
    }

    @ServerExceptionMapper
    public Response web(WebApplicationException e, UriInfo uri) {
        Response.StatusType status = e.getResponse().getStatusInfo();
        return new Problem("about:blank", status.getReasonPhrase(), status.getStatusCode(), e.getMessage(),
                uri.getPath(), java.util.List.of()).response();
    }

    @ServerExceptionMapper
    public Response unexpected(RuntimeException e, UriInfo uri) {
        LOG.errorf(e, "unexpected error on %s", uri.getPath());
        return Problem.of(Response.Status.INTERNAL_SERVER_ERROR, "internal-error", "Internal error",
                "the orchestrator failed to handle this request; it is logged", uri.getPath()).response();
    }
}
