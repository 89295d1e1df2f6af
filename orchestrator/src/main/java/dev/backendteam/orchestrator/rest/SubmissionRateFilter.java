package dev.backendteam.orchestrator.rest;

import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

import java.util.Optional;

/**
 * Job submissions and answers per owner ({@link SubmissionLimiter}): past the budget a 429 problem with Retry-After
 * in whole seconds, before the body is read or anything is stored. Reading jobs, events and bundles is not limited.
 * Runs after {@link ApiKeyFilter}, so the owner is known.
 */
public class SubmissionRateFilter {
    private final SubmissionLimiter limiter;
    private final Caller caller;

    public SubmissionRateFilter(SubmissionLimiter limiter, Caller caller) {
        this.limiter = limiter;
        this.caller = caller;
    }

    @ServerRequestFilter(priority = Priorities.USER + 100)
    public Optional<Response> limit(ContainerRequestContext request) {
        String path = request.getUriInfo().getPath();
        boolean submission = "POST".equals(request.getMethod())
                && (path.equals("/jobs") || path.equals("/jobs/") || path.endsWith("/answers"));
        if (!submission || !limiter.enabled()) {
            return Optional.empty();
        }
        return limiter.take(caller.owner()).map(wait -> {
            long seconds = Math.max(1, (wait.toMillis() + 999) / 1000);
            Response problem = Problem.of(Response.Status.TOO_MANY_REQUESTS, "rate-limited", "Too many submissions",
                    "this API key may submit " + limiter.perMinute() + " jobs or answers a minute on this gateway; "
                            + "try again in " + seconds + " s", path).response();
            return Response.fromResponse(problem).header(HttpHeaders.RETRY_AFTER, seconds).build();
        });
    }
}
