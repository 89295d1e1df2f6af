package dev.backendteam.queryoptimizer.data;

import java.time.Duration;

/**
 * How much data the generator makes and how.
 *
 * @param rowBudget   the most rows of all tables together; above it every table is scaled by one factor
 * @param defaultRows rows of a table nobody gave a count for and no statistics describe
 * @param seed        seeds the server's random() so that a run can be repeated
 * @param chunkTarget how long one insert statement should take, well inside the statement timeout
 */
public record GenerationSettings(long rowBudget, long defaultRows, long seed, Duration chunkTarget) {

    public GenerationSettings {
        if (rowBudget < 1 || defaultRows < 1) {
            throw new IllegalArgumentException("rowBudget and defaultRows must be positive");
        }
        if (chunkTarget == null || chunkTarget.isNegative() || chunkTarget.isZero()) {
            throw new IllegalArgumentException("chunkTarget must be positive");
        }
    }

    public static GenerationSettings defaults() {
        return new GenerationSettings(250_000, 1_000, 42, Duration.ofSeconds(2));
    }

    public GenerationSettings withRowBudget(long budget) {
        return new GenerationSettings(budget, defaultRows, seed, chunkTarget);
    }
}
