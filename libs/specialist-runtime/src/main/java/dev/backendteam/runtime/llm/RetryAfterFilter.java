package dev.backendteam.runtime.llm;

import dev.backendteam.contract.llm.ProviderFault;
import jakarta.ws.rs.client.ClientRequestContext;
import jakarta.ws.rs.client.ClientResponseContext;
import jakarta.ws.rs.client.ClientResponseFilter;
import jakarta.ws.rs.ext.Provider;

/**
 * quarkus-langchain4j's REST clients turn a provider's error into an exception that keeps the status and the body but
 * not the headers, so a 429's or 503's Retry-After would be lost. This filter, registered for every REST client of
 * the service, raises such a response as {@link ProviderFault.Busy} carrying it, which the model session reads back.
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
