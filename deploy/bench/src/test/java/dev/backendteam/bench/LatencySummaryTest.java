package dev.backendteam.bench;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.stream.DoubleStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LatencySummaryTest {

    @Test
    void nearestRankOnOneToTwoHundredPicksMeasuredValues() {
        double[] values = DoubleStream.iterate(200, v -> v - 1).limit(200).toArray(); // 200 … 1, unsorted on purpose
        LatencySummary s = LatencySummary.of(values);
        assertEquals(200, s.count());
        assertEquals(100, s.p50(), "rank ceil(0.50 × 200) = 100");
        assertEquals(190, s.p95(), "rank 190, not 191: 95 × 200 / 100 is exact");
        assertEquals(198, s.p99());
        assertEquals(200, s.max());
        assertEquals(1, s.min());
        assertEquals(100.5, s.mean(), 1e-9);
    }

    @Test
    void smallSamplesRoundTheRankUp() {
        LatencySummary s = LatencySummary.of(List.of(30.0, 10.0, 20.0));
        assertEquals(20, s.p50(), "rank ceil(1.5) = 2");
        assertEquals(30, s.p95());
        assertEquals(30, s.p99());
    }

    @Test
    void oneSampleIsEveryPercentile() {
        LatencySummary s = LatencySummary.of(new double[] {7.5});
        assertEquals(7.5, s.p50());
        assertEquals(7.5, s.p99());
    }

    @Test
    void noSamplesGiveNaNNotAnException() {
        LatencySummary s = LatencySummary.of(new double[0]);
        assertEquals(0, s.count());
        assertTrue(Double.isNaN(s.p50()));
    }

    @Test
    void theInputIsNotReordered() {
        double[] values = {3, 1, 2};
        LatencySummary.of(values);
        assertEquals(3, values[0]);
    }

    @Test
    void aPercentileOutsideZeroToHundredIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> LatencySummary.percentile(new double[] {1}, 0));
        assertThrows(IllegalArgumentException.class, () -> LatencySummary.percentile(new double[] {1}, 101));
    }
}
