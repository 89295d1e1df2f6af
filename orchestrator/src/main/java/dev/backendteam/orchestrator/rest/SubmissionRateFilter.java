package dev.backendteam.orchestrator.rest;

import io.vertx.ext.web.RoutingContext;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Job submissions and answers per owner ({@link SubmissionLimiter}): past the budget a 429 problem with Retry-After
 * in whole seconds, before the body is read or anything is stored. Reading jobs, events and bundles is not limited.
 * Runs after {@link ApiKeyFilter}, so the owner is known.
 */
public class SubmissionRateFilter {
    private final SubmissionLimiter limiter;
    private final SubmissionGate gate;
    private final Caller caller;

    public SubmissionRateFilter(SubmissionLimiter limiter, SubmissionGate gate, Caller caller) {
        this.limiter = limiter;
        this.gate = gate;
        this.caller = caller;
    }

    private static boolean isSubmission(ContainerRequestContext request) {
        String path = request.getUriInfo().getPath();
        return "POST".equals(request.getMethod())
                && (path.equals("/jobs") || path.equals("/jobs/") || path.endsWith("/answers"));
    }

    /**
     * The replica's bound on submissions in flight ({@link SubmissionGate}), on the event loop — before the request
     * waits for a worker thread, which is where a queue would grow: past it a 503 problem with Retry-After: 1. The
     * place is given back when the response ends, or the connection closes, whichever comes first. Quarkus runs
     * such filters before all others, so this one runs before the API key is checked: a request without a valid key
     * holds a place only until its 401.
     */
    @ServerRequestFilter(priority = Priorities.AUTHENTICATION - 100, nonBlocking = true)
    public Optional<Response> bound(ContainerRequestContext request, RoutingContext routing) {
        if (!gate.enabled() || !isSubmission(request)) {
            return Optional.empty();
        }
        if (!gate.tryEnter()) {
            Response problem = Problem.of(Response.Status.SERVICE_UNAVAILABLE, "busy", "Gateway busy",
                    "this gateway is handling " + gate.max() + " submissions already; try again in 1 s",
                    request.getUriInfo().getPath()).response();
            return Optional.of(Response.fromResponse(problem).header(HttpHeaders.RETRY_AFTER, 1).build());
        }
        AtomicBoolean left = new AtomicBoolean();
        routing.addEndHandler(done -> {
            if (left.compareAndSet(false, true)) {
                gate.leave();
            }
        });
        return Optional.empty();
    }

    @ServerRequestFilter(priority = Priorities.USER + 100)
    public Optional<Response> limit(ContainerRequestContext request) {
        String path = request.getUriInfo().getPath();
        if (!isSubmission(request) || !limiter.enabled()) {
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
