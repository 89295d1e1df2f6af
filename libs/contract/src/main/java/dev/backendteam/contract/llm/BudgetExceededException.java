package dev.backendteam.contract.llm;

/** A model call that would take the job past its token budget; the step fails with this reason, not retried. */
public final class BudgetExceededException extends RuntimeException {
    public BudgetExceededException(String message) {
        super(message);
    }
}
