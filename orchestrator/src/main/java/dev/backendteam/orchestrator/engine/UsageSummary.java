package dev.backendteam.orchestrator.engine;

import dev.backendteam.contract.llm.ModelCall;
import dev.backendteam.contract.llm.ModelUsage;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Model usage as the gateway and the report show it (BRIEF §6a): the sums over the calls, and the same sums per
 * provider and model, in the order each first appeared. {@code failedCalls} counts the calls that failed in the end
 * (after their own retries).
 */
public record UsageSummary(int calls, int failedCalls, long tokensIn, long tokensOut, long tokens, long latencyMs,
        int retries, int toolCalls, List<ByModel> byModel) {

    public static final UsageSummary NONE = of(ModelUsage.NONE);

    public UsageSummary {
        byModel = byModel == null ? List.of() : List.copyOf(byModel);
    }

    public record ByModel(String provider, String model, int calls, int failedCalls, long tokensIn, long tokensOut,
            long tokens, long latencyMs, int retries, int toolCalls) {
    }

    public static UsageSummary of(ModelUsage usage) {
        Sums all = new Sums();
        Map<List<String>, Sums> byModel = new LinkedHashMap<>();
        for (ModelCall call : usage.calls()) {
            all.add(call);
            byModel.computeIfAbsent(List.of(Objects.toString(call.provider(), "unknown"),
                    Objects.toString(call.model(), "unknown")), k -> new Sums()).add(call);
        }
        List<ByModel> models = new ArrayList<>();
        byModel.forEach((key, s) -> models.add(new ByModel(key.get(0), key.get(1), s.calls, s.failed, s.tokensIn,
                s.tokensOut, s.tokensIn + s.tokensOut, s.latencyMs, s.retries, s.toolCalls)));
        return new UsageSummary(all.calls, all.failed, all.tokensIn, all.tokensOut, all.tokensIn + all.tokensOut,
                all.latencyMs, all.retries, all.toolCalls, models);
    }

    /** The summary of {@code usage}, or null when it holds no call (a step on the deterministic path). */
    public static UsageSummary ofAny(ModelUsage usage) {
        return usage == null || usage.isEmpty() ? null : of(usage);
    }

    private static final class Sums {
        int calls;
        int failed;
        long tokensIn;
        long tokensOut;
        long latencyMs;
        int retries;
        int toolCalls;

        void add(ModelCall call) {
            calls++;
            failed += call.error() == null ? 0 : 1;
            tokensIn += call.tokensIn();
            tokensOut += call.tokensOut();
            latencyMs += call.latencyMs();
            retries += call.retries();
            toolCalls += call.toolCalls();
        }
    }
}
