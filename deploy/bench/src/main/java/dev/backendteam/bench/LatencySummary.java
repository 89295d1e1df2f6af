package dev.backendteam.bench;

import java.util.Arrays;
import java.util.Collection;

/**
 * Count, mean and nearest-rank percentiles of a set of latencies in milliseconds. Nearest rank: the p-th percentile
 * is the smallest sample such that at least p % of the samples are less than or equal to it — always a value that
 * was measured, never an interpolation; with 200 samples p99 is the 198th smallest.
 */
public record LatencySummary(int count, double mean, double min, double p50, double p95, double p99, double max) {

    public static final LatencySummary EMPTY = new LatencySummary(0, Double.NaN, Double.NaN, Double.NaN, Double.NaN,
            Double.NaN, Double.NaN);

    public static LatencySummary of(Collection<Double> millis) {
        return of(millis.stream().mapToDouble(Double::doubleValue).toArray());
    }

    public static LatencySummary of(double[] millis) {
        if (millis.length == 0) {
            return EMPTY;
        }
        double[] sorted = millis.clone();
        Arrays.sort(sorted);
        double sum = 0;
        for (double v : sorted) {
            sum += v;
        }
        return new LatencySummary(sorted.length, sum / sorted.length, sorted[0], percentile(sorted, 50),
                percentile(sorted, 95), percentile(sorted, 99), sorted[sorted.length - 1]);
    }

    /** Nearest-rank percentile of an ascending array: the value at 1-based rank ceil(p / 100 × n). */
    static double percentile(double[] ascending, double p) {
        if (ascending.length == 0) {
            return Double.NaN;
        }
        if (p <= 0 || p > 100) {
            throw new IllegalArgumentException("percentile must be in (0, 100], not " + p);
        }
        // p × n first: both are exact in a double, so 95 % of 200 is rank 190, not 191 from 0.95 rounding up.
        int rank = (int) Math.ceil(p * ascending.length / 100.0);
        return ascending[Math.max(1, rank) - 1];
    }
}
