package dev.backendteam.queryoptimizer.data;

import java.time.Duration;

/**
 * How many rows the next statement handles: a small first chunk is measured, then chunks grow (at most fourfold)
 * towards what the measured rate does in the target time, so each statement stays well inside the statement timeout.
 */
final class ChunkSizer {
    static final long FIRST = 2_000;
    private static final long MIN = 500;
    private static final long MAX = 2_000_000;

    private final long targetMillis;
    private long size = FIRST;

    ChunkSizer(Duration target) {
        this.targetMillis = Math.max(50, target.toMillis());
    }

    long size() {
        return size;
    }

    /** After a statement that handled {@code rows} rows in {@code millis} ms. */
    void measured(long rows, long millis) {
        double rate = (double) Math.max(rows, 1) / Math.max(millis, 1);
        long ideal = (long) (rate * targetMillis);
        size = Math.max(MIN, Math.min(Math.min(ideal, size * 4), MAX));
    }

    /** After a statement cut off by the timeout. */
    void tooSlow() {
        size = Math.max(MIN, size / 4);
    }
}
