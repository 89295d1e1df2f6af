package dev.backendteam.e2e;

import dev.backendteam.bench.Chaos;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The chaos program's CI version (issue 14): 30 jobs of five flows through a private stack of its own, with the
 * orchestrator, the second replica of db-architect and one more service killed -9 and started again, the broker
 * restarted once and the job-store PostgreSQL once; then the program's checks — every job terminal, none lost, no
 * step applied twice, no artifact twice, no sandbox leftover after a janitor sweep, every completed job validated,
 * both replicas with partitions, no canary secret in logs, job records, events, reports or bundles. The full run
 * (200 jobs, a kill every few seconds) is {@code deploy/bench/chaos.sh}; its figures are in README.
 */
class ChaosIT {
    @Test
    void thirtyJobsThroughKillsAndRestartsKeepEveryPromise() {
        Path root = Path.of(System.getProperty("backend-team.root", "../..")).toAbsolutePath().normalize();
        Chaos.Options options = Chaos.Options.parse(root, new String[] {"--jobs", "30", "--concurrency", "4",
                "--kills", "3", "--kill-every", "6s", "--flows", "new-feature,bug,security-review,deployment,performance",
                "--row-budget", "2000", "--job-timeout", "180s", "--timeout", "10m", "--seed", "20261202"});
        assertEquals(0, new Chaos(options, System.out).run(), "a chaos check failed: see the figures above");
    }
}
