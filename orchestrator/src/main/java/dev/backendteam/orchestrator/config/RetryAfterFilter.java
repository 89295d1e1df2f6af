package dev.backendteam.orchestrator.config;

import dev.backendteam.contract.llm.ProviderFault;
import jakarta.ws.rs.client.ClientRequestContext;
import jakarta.ws.rs.client.ClientResponseContext;
import jakarta.ws.rs.client.ClientResponseFilter;
import jakarta.ws.rs.ext.Provider;

/**
 * Keeps a provider's Retry-After for the planner's model session: quarkus-langchain4j's REST clients turn an error into
 * an exception without its headers, so a 429 or 503 that says how long to wait is raised as
 * {@link ProviderFault.Busy} here (the same filter as the specialist runtime's, which the gateway does not depend on).
 */
@Provider
public class RetryAfterFilter implements ClientResponseFilter {

    @Override
    public void filter(ClientRequestContext request, ClientResponseContext response) {
        // A timed-out call reaches the filter without headers.
        if (response.getHeaders() != null) {
            ProviderFault.Busy.raiseIfAsked(response.getStatus(), response.getHeaderString("Retry-After"));
        }
    }
}
