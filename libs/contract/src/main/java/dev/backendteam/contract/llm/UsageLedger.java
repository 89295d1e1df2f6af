package dev.backendteam.contract.llm;

import java.util.ArrayList;
import java.util.List;

/**
 * The model calls of one task as they happen, and the job's token budget that bounds them. The task's processor binds
 * one to the thread that runs the engine ({@link #bind}); a {@link ModelSession} records into the bound ledger and
 * checks the budget before every call. Without a bound ledger calls are recorded into a throwaway one.
 */
public final class UsageLedger {
    private static final ThreadLocal<UsageLedger> BOUND = new ThreadLocal<>();

    private final Long budget;
    private final java.time.Instant deadline;
    private final List<ModelCall> calls = new ArrayList<>();

    /** @param budget the tokens this task may still spend; null for no limit */
    public UsageLedger(Long budget) {
        this(budget, null);
    }

    /**
     * @param budget   the tokens this task may still spend; null for no limit
     * @param deadline when the step's time is up (null: none): no call starts after it, no retry waits past it
     */
    public UsageLedger(Long budget, java.time.Instant deadline) {
        this.budget = budget;
        this.deadline = deadline;
    }

    /** Whether waiting {@code wait} from now would pass the step's deadline. */
    public boolean wouldPassDeadline(java.time.Duration wait) {
        return deadline != null && java.time.Instant.now().plus(wait).isAfter(deadline);
    }

    /** Binds {@code ledger} to this thread until the returned scope is closed. */
    public static Scope bind(UsageLedger ledger) {
        UsageLedger previous = BOUND.get();
        BOUND.set(ledger);
        return () -> {
            if (previous == null) {
                BOUND.remove();
            } else {
                BOUND.set(previous);
            }
        };
    }

    public static UsageLedger current() {
        UsageLedger bound = BOUND.get();
        return bound != null ? bound : new UsageLedger(null);
    }

    public synchronized void record(ModelCall call) {
        calls.add(call);
    }

    public synchronized ModelUsage usage() {
        return new ModelUsage(calls);
    }

    public synchronized long spent() {
        return calls.stream().mapToLong(ModelCall::tokens).sum();
    }

    /** Null when there is no limit. */
    public Long budget() {
        return budget;
    }

    /** Refuses a call estimated at {@code estimate} tokens that would take the task past its budget. */
    public synchronized void admit(String purpose, long estimate) {
        if (wouldPassDeadline(java.time.Duration.ZERO)) {
            throw new ModelFailedException("the step's deadline has passed: " + purpose + " was not sent to the model",
                    null);
        }
        if (budget == null) {
            return;
        }
        long spent = spent();
        if (spent + estimate > budget) {
            throw new BudgetExceededException("the job's token budget would be exceeded: " + purpose + " needs about "
                    + estimate + " tokens, " + Math.max(0, budget - spent) + " of the " + budget + " the job had left"
                    + " for this step remain (setting backend-team.llm.job-token-budget)");
        }
    }

    /** A binding that ends without a checked exception. */
    public interface Scope extends AutoCloseable {
        @Override
        void close();
    }
}
