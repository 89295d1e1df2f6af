package dev.backendteam.orchestrator.service;

import dev.backendteam.contract.llm.ModelCall;
import dev.backendteam.orchestrator.engine.Job;
import io.micrometer.core.instrument.MeterRegistry;

import java.util.List;
import java.util.Objects;

/**
 * Counts model calls once their change is stored (BRIEF §6a): tokens by direction, calls by outcome and retries, each
 * by the service that made the call, its provider and its model. Fed from what a change added to a job
 * ({@link Job#newSpending()}), and from a result that came after its job finished; a duplicated result is dropped
 * before either, so it is never counted twice.
 */
final class ModelMetrics {
    private final MeterRegistry registry;

    ModelMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    void record(List<Job.Spending> spending) {
        for (Job.Spending s : spending) {
            for (ModelCall call : s.usage().calls()) {
                String provider = Objects.toString(call.provider(), "unknown");
                String model = Objects.toString(call.model(), "unknown");
                registry.counter("backend_team_model_tokens_total", "service", s.service(), "provider", provider,
                        "model", model, "direction", "in").increment(call.tokensIn());
                registry.counter("backend_team_model_tokens_total", "service", s.service(), "provider", provider,
                        "model", model, "direction", "out").increment(call.tokensOut());
                registry.counter("backend_team_model_calls_total", "service", s.service(), "provider", provider,
                        "model", model, "outcome", call.error() == null ? "ok" : "failed").increment();
                registry.counter("backend_team_model_retries_total", "service", s.service(), "provider", provider,
                        "model", model).increment(call.retries());
            }
        }
    }
}
