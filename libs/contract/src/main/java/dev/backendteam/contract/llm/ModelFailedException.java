package dev.backendteam.contract.llm;

/**
 * The model provider did not answer usefully within the bounded retries (rate limits, server errors, timeouts,
 * malformed answers), or refused the request outright; the step fails with this reason.
 */
public final class ModelFailedException extends RuntimeException {
    public ModelFailedException(String message, Throwable cause) {
        super(message, cause);
    }
}
