package dev.backendteam.runtime.llm;

import dev.backendteam.contract.llm.ProviderFault;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;

/**
 * Reads the HTTP status and Retry-After of a provider's error: from {@link RetryAfterFilter}'s exception, or where a
 * REST client raises it as a JAX-RS exception; anything else is left to {@link ProviderFault#standard}.
 */
final class HttpFaults {
    private HttpFaults() {
    }

    static ProviderFault read(Throwable error) {
        for (Throwable t = error; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof RetryAfterFilter.ProviderBusy busy) {
                return ProviderFault.ofStatus(busy.status(), ProviderFault.retryAfter(busy.retryAfter()),
                        busy.getMessage());
            }
            if (t instanceof WebApplicationException web && web.getResponse() != null) {
                Response response = web.getResponse();
                return ProviderFault.ofStatus(response.getStatus(),
                        ProviderFault.retryAfter(response.getHeaderString("Retry-After")), brief(web));
            }
        }
        return null;
    }

    private static String brief(WebApplicationException e) {
        String m = e.getMessage() == null ? "HTTP " + e.getResponse().getStatus() : e.getMessage();
        return m.length() > 300 ? m.substring(0, 300) + "…" : m;
    }
}
