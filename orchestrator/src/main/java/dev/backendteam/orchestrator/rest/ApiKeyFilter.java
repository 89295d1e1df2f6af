package dev.backendteam.orchestrator.rest;

import dev.backendteam.orchestrator.config.ApiKeys;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

import java.util.Optional;

/**
 * API keys ({@code Authorization: Bearer <key>} or {@code X-API-Key}). Each key is an owner and sees only its own
 * jobs. With no keys configured every caller is the local owner (the gateway then listens on loopback only).
 */
public class ApiKeyFilter {
    private final ApiKeys keys;
    private final Caller caller;

    public ApiKeyFilter(ApiKeys keys, Caller caller) {
        this.keys = keys;
        this.caller = caller;
    }

    @ServerRequestFilter
    public Optional<Response> authenticate(ContainerRequestContext request) {
        String path = request.getUriInfo().getPath();
        if (!path.startsWith("/jobs")) {
            return Optional.empty();
        }
        if (!keys.enabled()) {
            caller.authenticate(ApiKeys.LOCAL_OWNER);
            return Optional.empty();
        }
        String presented = request.getHeaderString("X-API-Key");
        String authorization = request.getHeaderString(HttpHeaders.AUTHORIZATION);
        if (presented == null && authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            presented = authorization.substring(7).trim();
        }
        Optional<String> owner = keys.owner(presented);
        if (owner.isEmpty()) {
            Response response = Problem.of(Response.Status.UNAUTHORIZED, "unauthorized", "Unauthorized",
                    presented == null ? "send an API key as 'Authorization: Bearer <key>' or 'X-API-Key: <key>'"
                            : "the API key is not valid", path).response();
            return Optional.of(Response.fromResponse(response).header(HttpHeaders.WWW_AUTHENTICATE,
                    "Bearer realm=\"backend-team\"").build());
        }
        caller.authenticate(owner.get());
        return Optional.empty();
    }
}
