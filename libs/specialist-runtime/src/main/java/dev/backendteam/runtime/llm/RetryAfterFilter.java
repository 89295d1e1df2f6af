package dev.backendteam.runtime.llm;

import jakarta.ws.rs.client.ClientRequestContext;
import jakarta.ws.rs.client.ClientResponseContext;
import jakarta.ws.rs.client.ClientResponseFilter;
import jakarta.ws.rs.ext.Provider;

/**
 * quarkus-langchain4j's REST clients turn a provider's error into an exception that keeps the status and the body but
 * not the headers, so a 429's or 503's Retry-After would be lost. This filter, registered for every REST client of
 * the service, raises such a response as {@link ProviderBusy} carrying it; {@link HttpFaults} reads it back.
 */
@Provider
public class RetryAfterFilter implements ClientResponseFilter {

    @Override
    public void filter(ClientRequestContext request, ClientResponseContext response) {
        int status = response.getStatus();
        if (status != 429 && status != 503 || response.getHeaders() == null) {
            return; // a timed-out call reaches the filter without a response to read
        }
        String retryAfter = response.getHeaderString("Retry-After");
        if (retryAfter != null) {
            throw new ProviderBusy(status, retryAfter);
        }
    }

    /** A provider's "not now", with how long it asked to wait. */
    public static final class ProviderBusy extends RuntimeException {
        private final int status;
        private final String retryAfter;

        ProviderBusy(int status, String retryAfter) {
            super("HTTP " + status + ", Retry-After: " + retryAfter);
            this.status = status;
            this.retryAfter = retryAfter;
        }

        public int status() {
            return status;
        }

        public String retryAfter() {
            return retryAfter;
        }
    }
}
