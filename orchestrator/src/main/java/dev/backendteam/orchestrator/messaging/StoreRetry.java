package dev.backendteam.orchestrator.messaging;

import dev.backendteam.orchestrator.repository.Database;
import org.jboss.logging.Logger;

import java.util.function.Supplier;

/**
 * A consumed record is only dead-lettered for its own faults: a job-store outage is retried here a few times
 * (bounded, logged) before the record is given up.
 */
final class StoreRetry {
    private static final Logger LOG = Logger.getLogger(StoreRetry.class);
    private static final long[] BACKOFF_MS = {200, 1_000, 3_000};

    private StoreRetry() {
    }

    static <T> T run(Supplier<T> work) {
        for (int attempt = 0; ; attempt++) {
            try {
                return work.get();
            } catch (Database.StoreException e) {
                if (attempt >= BACKOFF_MS.length) {
                    throw e;
                }
                LOG.warnf("job store unavailable (%s); retry %d of %d in %d ms", e.getMessage(), attempt + 1,
                        BACKOFF_MS.length, BACKOFF_MS[attempt]);
                try {
                    Thread.sleep(BACKOFF_MS[attempt]);
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    throw e;
                }
            }
        }
    }
}
