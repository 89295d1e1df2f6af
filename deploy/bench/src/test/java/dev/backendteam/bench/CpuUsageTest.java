package dev.backendteam.bench;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class CpuUsageTest {

    @Test
    void busyIsEverythingButIdleAndIowaitAndGuestIsNotCountedTwice() {
        // user nice system idle iowait irq softirq steal guest guest_nice
        long[] t = CpuUsage.parseCpuLine("cpu  100 5 50 800 40 3 2 0 7 1");
        assertArrayEquals(new long[] {160, 1000}, t);
    }

    @Test
    void onlyTheAggregateLineIsAccepted() {
        assertThrows(IllegalArgumentException.class, () -> CpuUsage.parseCpuLine("cpu0 1 2 3 4 5"));
    }

    @Test
    void coresAreCpuTimeOverWallTime() {
        CpuUsage.Snapshot before = new CpuUsage.Snapshot(0, Map.of("orchestrator", Duration.ofMillis(1000)), 100, 1000);
        CpuUsage.Snapshot after = new CpuUsage.Snapshot(2_000_000_000L, Map.of("orchestrator", Duration.ofMillis(2500)),
                400, 1400);
        assertEquals(0.75, CpuUsage.cores(before, after).get("orchestrator"), 1e-9, "1.5 s of CPU in 2 s");
        assertEquals(1.5, CpuUsage.machineCores(before, after, 2), 1e-9, "300 of 400 ticks busy on 2 cores");
    }
}
