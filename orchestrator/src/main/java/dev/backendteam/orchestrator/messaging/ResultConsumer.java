package dev.backendteam.orchestrator.messaging;

import dev.backendteam.contract.Json;
import dev.backendteam.contract.PoisonMessageException;
import dev.backendteam.contract.ResultEvent;
import dev.backendteam.contract.Topics;
import dev.backendteam.orchestrator.service.JobService;
import io.smallrye.reactive.messaging.annotations.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/**
 * Specialists' results. A record that is not a result goes to backend-team.dlq.results with its reason. Results of
 * different jobs are applied concurrently: each one locks its job's row, so one job's results still apply one at a
 * time, and the processed-result key makes a redelivery harmless in any order.
 */
@ApplicationScoped
public class ResultConsumer {
    private final JobService jobs;

    public ResultConsumer(JobService jobs) {
        this.jobs = jobs;
    }

    @Incoming(Topics.RESULTS)
    @Blocking(ordered = false)
    public void onResult(String payload) {
        ResultEvent result = Json.read(payload, ResultEvent.class);
        if (result.jobId() == null || result.step() < 1 || result.attempt() < 1 || result.status() == null
                || result.service() == null) {
            throw new PoisonMessageException("result lacks jobId, step, attempt, status or service");
        }
        StoreRetry.run(() -> jobs.applyResult(result));
    }
}
